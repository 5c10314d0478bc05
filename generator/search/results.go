package search

import (
	"cmp"
	"encoding/json"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/postmortem/postmortem/generator/parallel"
)

// What a result shows is in files of about 32 to 64 documents each, the
// documents whose ids share their high bits (a group): search/f/ holds
// their cards (title, URL, date, severity, root causes and a snippet), all
// a page of results needs. search/x/ holds, for groups twice as large, the
// terms of their words in order, which only a phrase is checked against.
// Ids are stable (see assignIDs), so a new postmortem changes the two files
// of its groups, and the output holds a file of cards for every 32 to 64
// postmortems and one of texts for every 64 to 128, rather than a file for
// each.

// groupBits is how many bits of an id number its group of cards, for n
// documents with ids of idBits bits: 2^groupBits groups, of 32 to 64
// documents each on average (one group below 64 documents). Only a change
// of n across a power of two regroups the documents.
func groupBits(n, idBits int) int {
	return min(idBits, max(0, bits.Len(uint(n/32))-1))
}

// groupName is how many letters of a group's file name come from its
// content: meta.js lists them all.
const groupName = 4

// snippetLen is about the most bytes of a card's snippet.
const snippetLen = 100

// groups are the files of one kind of group, as of the last build.
type groups struct {
	shift int          // the group of id is id >> shift
	files map[int]File // by group
}

// card encodes what a result shows of d as a JSON array: title, URL (less
// the affixes every URL has, see urlAffixes), date, severity, root causes
// and snippet (the summary, or the opening of the text when there is
// none, cut at a word).
func card(d *Doc, affixes [2]string) []byte {
	b := make([]byte, 0, len(d.Title)+len(d.URL)+snippetLen+64)
	b = append(b, '[')
	b = appendJSONString(b, d.Title)
	b = append(b, ',')
	b = appendJSONString(b, d.URL[len(affixes[0]):len(d.URL)-len(affixes[1])])
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
	about := strings.TrimSpace(d.Summary)
	if about == "" {
		about = strings.TrimSpace(d.body())
	}
	b = appendJSONString(b, snippet(about))
	return append(b, ']')
}

// urlAffixes returns what every URL of docs starts with, up to a slash,
// and ends with, from a dot after the last slash ("incidents/" and
// ".html"): the cards leave them out, and meta.js gives them.
func urlAffixes(docs []Doc) [2]string {
	if len(docs) == 0 {
		return [2]string{}
	}
	pre, suf := docs[0].URL, docs[0].URL
	for i := 1; i < len(docs); i++ {
		u := docs[i].URL
		for !strings.HasPrefix(u, pre) {
			pre = pre[:len(pre)-1]
		}
		for !strings.HasSuffix(u, suf) {
			suf = suf[1:]
		}
	}
	pre = pre[:strings.LastIndexByte(pre, '/')+1]
	suf = suf[strings.LastIndexByte(suf, '/')+1:]
	if i := strings.IndexByte(suf, '.'); i >= 0 {
		return [2]string{pre, suf[i:]}
	}
	return [2]string{pre, ""}
}

