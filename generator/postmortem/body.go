package postmortem

import (
	"html/template"
	"io"
	"sync"
	"unsafe"
)

// heldBody is the rendered body of a postmortem, which a build that runs once
// lets go once its readers are done with it (see DropBody), and may hold
// out of memory until then (see SpillBody): at 100,000 postmortems the
// bodies took 0.4 GB, held until the end of the build, and 0.3 GB until
// their pages were rendered.
type heldBody struct {
	mu    sync.Mutex
	html  template.HTML
	spill *Spill // holds html, from at, when not nil (see SpillBody)
	at    int64
	n     int
	left  int                  // reads still to come before html goes; 0 to keep it
	gone  bool                 // html went
	again func() template.HTML // renders the body anew once it went
}

// HTML is the rendered body, its references to other postmortems not yet
// resolved (see markdown.Resolve): the page shows it resolved. Once let
// go (see DropBody), it is rendered anew at each call.
func (p *Postmortem) HTML() template.HTML {
	if p.body == nil {
		return ""
	}
	b := p.body
	b.mu.Lock()
	h, spill, at, n, gone, again := b.html, b.spill, b.at, b.n, b.gone, b.again
	b.mu.Unlock()
	if spill != nil && !gone {
		if h, err := spill.read(at, n); err == nil {
			return h
		}
		gone = true // the spill failed: made anew, as it would once gone
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

// SpillBody holds the body of p in spill, out of memory, until it goes (see
// DropBody): each read then reads it back. A body that cannot be written
// stays in memory; one that cannot be read back is made anew by again, as
// once it went.
func SpillBody(p *Postmortem, spill *Spill, again func() template.HTML) {
	if p.body == nil {
		return
	}
	b := p.body
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.spill != nil || b.html == "" || b.gone {
		return
	}
	if b.again == nil {
		b.again = again
	}
	if at, err := spill.write(string(b.html)); err == nil {
		b.spill, b.at, b.n, b.html = spill, at, len(b.html), ""
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
		b.html, b.spill, b.gone = "", nil, true
	}
}

// Spill is a file that holds the bodies of a large build that runs once
// until their pages are made (see SpillBody): at 100,000 postmortems,
// 0.3 GB that the collector would otherwise keep and scan past, and that
// compressing in memory cost 13 CPU-s to write and read back. It is safe
// for concurrent use.
type Spill struct {
	f   SpillFile
	mu  sync.Mutex
	end int64 // where the next body goes
}

// SpillFile is the file a Spill writes and reads, such as an *os.File of
// the output's scratch (output.Staging.Scratch).
type SpillFile interface {
	io.ReaderAt
	io.WriterAt
}

// NewSpill returns a spill that holds bodies in f, from its start.
func NewSpill(f SpillFile) *Spill { return &Spill{f: f} }

// write appends html and returns where it starts.
func (s *Spill) write(html string) (int64, error) {
	s.mu.Lock()
	at := s.end
	s.end += int64(len(html))
	s.mu.Unlock()
	// WriteAt does not write to its slice.
	_, err := s.f.WriteAt(unsafe.Slice(unsafe.StringData(html), len(html)), at)
	return at, err
}

// read returns the n bytes written at at.
func (s *Spill) read(at int64, n int) (template.HTML, error) {
	buf := make([]byte, n)
	if _, err := s.f.ReadAt(buf, at); err != nil {
		return "", err
	}
	// buf is not written again, nor kept but as the string.
	return template.HTML(unsafe.String(unsafe.SliceData(buf), n)), nil
}
