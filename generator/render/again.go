package render

import (
	"context"

	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// BodiesShown reports whether a template of r has shown the body of a
// postmortem through .PM.HTML or .PM.Text, on any page, in any render so
// far: then a page may show a postmortem's body besides its own, and
// Again may not be used.
func (r *Renderer) BodiesShown() bool { return r.bodiesShown }

// Again renders again the pages of the postmortems of pms, whose bodies
// alone changed since the last render, of s, and gives emit those whose
// bytes changed. Each of pms must be the very postmortem that render had, its
// body taken from a later parse of its file (postmortem.TakeBody), so
// that every other field is as it was: the data of every page is then as
// that render made it, and only the pages of pms can show what changed,
// in Page.Body, unless a template shows bodies elsewhere (BodiesShown).
// The last render must have been kept (see Keep), by a renderer that
// renders again. A postmortem of pms not on the site has no page to
// render.
func (r *Renderer) Again(ctx context.Context, s *link.Site, pms []*postmortem.Postmortem, emit Emit) error {
	r.next, r.again = nil, nil
	redo := make(map[*postmortem.Postmortem]bool, len(pms))
	for _, p := range pms {
		redo[p] = true
	}
	r.ledgerMu.Lock()
	l := r.ledger
	r.ledgerMu.Unlock()
	var pages []page
	var made []memo
	for i := range r.pms {
		pg := &r.pms[i]
		if !redo[pg.Incident.PM] {
			continue
		}
		pages = append(pages, page{pg, "postmortem.html", func(pg *Page) { l.fillActions(pg, r.cfg.Labels) }})
		made = append(made, r.memo[pg.Path])
	}
	todo := make([]int, len(pages))
	for k := range todo {
		todo[k] = k
	}
	shared := r.newShared()
	r.frags.shared = shared
	if err := r.run(ctx, pages, todo, made, shared, emit); err != nil {
		return err
	}
	r.noteShown(s.Postmortems)
	r.again = make(map[string]memo, len(pages))
	for k, pg := range pages {
		r.again[pg.Path] = made[k] // the key of its data, which is as it was
	}
	return nil
}