// snippet is s cut to about snippetLen bytes at a space, with an ellipsis
// when cut, its whitespace runs made single spaces.
func snippet(s string) string {
	if len(s) > 4*snippetLen { // enough for the snippet, whatever its spaces
		cut := 4 * snippetLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + " …" // cut below, unless most of it was spaces
	}
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

// cardFile makes the file of cards of group g, of the documents of ids,
// sorted: PostmortemSearch.cards(G,{"ID":card,...}).
func (ix *Indexer) cardFile(g int, ids []int32) File {
	size := 0
	for _, id := range ids {
		size += len(ix.docs[id].card) + 12
	}
	b := make([]byte, 0, size+40)
	b = append(b, "PostmortemSearch.cards("+strconv.Itoa(g)+",{"...)
	for k, id := range ids {
		if k > 0 {
			b = append(b, ',')
		}
		b = append(strconv.AppendInt(append(b, '"'), int64(id), 10), `":`...)
		b = append(b, ix.docs[id].card...)
	}
	b = append(b, "});\n"...)
	return File{"search/f/" + strconv.FormatInt(int64(g), 36) + "." + contentName(b, groupName) + ".js", b}
}

// textFile makes the file of texts of group g, of the documents of ids,
// sorted: PostmortemSearch.texts(G,[term,...],{"ID":"CODES",...}), the
// terms of the group's documents, the most frequent first (then in the
// order met), and for each document the index of the term of each of its
// words (see analysis), written with appendTextNum: the 80 most frequent
// terms of the group take one digit, the next 960 two.
func (ix *Indexer) textFile(g int, ids []int32) File {
	// The group's terms in the order met, with their counts, and each
	// document's terms as positions among them: one map look-up a term of
	// a document, not a word. The scratch is reused from group to group:
	// made anew each time, at 100,000 documents the maps and positions of
	// the groups under way were most of the index's memory.
	x := textScratches.Get().(*textScratch)
	defer textScratches.Put(x)
	clear(x.pos)
	dict, locals, from := x.dict[:0], x.locals[:0], x.from[:0]
	for _, id := range ids {
		a := &ix.docs[id].a
		counts := append(x.counts[:0], make([]int32, len(a.ids))...)
		forEachNum(a.seq, func(k int) { counts[k]++ })
		x.counts = counts
		from = append(from, len(locals))
		for k := range a.ids {
			if counts[k] == 0 { // a compound term, not a word in order
				locals = append(locals, -1)
				continue
			}
			t := a.term(k)
			p, ok := x.pos[t]
			if !ok {
				p = int32(len(dict))
				x.pos[t] = p
				dict = append(dict, textTerm{t: t, at: p})
			}
			dict[p].n += int(counts[k])
			locals = append(locals, p)
		}
	}
	x.dict, x.locals, x.from = dict, locals, from
	// The most frequent first, then in the order met.
	slices.SortFunc(dict, func(x, y textTerm) int { return cmp.Or(y.n-x.n, int(x.at-y.at)) })
	index := append(x.index[:0], make([]int, len(dict))...) // position in the order met -> in dict
	x.index = index
	size := 0
	for k, t := range dict {
		index[t.at] = k
		size += len(t.t) + 3
	}
	for _, id := range ids {
		size += len(ix.docs[id].a.seq)*3/2 + 12
	}
	b := make([]byte, 0, size+40)
	b = append(b, "PostmortemSearch.texts("+strconv.Itoa(g)+",["...)
	for k, t := range dict {
		if k > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, t.t)
	}
	b = append(b, "],{"...)
	for j, id := range ids {
		if j > 0 {
			b = append(b, ',')
		}
		b = append(strconv.AppendInt(append(b, '"'), int64(id), 10), `":"`...)
		local := locals[from[j]:]
		forEachNum(ix.docs[id].a.seq, func(k int) { b = appendTextNum(b, index[local[k]]) })
		b = append(b, '"')
	}
	b = append(b, "});\n"...)
	return File{"search/x/" + strconv.FormatInt(int64(g), 36) + "." + contentName(b, groupName) + ".js", b}
}

// textDigits are the digits of the files of texts: the printable ASCII
// characters a JSON string holds as they are, all but the quote and the
// backslash. The first textEnds of them end a number; the rest
// (textLinks) come before its last digit.
const (
	textDigits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!#$%&'()*+,-./:;<=>?@[]^_`{|}~"
	textEnds   = 80
	textLinks  = len(textDigits) - textEnds
)

