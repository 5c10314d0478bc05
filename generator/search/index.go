package search

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/parallel"
)

// Doc is one postmortem as the search index sees it.
type Doc struct {
	Hash                                      uint64 // changes whenever a field below changes
	Slug, URL, Title                          string // URL relative to the site root
	Date                                      time.Time
	Severity                                  string
	SeverityRank                              int // 1 is the worst; 0 when unknown
	Status                                    string
	RootCauses, ContributingFactors, Services []string
	// CauseTerms are the root causes with the terms above them
	// (postmortem.WithAncestors): the values the root-cause filter and the
	// lift of a query naming a cause read, so that configuration finds
	// the incidents of configuration/api-integration, as the page of
	// configuration lists them. nil reads RootCauses.
	CauseTerms      []string
	Tags            []string // found, not a facet
	DurationMinutes int
	Summary         string
	// Other are the texts of the other fields a reader sees on the page
	// (trigger, detection, authors, action items), counted as the body.
	Other []string
	// Text gives the plain text of the body. It is asked for when the
	// document is analyzed, and when its card is made if it has no
	// Summary, and not kept: at 100,000 postmortems the texts held at once
	// took 0.3 GB.
	Text func() string
}

// causeTerms returns CauseTerms, or RootCauses without them.
func (d *Doc) causeTerms() []string {
	if d.CauseTerms != nil {
		return d.CauseTerms
	}
	return d.RootCauses
}

// body returns the document's text, "" when it has none.
func (d *Doc) body() string {
	if d.Text == nil {
		return ""
	}
	return d.Text()
}

// File is one file of the index, its Path relative to the site root.
type File struct {
	Path string
	Data []byte
}

// analysis is what one document contributes to the index: its terms with
// their weighted frequencies, and its length in words, unweighted, so that
// a field's weight lifts its words without lengthening the document; and
// the terms of its words in their order, for phrases: for each word, the
// index of its term among the document's terms, written with appendNum.
// A term is kept as its number in the names of the counter that analyzed
// the document, four bytes and not a string's sixteen: at 100,000
// documents the analyses held 0.36 GB, most of it strings.
type analysis struct {
	names  []string // the counter's names as they were: not appended to here
	ids    []int32  // the document's terms, by their number in names
	tfs    []int32
	length int
	seq    []byte
}

// term returns the document's k-th term.
func (a *analysis) term(k int) string { return a.names[a.ids[k]] }

// counter counts the terms of one document at a time. It numbers every
// term it meets and remembers the term of every token, so that counting a
// word costs one map look-up, and no stemming nor insertion, once the word
// is known; one counter serves one goroutine.
type counter struct {
	w       Weights
	ids     map[string]int32   // token -> the number of its term
	pairs   map[[2]int32]int32 // two terms' numbers -> that of their compound term
	terms   map[string]int32   // term -> its number
	names   []string
	counts  []int32
	touched []int32
	local   []int32 // term -> 1 + its index in touched, 0 when not there
	seq     []byte  // of the document, see analysis
}

// newCounter returns a counter sized for about docs documents.
func newCounter(docs int, w Weights) *counter {
	n := min(1<<14, 512*docs)
	return &counter{w: w, ids: make(map[string]int32, n), terms: make(map[string]int32, n), pairs: map[[2]int32]int32{}}
}

// add counts the token tok, of weight w, as its term, and returns the
// term's number.
func (c *counter) add(tok string, w int32) int32 {
	id, ok := c.ids[tok]
	if !ok {
		id = c.number(Stem(tok))
		c.ids[strings.Clone(tok)] = id // not a piece of the document's text, kept between builds
	}
	c.count(id, w)
	c.seq = appendNum(c.seq, int(c.local[id]-1))
	return id
}

