package search

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// shardLimit is about the most bytes one shard of postings holds: a shard
// over it is split by the next letter of its terms.
const shardLimit = 48 << 10

// shards groups the encoded terms into shard files by prefix, at least two
// letters long, longer where a prefix holds too much; a term never spans
// shards. It returns the files and their prefixes, sorted.
func (ix *Indexer) shards() ([]File, []string) {
	terms := sortedKeys(ix.encoded)
	var files []File
	var keys []string
	emit := func(key string, lo, hi int) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "PostmortemSearch.shard(%q,{", key)
		for j := lo; j < hi; j++ {
			if j > lo {
				sb.WriteByte(',')
			}
			sb.WriteString(ix.encoded[terms[j]])
		}
		sb.WriteString("});\n")
		keys = append(keys, key)
		files = append(files, File{"search/t/" + fileKey(key) + ".js", []byte(sb.String())})
	}
	var group func(lo, hi, depth int)
	group = func(lo, hi, depth int) {
		for lo < hi {
			key := prefix(terms[lo], depth)
			end, size := lo, 0
			for end < hi && prefix(terms[end], depth) == key {
				size += len(ix.encoded[terms[end]])
				end++
			}
			// The term equal to the key, if any, sorts first.
			exact := lo
			if terms[lo] == key {
				exact++
			}
			if size > shardLimit && end-lo > 1 {
				// The term equal to the key stays here; the rest split further.
				if exact > lo {
					emit(key, lo, exact)
				}
				group(exact, end, depth+1)
			} else {
				emit(key, lo, end)
			}
			lo = end
		}
	}
	group(0, len(terms), 2)
	return files, keys
}

// prefix is the first n letters of term.
func prefix(term string, n int) string {
	r := []rune(term)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// fileKey turns a shard prefix into a file name: letters and digits as they
// are, anything else as its code in base 36.
func fileKey(key string) string {
	var b strings.Builder
	for _, c := range key {
		if 'a' <= c && c <= 'z' || '0' <= c && c <= '9' {
			b.WriteRune(c)
		} else {
			fmt.Fprintf(&b, "~%s", strconv.FormatInt(int64(c), 36))
		}
	}
	return b.String()
}

func writeJSONString(sb *strings.Builder, s string) {
	data, _ := json.Marshal(s)
	sb.Write(data)
}
