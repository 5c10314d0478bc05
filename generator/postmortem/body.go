package postmortem

import (
	"html/template"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/postmortem/postmortem/generator/scratch"
)

// heldBody is the rendered body of a postmortem, which a build that runs once
// lets go once its readers are done with it (see DropBody), and may hold
// out of memory until then (see SpillBody): at 100,000 postmortems the
// bodies took 0.4 GB, held until the end of the build, and 0.3 GB until
// their pages were rendered.
type heldBody struct {
	mu      sync.Mutex
	html    template.HTML
	spilled scratch.Bytes        // holds html when in a file (see SpillBody)
	left    int                  // reads still to come before html goes; 0 to keep it
	gone    bool                 // html went
	again   func() template.HTML // renders the body anew once it went
	// shown is set once HTML, Text or Hash is called: by a template, as
	// the pipeline reads them through BodyHTML, BodyText and HashOf.
	shown atomic.Bool
}

// HTML is the rendered body, its references to other postmortems not yet
// resolved (see markdown.Resolve): the page shows it resolved. Once let
// go (see DropBody), it is rendered anew at each call. It is for
// templates: a call marks the body as shown (see BodyShown).
func (p *Postmortem) HTML() template.HTML {
	if p.body != nil {
		p.body.shown.Store(true)
	}
	return BodyHTML(p)
}

// BodyHTML is p.HTML for the pipeline: it does not mark the body as shown.
func BodyHTML(p *Postmortem) template.HTML {
	if p.body == nil {
		return ""
	}
	b := p.body
	b.mu.Lock()
	h, spilled, gone, again := b.html, b.spilled, b.gone, b.again
	b.mu.Unlock()
	if spilled.InFile() && !gone {
		if h, err := spilled.ReadString(); err == nil {
			return template.HTML(h)
		}
		gone = true // the file failed: made anew, as it would once gone
	}
	if gone {
		if again == nil {
			return ""
		}
		return again()
	}
	return h
}

// DropBody lets the body of p go after n calls of BodyRead: a build that
// runs once counts the postmortem's own page and its search document. A
// reader after that, such as a theme that shows the bodies of other
// incidents, gets it from again, which renders it anew. DropBody and
// BodyRead are functions, not methods, so that no template calls them.
func DropBody(p *Postmortem, n int, again func() template.HTML) {
	if p.body == nil || n <= 0 {
		return
	}
	p.body.mu.Lock()
	p.body.left, p.body.again = n, again
	p.body.mu.Unlock()
}

// SpillBody holds the body of p in file, out of memory, until it goes (see
// DropBody): each read then reads it back. At 100,000 postmortems that is
// 0.3 GB that the collector would otherwise keep and scan past, and that
// compressing in memory cost 13 CPU-s to write and read back. A body that
// cannot be written stays in memory; one that cannot be read back is made
// anew by again, as once it went.
func SpillBody(p *Postmortem, file *scratch.File, again func() template.HTML) {
	if p.body == nil || file == nil {
		return
	}
	b := p.body
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.spilled.InFile() || b.html == "" || b.gone {
		return
	}
	if b.again == nil {
		b.again = again
	}
	if h := file.HoldString(string(b.html)); h.InFile() {
		b.spilled, b.html = h, ""
	}
}

// BodyRead says that one of the reads of the body of p that DropBody
// counts is done.
func BodyRead(p *Postmortem) {
	if p.body == nil {
		return
	}
	b := p.body
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.left == 0 {
		return
	}
	if b.left--; b.left == 0 {
		b.html, b.spilled, b.gone = "", scratch.Bytes{}, true
	}
}

// BodyShown reports whether the HTML, Text or Hash method of p was called:
// a template showed what an edit of its body alone changes, be it on its
// own page or another.
func BodyShown(p *Postmortem) bool { return p.body != nil && p.body.shown.Load() }

// Hash is the hash of all the postmortem is made from but the
// configuration: its path, bundle folder and bytes, and the names of its
// bundle's files. It is for templates, as HTML is: a call marks the body
// as shown (see BodyShown), as an edit of the body changes it.
func (p *Postmortem) Hash() uint64 {
	if p.body != nil {
		p.body.shown.Store(true)
	}
	return p.hash
}

// HashOf is p.Hash for the pipeline: it does not mark the body as shown.
// Whatever is made from postmortems alone is the same while their hashes
// are.
func HashOf(p *Postmortem) uint64 { return p.hash }

// SetHash sets the hash of p, which Parse and Load make: for postmortems
// made by hand, as tests of other packages make them.
func SetHash(p *Postmortem, hash uint64) { p.hash = hash }

// SameButBody reports whether a and b, parsed from two versions of one
// file, differ in their bodies at most: whether every field but the hash
// (which stands for the whole file) is deeply equal, those read from the
// body (references, links, timeline, action items, inferred fields)
// included, but for where they are in the file. When same, moved reports
// whether where they are differs: their lines, and the columns of
// references and links. Whatever is made of a postmortem's fields alone,
// but their lines and columns, is then the same for both.
func SameButBody(a, b *Postmortem) (same, moved bool) {
	x, y := *a, *b
	x.hash, y.hash, x.body, y.body, x.fileHash, y.fileHash = 0, 0, nil, nil, 0, 0
	if x.summaryRefs != "" && x.summaryRefs == y.summaryRefs {
		// The same paragraph: the titles linking gave one, the other
		// awaits them.
		x.Summary, y.Summary = "", ""
	}
	if reflect.DeepEqual(x, y) {
		return true, false
	}
	return reflect.DeepEqual(unplaced(x), unplaced(y)), true
}

// unplaced returns p without the lines and columns of what its body holds.
func unplaced(p Postmortem) Postmortem {
	p.Timeline, p.Refs, p.Links, p.ActionItems = slices.Clone(p.Timeline), slices.Clone(p.Refs), slices.Clone(p.Links), slices.Clone(p.ActionItems)
	for i := range p.Timeline {
		p.Timeline[i].Line = 0
	}
	for i := range p.Refs {
		p.Refs[i].Line, p.Refs[i].Col = 0, 0
	}
	for i := range p.Links {
		p.Links[i].Line, p.Links[i].Col = 0, 0
	}
	for i := range p.ActionItems {
		p.ActionItems[i].Line = 0
	}
	return p
}

// TakeBody makes dst hold the body of src, its hash, and where what the
// body holds is: then dst is as src, when SameButBody(dst, src). What holds
// dst keeps it, so that a rebuild after an edit of a body alone finds
// every view of the postmortem where it was (see site.Builder). The body's
// reads by templates start again from none (BodyShown).
func TakeBody(dst, src *Postmortem) {
	dst.hash, dst.body, dst.fileHash = src.hash, src.body, 0
	if dst.summaryRefs != "" {
		rehash(dst, src.hash) // its summary, whose titles no edit of a body alone changes
	}
	dst.Timeline, dst.Refs, dst.Links, dst.ActionItems = src.Timeline, src.Refs, src.Links, src.ActionItems
}