// addPair counts, of weight w, the compound term (see PairTerm) of the
// terms numbered a and b, whose tokens a joiner parts. It is not a word
// of the document's: neither its length nor its words in order count it.
func (c *counter) addPair(a, b int32, w int32) {
	k := [2]int32{a, b}
	id, ok := c.pairs[k]
	if !ok {
		id = c.number(PairTerm(c.names[a], c.names[b]))
		c.pairs[k] = id
	}
	c.count(id, w)
}

// count adds w to the count of the term numbered id.
func (c *counter) count(id, w int32) {
	if c.local[id] == 0 {
		c.touched = append(c.touched, id)
		c.local[id] = int32(len(c.touched))
	}
	c.counts[id] += w
}

// number returns the number of term t, numbering it if it is new.
func (c *counter) number(t string) int32 {
	id, ok := c.terms[t]
	if !ok {
		id = int32(len(c.names))
		t = strings.Clone(t)
		c.terms[t] = id
		c.names = append(c.names, t)
		c.counts = append(c.counts, 0)
		c.local = append(c.local, 0)
	}
	return id
}

func (c *counter) analyze(d *Doc) analysis {
	length := 0
	add := func(text string, w int) {
		prev := int32(-1)
		scan(text, func(tok string, joined bool) {
			id := c.add(tok, int32(w))
			if joined && prev >= 0 {
				c.addPair(prev, id, int32(w))
			}
			prev = id
			length++
		})
	}
	add(d.Title, c.w.Title)
	for _, s := range d.RootCauses {
		add(s, c.w.RootCauses)
	}
	for _, s := range d.ContributingFactors {
		add(s, c.w.ContributingFactors)
	}
	for _, s := range d.Services {
		add(s, c.w.Services)
	}
	for _, s := range d.Tags {
		add(s, c.w.Tags)
	}
	add(d.Severity, 1)
	for _, s := range d.Other {
		add(s, c.w.Body)
	}
	text := d.body()
	if !strings.Contains(text, d.Summary) {
		add(d.Summary, c.w.Summary)
	}
	add(text, c.w.Body)
	// The terms in the order met: postings are made in the order of the
	// documents, whatever the order of each one's terms.
	a := analysis{names: c.names, ids: slices.Clone(c.touched), tfs: make([]int32, len(c.touched)), length: length,
		seq: slices.Clone(c.seq)}
	for k, id := range c.touched {
		a.tfs[k] = c.counts[id]
		c.counts[id], c.local[id] = 0, 0
	}
	c.touched, c.seq = c.touched[:0], c.seq[:0]
	return a
}

// Indexer builds the index and keeps, between builds, each document's
// analysis and card and each term's postings, so that a rebuild after
// a few documents changed costs about what their terms do. It is not safe
// for concurrent use.
type Indexer struct {
	opts    Options          // of the last build, the weights defaulted
	bits    int              // of the ids of the last build (see idBits)
	docs    map[int32]*entry // by id, as of the last build
	metas   map[int]metaPart // each part of the meta table, as of the last build
	rowKeys map[int32]uint64 // by id, the key of its row of the meta table (metaOf), as of the last build
	gbits   int              // of the groups of cards of the last build (see groupBits)
	affixes [2]string        // of the URLs of the last build, see urlAffixes
	cards   groups           // the files of the groups of cards, as of the last build
	top     []dated          // the newest documents, newest first, as of the last build

	// The ids of the documents of each root cause, sorted, and its file.
	causeIDs   map[string][]int32
	causeFiles map[string]File
	texts      groups // and of texts, groups twice as large

	// By term.
	terms    []string   // every term, sorted
	data     []termData // of each term, in the order of terms
	dirty    []string   // the terms whose entries changed in this build, sorted
	allDirty bool       // every term's entry changed

	shardFiles map[string]shardFile // shard prefix -> the file last written

	// The ids of the last build, and what they were assigned from.
	ids    []int32
	idKeys []idKey
	idTies bool // two documents had the same key

	// The ids of the documents, sorted, while the same documents are there.
	sorted []int32
}