// appendTextNum appends v to b in textDigits: a number below textEnds as
// one digit, a larger one as digits of textLinks then a last digit of
// textEnds, each length holding the numbers that follow those of the
// shorter ones (80 of one digit, 960 of two, 11,520 of three). A group's
// words are written about 1.36 digits each at 100,000, against 1.68 in
// appendNum's 32 of one digit.
func appendTextNum(b []byte, v int) []byte {
	n, span := 1, textEnds // the digits of v, and how many numbers take n
	for v >= span {
		v -= span
		span *= textLinks
		n++
	}
	at := len(b)
	b = append(b, make([]byte, n)...)
	b[at+n-1] = textDigits[v%textEnds]
	v /= textEnds
	for i := at + n - 2; i >= at; i-- {
		b[i] = textDigits[textEnds+v%textLinks]
		v /= textLinks
	}
	return b
}

// textTerm is a term of a group's file of texts: how often its documents
// have it, and where it was first met.
type textTerm struct {
	t  string
	n  int
	at int32
}

// textScratch is what textFile makes a file with, kept for the next.
type textScratch struct {
	pos    map[string]int32 // term -> its position in dict
	dict   []textTerm
	locals []int32 // each document's index of a term -> its position in dict, one after the other
	from   []int   // where each document's are in locals
	counts []int32
	index  []int
}

var textScratches = sync.Pool{New: func() any { return &textScratch{pos: map[string]int32{}} }}

// forEachNum calls fn with each number appendNum wrote in b.
func forEachNum(b []byte, fn func(int)) {
	v := 0
	for _, c := range b {
		d := digitValue[c]
		v = v<<5 | int(d&31)
		if d < 32 {
			fn(v)
			v = 0
		}
	}
}

// digitValue is the value of each digit of digits.
var digitValue = func() (t [256]byte) {
	for k := range len(digits) {
		t[digits[k]] = byte(k)
	}
	return t
}()

// update returns the files of every group, a zero File for a group without
// documents, remaking with build those that hold a document of changed and
// keeping the others. gs.shift is set.
func (gs *groups) update(ids, changed []int32, build func(g int, ids []int32) File) []File {
	remake := map[int]bool{}
	for _, id := range changed {
		remake[int(id)>>gs.shift] = true
	}
	old := gs.files
	gs.files = map[int]File{}
	n := 0
	if len(ids) > 0 {
		n = int(ids[len(ids)-1])>>gs.shift + 1
	}
	out := slices.Grow([]File(nil), n)[:n]
	var todo []int
	spans := map[int][2]int{}
	for lo := 0; lo < len(ids); {
		g := int(ids[lo]) >> gs.shift
		hi := lo
		for hi < len(ids) && int(ids[hi])>>gs.shift == g {
			hi++
		}
		if f, ok := old[g]; ok && !remake[g] {
			out[g] = f
		} else {
			todo = append(todo, g)
			spans[g] = [2]int{lo, hi}
		}
		lo = hi
	}
	parallel.For(len(todo), func(k int) {
		sp := spans[todo[k]]
		out[todo[k]] = build(todo[k], ids[sp[0]:sp[1]])
	})
	for g, f := range out {
		if f.Path != "" {
			gs.files[g] = f
		}
	}
	return out
}

// names returns the groupName letters of the name of each group's file,
// "-" for a group without one.
func names(files []File, all int) string {
	b := make([]byte, 0, groupName*all)
	for g := range all {
		if g < len(files) && files[g].Path != "" {
			p := files[g].Path
			b = append(b, p[len(p)-len(".js")-groupName:len(p)-len(".js")]...)
		} else {
			b = append(b, strings.Repeat("-", groupName)...)
		}
	}
	return string(b)
}

// latestCount is how many of the newest documents meta.js shows, the first
// page of the search page when nothing is typed nor filtered: at least its
// page of results.
const latestCount = 10

// dated is a document's id and day.
type dated struct {
	id  int32
	day int
}

// newer says whether a comes before b, the newest first: the later day,
// then the smaller id, as the page sorts them.
func newer(a, b dated) bool { return a.day > b.day || a.day == b.day && a.id < b.id }

