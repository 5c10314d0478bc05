package render

import (
	"context"
	"html/template"
	"slices"
	"text/template/parse"

	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// BodiesShown reports whether a template of r has shown the body of a
// postmortem through .PM.HTML or .PM.Text, or the hash of its file
// through .PM.Hash, on any page, in any render so far: then a page may
// show what a body edit changes besides its own, and Again may not be
// used.
func (r *Renderer) BodiesShown() bool { return r.bodiesShown }

// PlacesShown reports whether a template of r may show where in its file
// what a body holds is (the lines of the timeline's entries, references,
// links and action items): whether one names a field Line or Col, or calls
// printf (whose verbs such as %d print every field). Printed otherwise, or
// written into a script as JSON, these show no place, and they cannot be
// compared with eq. Then Again may not be used after an edit that moves
// them (see postmortem.SameButBody).
func (r *Renderer) PlacesShown() bool { return r.placesShown }

// placeNames are the names that make a theme show places (PlacesShown).
var placeNames = []string{"Line", "Col", "printf"}

// namesPlaces reports whether a template of pages names one of
// placeNames, as a field or a function.
func namesPlaces(pages map[string]*template.Template) bool {
	for _, t := range pages {
		for _, tt := range t.Templates() {
			if tt.Tree != nil && names(tt.Tree.Root, placeNames...) {
				return true
			}
		}
	}
	return false
}

// names reports whether the tree at n names one of wanted, as a field of
// the dot, of a variable or of a chain, or as a function.
func names(n parse.Node, wanted ...string) bool {
	in := func(idents []string) bool {
		return slices.ContainsFunc(idents, func(id string) bool { return slices.Contains(wanted, id) })
	}
	anyOf := func(nodes ...parse.Node) bool {
		return slices.ContainsFunc(nodes, func(n parse.Node) bool { return n != nil && names(n, wanted...) })
	}
	switch n := n.(type) {
	case *parse.ListNode:
		return n != nil && anyOf(n.Nodes...)
	case *parse.ActionNode:
		return anyOf(n.Pipe)
	case *parse.IfNode:
		return anyOf(n.Pipe, n.List, n.ElseList)
	case *parse.RangeNode:
		return anyOf(n.Pipe, n.List, n.ElseList)
	case *parse.WithNode:
		return anyOf(n.Pipe, n.List, n.ElseList)
	case *parse.TemplateNode:
		return anyOf(n.Pipe)
	case *parse.PipeNode:
		if n == nil {
			return false
		}
		for _, c := range n.Cmds {
			if anyOf(c.Args...) {
				return true
			}
		}
	case *parse.IdentifierNode:
		return slices.Contains(wanted, n.Ident)
	case *parse.FieldNode:
		return in(n.Ident)
	case *parse.VariableNode:
		return in(n.Ident[1:])
	case *parse.ChainNode:
		return in(n.Field) || anyOf(n.Node)
	}
	return false
}

// Again renders again the pages of the postmortems of pms, whose bodies
// alone changed since the last render, of s, and gives emit those whose
// bytes changed. Each of pms must be the very postmortem that render had, its
// body taken from a later parse of its file (postmortem.TakeBody), so
// that every other field is as it was but for the places of what the body
// holds: the data of every page is then as that render made it, and only
// the pages of pms can show what changed, in Page.Body, unless a template
// shows bodies elsewhere (BodiesShown) or places anywhere (PlacesShown).
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
