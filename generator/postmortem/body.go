package postmortem

import (
	"html/template"
	"sync"
)

// heldBody is the rendered body of a postmortem, which a build that runs once
// lets go once its readers are done with it (see DropBody): at 100,000
// postmortems the bodies took 0.4 GB, held until the end of the build.
type heldBody struct {
	mu    sync.Mutex
	html  template.HTML
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
	h, gone, again := b.html, b.gone, b.again
	b.mu.Unlock()
	if gone {
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
		b.html, b.gone = "", true
	}
}