// entry is what the index keeps of one document.
type entry struct {
	hash   uint64
	slug   string // with url, tells documents that take the same id apart
	url    string
	a      analysis
	card   []byte   // what a result shows of it, see card
	causes []string // its root causes
}

// NewIndexer returns an empty Indexer.
func NewIndexer() *Indexer { return &Indexer{} }

// Build returns every file of the index of docs, with the options opts, in
// any order, sorted by path. The output depends only on docs and opts, not
// on earlier builds, nor on the order of docs: each document's id comes from its slug (see assignIDs), so
// that adding, changing or removing one document changes only the files
// that hold it: the shards of its terms and the rests of those in many
// documents (see denseFrom), the files of its group of
// results, its part of the meta table, the files of its root causes, and
// the table of contents, meta.js.
func (ix *Indexer) Build(docs []Doc, opts Options) []File {
	opts.Weights = opts.Weights.orDefault()
	ids, bits, reused := ix.idsOf(docs)
	affixes := urlAffixes(docs)
	if bits != ix.bits || opts.Weights != ix.opts.Weights || groupBits(len(docs), bits) != ix.gbits || affixes != ix.affixes || ix.opts.Once {
		*ix = Indexer{bits: bits, gbits: groupBits(len(docs), bits), affixes: affixes, ids: ix.ids, idKeys: ix.idKeys, idTies: ix.idTies}
		reused = false
	}
	ix.opts = opts
	// The ids of the documents new, changed or gone since the last build.
	var changed []int32
	at := make(map[int32]int, len(docs)) // id -> index in docs
	for i := range docs {
		at[ids[i]] = i
		if e := ix.docs[ids[i]]; e == nil || e.hash != docs[i].Hash || e.slug != docs[i].Slug || e.url != docs[i].URL {
			changed = append(changed, ids[i])
		}
	}
	if !reused { // the ids of the last build are those of docs
		ix.sorted = nil
		for id := range ix.docs {
			if _, ok := at[id]; !ok {
				changed = append(changed, id)
			}
		}
	}
	slices.Sort(changed)
	before := map[int32][]string{} // the root causes of the changed, as of the last build
	for _, id := range changed {
		if e := ix.docs[id]; e != nil {
			before[id] = e.causes
		}
	}

	if ix.docs != nil && len(changed) <= len(docs)/20+1 {
		// Few changed: only their terms are redone.
		before := ix.analyses(changed)
		ix.analyze(docs, at, changed)
		ix.update(changed, before, ix.analyses(changed))
	} else {
		ix.reanalyze(docs, at, changed)
		ix.rebuild()
	}
	parallel.For(len(changed), func(k int) {
		if e := ix.docs[changed[k]]; e != nil {
			e.card = card(&docs[at[changed[k]]], ix.affixes)
		}
	})

	shardFiles, shardKeys, rests := ix.shards()
	parts := ix.updateMeta(docs, at, changed)
	ix.cards.shift, ix.texts.shift = ix.bits-ix.gbits, ix.bits-max(0, ix.gbits-1)
	cards := ix.cards.update(ix.sortedIDs(), changed, ix.cardFile)
	texts := ix.texts.update(ix.sortedIDs(), changed, ix.textFile)
	m := newMeta(len(docs), parts, shardFiles, shardKeys, opts)
	m.Cards = Groups{ix.cards.shift, groupName, names(cards, 1<<ix.gbits)}
	m.Texts = Groups{ix.texts.shift, groupName, names(texts, 1<<max(0, ix.gbits-1))}
	causes := ix.updateCauses(docs, at, changed, before, m.Values["root_cause"])
	for _, f := range causes {
		m.Causes = append(m.Causes, strings.TrimPrefix(f.Path, "search/"))
	}
	m.Latest, m.URL = ix.latest(docs, at, changed), ix.affixes
	var lengths [64]int // how many documents have each packed length
	for _, id := range ix.sortedIDs() {
		lengths[packLength(ix.docs[id].a.length)]++
	}
	total := 0.0
	for k, n := range lengths {
		total += float64(n) * math.Pow(lengthBase, float64(k))
	}
	m.Avglen = max(1, total/float64(max(1, len(docs))))

	// In the order of the paths: "search/c/" < "search/f/" < "search/m/" <
	// "search/meta.js" < "search/r/" < "search/t/" < "search/x/".
	files := make([]File, 0, len(causes)+len(cards)+len(texts)+len(parts)+1+len(rests)+len(shardFiles))
	files = append(files, causes...)
	slices.SortFunc(files, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	files = appendGroups(files, cards)
	for _, p := range parts { // by number, of one digit
		files = append(files, p.file)
	}
	files = append(files, m.file())
	files = append(files, rests...)
	slices.SortFunc(shardFiles, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	files = append(files, shardFiles...)
	return appendGroups(files, texts)
}

// appendGroups appends to files those of gs, by path.
func appendGroups(files, gs []File) []File {
	from := len(files)
	for _, f := range gs {
		if f.Path != "" {
			files = append(files, f)
		}
	}
	slices.SortFunc(files[from:], func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return files
}

// analyze analyzes anew the documents of ids that are in docs (at gives
// their index) and drops the others.
func (ix *Indexer) analyze(docs []Doc, at map[int32]int, ids []int32) {
	if ix.docs == nil {
		ix.docs = make(map[int32]*entry, len(docs))
	}
	var todo []int32
	for _, id := range ids {
		i, ok := at[id]
		if !ok {
			delete(ix.docs, id)
			continue
		}
		ix.docs[id] = &entry{hash: docs[i].Hash, slug: docs[i].Slug, url: docs[i].URL, causes: slices.Clone(docs[i].causeTerms())}
		todo = append(todo, id)
	}
	// In the order of docs, not of ids: the site's pages read the bodies in
	// that order too, and a build that runs once lets a body go once both
	// read it (postmortem.DropBody). In the order of ids, most bodies were
	// still held half way through the pages.
	slices.SortFunc(todo, func(a, b int32) int { return cmp.Compare(at[a], at[b]) })
	parallel.Workers(len(todo), func() func(int) {
		c := newCounter(len(todo), ix.opts.Weights)
		return func(k int) { ix.docs[todo[k]].a = c.analyze(&docs[at[todo[k]]]) }
	})
}

// reanalyze brings the analyses up to docs, analyzing only the documents
// whose hash the last build did not have, and keeping the cards of
// those not in changed.
func (ix *Indexer) reanalyze(docs []Doc, at map[int32]int, changed []int32) {
	old := make(map[uint64]analysis, len(ix.docs))
	for _, e := range ix.docs {
		old[e.hash] = e.a
	}
	var todo []int32 // to analyze anew, or to drop when gone from docs
	for _, id := range changed {
		if i, ok := at[id]; ok {
			if a, ok := old[docs[i].Hash]; ok { // then ix.docs is not nil
				ix.docs[id] = &entry{hash: docs[i].Hash, slug: docs[i].Slug, url: docs[i].URL, a: a, causes: slices.Clone(docs[i].causeTerms())}
				continue
			}
		}
		todo = append(todo, id)
	}
	ix.analyze(docs, at, todo)
}

// analyses returns the analysis of each document of ids, the zero one for
// those the index does not hold.
func (ix *Indexer) analyses(ids []int32) []analysis {
	out := make([]analysis, len(ids))
	for k, id := range ids {
		if e := ix.docs[id]; e != nil {
			out[k] = e.a
		}
	}
	return out
}

// sortedIDs returns the ids of the documents, sorted.
func (ix *Indexer) sortedIDs() []int32 {
	if ix.sorted == nil {
		ix.sorted = make([]int32, 0, len(ix.docs))
		for id := range ix.docs {
			ix.sorted = append(ix.sorted, id)
		}
		slices.Sort(ix.sorted)
	}
	return ix.sorted
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
