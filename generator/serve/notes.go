package serve

import (
	"maps"
	"slices"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/review"
	"github.com/postmortem/postmortem/generator/site"
)

// reviewAllUpTo is the most postmortems the preview reviews all of after
// a build of everything (its first, or after a change of postmortem.yaml,
// the theme or static/): a review reads each postmortem, and some rules
// its file again, which at 2,000 is a few tens of milliseconds before the
// browsers reload, but at 100,000 seconds of work for every edit of the
// settings. Above it, only the postmortems edited are reviewed.
const reviewAllUpTo = 2000

// reviewed is what the review rules of postmortem check found after a
// successful build.
type reviewed struct {
	pms   []*postmortem.Postmortem // the postmortems reviewed
	found diag.List
	// partial says that pms are not every postmortem of the site: the
	// rules over the whole site did not run.
	partial bool
	// tooMany says that the build was of everything but the site has more
	// than reviewAllUpTo postmortems: only those edited were reviewed.
	tooMany bool
}

// review applies the review rules, with the rules: settings of
// postmortem.yaml, to the postmortems of the site that b just built
// whose sources are under changed (all of them when changed is nil or
// holds a path outside content/, up to reviewAllUpTo). It runs where the
// build ran, which owns b.
func (s *Server) review(b *site.Builder, st *link.Site, changed []string) *reviewed {
	r := &reviewed{}
	all := changed == nil || slices.ContainsFunc(changed, func(p string) bool { return !site.Under(p, postmortem.ContentDir) })
	if all && len(st.Postmortems) <= s.reviewAll {
		r.pms = st.Postmortems
	} else {
		r.partial, r.tooMany = true, all
		for _, p := range st.Postmortems {
			// What the rules find in p changes with what its build
			// read anew.
			if site.Touches(changed, postmortem.Source{Path: p.Path, Dir: p.Dir}) {
				r.pms = append(r.pms, p)
			}
		}
	}
	cfg := b.Config()
	r.found = review.Check(review.Input{FS: b.FS(), Config: &cfg, Postmortems: r.pms, Now: s.opts.Now, Output: b.Built, Partial: r.partial})
	return r
}

// notes hold what the review rules found in the site, kept between
// builds: a postmortem's until it is reviewed again, or leaves the site.
// They are not errors of the build, which succeeded: they are what
// postmortem check will report.
type notes struct {
	of map[string]diag.List // by the path of the postmortem reviewed
	// wide holds what the rules over the whole site found at the last
	// review of every postmortem; settings what is wrong in the rules:
	// option, at the last review.
	wide, settings diag.List
}

// update takes in what r found, and drops the notes of the postmortems no
// longer in st.
func (n *notes) update(r *reviewed, st *link.Site) {
	if n.of == nil {
		n.of = map[string]diag.List{}
	}
	for _, p := range r.pms {
		delete(n.of, p.Path)
	}
	n.settings = nil
	if !r.partial {
		n.wide = nil
	}
	for _, d := range r.found {
		switch {
		case d.Rule == "":
			n.settings = append(n.settings, d)
		case review.SiteWide(d.Rule):
			n.wide = append(n.wide, d)
		default:
			n.of[d.Path] = append(n.of[d.Path], d)
		}
	}
	if len(n.of) == 0 && len(n.wide) == 0 {
		return
	}
	in := make(map[string]bool, len(n.of)+len(n.wide))
	for _, p := range st.Postmortems {
		if _, ok := n.of[p.Path]; ok || len(n.wide) > 0 {
			in[p.Path] = true
		}
	}
	maps.DeleteFunc(n.of, func(p string, _ diag.List) bool { return !in[p] })
	n.wide = slices.DeleteFunc(n.wide, func(d diag.Diagnostic) bool { return !in[d.Path] })
}

// list returns every note, errors first, each by file and line.
func (n *notes) list() diag.List {
	all := slices.Concat(n.settings, n.wide)
	for _, l := range n.of {
		all = append(all, l...)
	}
	all = all.Sort()
	return append(all.Errors(), all.Warnings()...)
}
