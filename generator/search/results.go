package search

import (
	"cmp"
	"encoding/json"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// What a result shows is in files of about 32 to 64 documents each, the
// documents whose ids share their high bits (a group): search/f/ holds
// their cards (title, URL, date, severity, root causes and a snippet), all
// a page of results needs, and search/x/ their texts, which only a phrase
// is checked against. Ids are stable (see assignIDs), so a new postmortem
// changes the two files of its group, and the output holds two files for
// every 32 to 64 postmortems rather than one for each.

// groupBits is how many bits of an id number its group, for n documents
// with ids of idBits bits: 2^groupBits groups, of 32 to 64 documents each
// on average (one group below 64 documents). Only a change of n across a
// power of two regroups the documents.
func groupBits(n, idBits int) int {
	return min(idBits, max(0, bits.Len(uint(n/32))-1))
}

// groupName is how many letters of a group's file names come from their
// content: meta.js lists them all.
const groupName = 5

// snippetLen is about the most bytes of a card's snippet.
const snippetLen = 200

// groupFiles are the two files of one group.
type groupFiles struct {
	name        string // groupName letters
	cards, text File
}

// card encodes what a result shows of d as a JSON array: title, URL,
// date, severity, root causes and snippet (the summary, or the opening of
// the text when there is none, cut at a word).
func card(d *Doc) []byte {
	b := make([]byte, 0, len(d.Title)+len(d.URL)+snippetLen+64)
	b = append(b, '[')
	b = appendJSONString(b, d.Title)
	b = append(b, ',')
	b = appendJSONString(b, d.URL)
	b = append(b, ',')
	b = appendJSONString(b, d.Date.Format(time.DateOnly))
	b = append(b, ',')
	b = appendJSONString(b, d.Severity)
	b = append(b, ",["...)
	for k, c := range d.RootCauses {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, c)
	}
	b = append(b, "],"...)
	b = appendJSONString(b, snippet(cmp.Or(strings.TrimSpace(d.Summary), strings.TrimSpace(d.Text))))
	return append(b, ']')
}

// snippet is s cut to about snippetLen bytes at a space, with an ellipsis
// when cut, its whitespace runs made single spaces.
func snippet(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= snippetLen {
		return s
	}
	cut := strings.LastIndexByte(s[:snippetLen], ' ')
	if cut < snippetLen/2 {
		cut = snippetLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return s[:cut] + " …"
}

// phraseText is the text a phrase of a query is looked for in, besides the
// title and root causes: the body, after the summary when the body does
// not hold it.
func phraseText(d *Doc) string {
	if !strings.Contains(d.Text, d.Summary) {
		return d.Summary + "\n" + d.Text
	}
	return d.Text
}

// group makes the files of group g from the entries of ids, sorted, its
// documents.
func (ix *Indexer) group(g int, ids []int32) groupFiles {
	size := 0
	for _, id := range ids {
		size += len(ix.docs[id].card) + len(ix.docs[id].text) + 12
	}
	key := strconv.FormatInt(int64(g), 36)
	cards := make([]byte, 0, size)
	text := make([]byte, 0, size)
	cards = append(cards, "PostmortemSearch.cards("+strconv.Itoa(g)+",{"...)
	text = append(text, "PostmortemSearch.texts("+strconv.Itoa(g)+",{"...)
	for k, id := range ids {
		if k > 0 {
			cards = append(cards, ',')
			text = append(text, ',')
		}
		e := ix.docs[id]
		cards = append(strconv.AppendInt(append(cards, '"'), int64(id), 10), `":`...)
		cards = append(cards, e.card...)
		text = append(strconv.AppendInt(append(text, '"'), int64(id), 10), `":`...)
		text = append(text, e.text...)
	}
	cards = append(cards, "});\n"...)
	text = append(text, "});\n"...)
	h := contentHash(cards) ^ mix(contentHash(text))
	name := strconv.FormatUint(mix(h)|1<<63, 32)
	name = name[len(name)-groupName:]
	return groupFiles{name,
		File{"search/f/" + key + "." + name + ".js", cards},
		File{"search/x/" + key + "." + name + ".js", text}}
}

// updateGroups returns the files of every group, in the order of the
// groups, remaking those that hold a document of changed and keeping the
// others.
func (ix *Indexer) updateGroups(changed []int32) []groupFiles {
	shift := ix.bits - ix.gbits
	remake := map[int]bool{}
	for _, id := range changed {
		remake[int(id)>>shift] = true
	}
	ids := ix.sortedIDs()
	old := ix.groups
	ix.groups = make(map[int]groupFiles, len(old))
	out := make([]groupFiles, 1<<ix.gbits)
	for lo := 0; lo < len(ids); {
		g := int(ids[lo]) >> shift
		hi := lo
		for hi < len(ids) && int(ids[hi])>>shift == g {
			hi++
		}
		gf, ok := old[g]
		if !ok || remake[g] {
			gf = ix.group(g, ids[lo:hi])
		}
		ix.groups[g], out[g] = gf, gf
		lo = hi
	}
	return out
}

// latestCount is how many of the newest documents meta.js shows, the first
// page of the search page when nothing is typed nor filtered: at least its
// page of results.
const latestCount = 10

// latest returns the newest documents, newest first (the day, then the
// id, as the page sorts them), each as [id,card].
func (ix *Indexer) latest(docs []Doc, at map[int32]int) []json.RawMessage {
	ids := slices.Clone(ix.sortedIDs())
	slices.SortStableFunc(ids, func(a, b int32) int {
		return epochDay(docs[at[b]].Date) - epochDay(docs[at[a]].Date)
	})
	out := []json.RawMessage{}
	for _, id := range ids[:min(latestCount, len(ids))] {
		b := strconv.AppendInt([]byte{'['}, int64(id), 10)
		b = append(append(b, ','), ix.docs[id].card...)
		out = append(out, append(b, ']'))
	}
	return out
}

// causeFiles returns, for each root cause of values (sorted), the file of
// the documents with it: the root-cause lift of a query reads it for the
// causes the query names, rather than a table of every document's causes.
func causeFiles(docs []Doc, ids []int32, at map[int32]int, values []string) []File {
	lists := make([][]byte, len(values))
	last := make([]int, len(values)) // the last id of each list, -1 before the first
	for k := range last {
		last[k] = -1
	}
	for _, id := range ids {
		for _, c := range docs[at[id]].RootCauses {
			k, ok := slices.BinarySearch(values, c)
			if !ok || last[k] == int(id) {
				continue
			}
			lists[k] = appendNum(lists[k], int(id)-max(last[k], 0)) // as gaps, the first from 0
			last[k] = int(id)
		}
	}
	files := make([]File, len(values))
	for k, v := range values {
		b := appendJSONString([]byte("PostmortemSearch.cause("), v)
		b = append(append(append(b, ",\""...), lists[k]...), "\");\n"...)
		files[k] = File{"search/c/" + contentName(b, 8) + ".js", b}
	}
	return files
}