// latest returns the newest documents, newest first, each as [id,card].
// It keeps those of the last build when no document of changed would be
// among them, nor is one of them.
func (ix *Indexer) latest(docs []Doc, at map[int32]int, changed []int32) []json.RawMessage {
	keep := len(ix.top) == latestCount
	for _, id := range changed {
		if !keep {
			break
		}
		i, ok := at[id]
		keep = !slices.ContainsFunc(ix.top, func(d dated) bool { return d.id == id }) &&
			(!ok || newer(ix.top[latestCount-1], dated{id, epochDay(docs[i].Date)}))
	}
	if !keep {
		// The newest latestCount, kept sorted as the ids go by in order.
		ix.top = ix.top[:0]
		for _, id := range ix.sortedIDs() {
			d := dated{id, epochDay(docs[at[id]].Date)}
			if len(ix.top) == latestCount && !newer(d, ix.top[len(ix.top)-1]) {
				continue
			}
			k, _ := slices.BinarySearchFunc(ix.top, d, func(x, d dated) int {
				if newer(x, d) {
					return -1
				}
				return 1
			})
			ix.top = slices.Insert(ix.top, k, d)
			if len(ix.top) > latestCount {
				ix.top = ix.top[:latestCount]
			}
		}
	}
	out := []json.RawMessage{}
	for _, d := range ix.top {
		b := strconv.AppendInt([]byte{'['}, int64(d.id), 10)
		b = append(append(b, ','), ix.docs[d.id].card...)
		out = append(out, append(b, ']'))
	}
	return out
}

// updateCauses brings the documents of each root cause up to docs after
// the documents of changed did (before gives their root causes as of the
// last build, when they were there), and returns the file of each root
// cause of values, sorted: the root-cause lift of a query reads it for the
// causes the query names, rather than a table of every document's causes.
// Only the files of the causes of changed documents are made again.
func (ix *Indexer) updateCauses(docs []Doc, at map[int32]int, changed []int32, before map[int32][]string, values []string) []File {
	dirty := map[string]bool{}
	if ix.causeIDs == nil {
		ix.causeIDs, ix.causeFiles = map[string][]int32{}, map[string]File{}
		for _, id := range ix.sortedIDs() {
			for _, c := range docs[at[id]].causeTerms() {
				if l := ix.causeIDs[c]; len(l) == 0 || l[len(l)-1] != id {
					ix.causeIDs[c] = append(l, id)
				}
			}
		}
	} else {
		for _, id := range changed {
			for _, c := range before[id] {
				if k, ok := slices.BinarySearch(ix.causeIDs[c], id); ok {
					ix.causeIDs[c] = slices.Delete(ix.causeIDs[c], k, k+1)
				}
				dirty[c] = true
			}
			if i, ok := at[id]; ok {
				for _, c := range docs[i].causeTerms() {
					if k, ok := slices.BinarySearch(ix.causeIDs[c], id); !ok {
						ix.causeIDs[c] = slices.Insert(ix.causeIDs[c], k, id)
					}
					dirty[c] = true
				}
			}
		}
	}
	files := make([]File, len(values))
	for k, v := range values {
		f, ok := ix.causeFiles[v]
		if !ok || dirty[v] {
			b := appendJSONString([]byte("PostmortemSearch.cause("), v)
			b = append(b, ",\""...)
			prev := 0
			for _, id := range ix.causeIDs[v] { // as gaps, the first from 0
				b = appendNum(b, int(id)-prev)
				prev = int(id)
			}
			b = append(b, "\");\n"...)
			f = File{"search/c/" + contentName(b, 8) + ".js", b}
			ix.causeFiles[v] = f
		}
		files[k] = f
	}
	for c, l := range ix.causeIDs {
		if len(l) == 0 {
			delete(ix.causeIDs, c)
			delete(ix.causeFiles, c)
		}
	}
	return files
}
