package postmortem

import (
	"bytes"
	"compress/flate"
	"html/template"
	"io"
	"sync"
)

// heldBody is the rendered body of a postmortem, which a build that runs once
// lets go once its readers are done with it (see DropBody), and may hold
// compressed until then (see PackBody): at 100,000 postmortems the bodies
// took 0.4 GB, held until the end of the build, and 0.3 GB until their
// pages were rendered.
type heldBody struct {
	mu     sync.Mutex
	html   template.HTML
	packed []byte               // html, compressed by PackBody
	left   int                  // reads still to come before html goes; 0 to keep it
	gone   bool                 // html went
	again  func() template.HTML // renders the body anew once it went
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
	h, packed, gone, again := b.html, b.packed, b.gone, b.again
	b.mu.Unlock()
	switch {
	case gone:
		return again()
	case packed != nil:
		return template.HTML(unpack(packed))
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

// PackBody holds the body of p compressed, about 40 % of its size, until
// it goes: each read then costs about 15 µs a body to decompress, and
// PackBody 25 µs to compress.
func PackBody(p *Postmortem) {
	if p.body == nil {
		return
	}
	p.body.mu.Lock()
	defer p.body.mu.Unlock()
	if p.body.packed == nil && p.body.html != "" {
		p.body.packed, p.body.html = pack(string(p.body.html)), ""
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
		b.html, b.packed, b.gone = "", nil, true
	}
}

// packers and unpackers are the compressors and decompressors of bodies,
// kept for reuse: a compressor holds about 1 MB of tables.
var (
	packers   = sync.Pool{New: func() any { w, _ := flate.NewWriter(nil, flate.BestSpeed); return w }}
	unpackers = sync.Pool{New: func() any { return flate.NewReader(nil) }}
)

// pack returns s compressed.
func pack(s string) []byte {
	var b bytes.Buffer
	w := packers.Get().(*flate.Writer)
	defer packers.Put(w)
	w.Reset(&b)
	io.WriteString(w, s) // a bytes.Buffer does not fail
	w.Close()
	return bytes.Clone(b.Bytes()) // not the buffer's spare room
}

// unpack returns what pack compressed into data.
func unpack(data []byte) string {
	r := unpackers.Get().(io.ReadCloser)
	defer unpackers.Put(r)
	r.(flate.Resetter).Reset(bytes.NewReader(data), nil)
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		panic("postmortem: a held body does not decompress: " + err.Error()) // pack wrote it
	}
	return b.String()
}
