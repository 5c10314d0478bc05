package site

import (
	"io/fs"
	"strings"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// onlyEdited reports whether every changed path is a known stand-alone
// postmortem that is still a file: then the list of sources is as before,
// and the walk of content/ can be skipped.
func (b *Builder) onlyEdited(changed []string) bool {
	if b.sources == nil || changed == nil {
		return false
	}
	for _, p := range changed {
		e, ok := b.parsed[p]
		if !ok || e.src.Dir != "" {
			return false
		}
		if st, err := fs.Stat(b.fsys, p); err != nil || !st.Mode().IsRegular() {
			return false
		}
	}
	return true
}

// bodiesAlone returns the postmortems of the entries edited, as old had
// them, when the edits changed their bodies alone (postmortem.SameButBody)
// and no template shows a body but on its postmortem's page
// (render.Renderer.BodiesShown). Each postmortem then takes the body of its
// new parse (postmortem.TakeBody), and its entry holds it again: the
// linked site, and every view made of it, stand as the last build left
// them. nil otherwise.
func (b *Builder) bodiesAlone(old, edited []*entry) []*postmortem.Postmortem {
	if b.opts.Once || b.renderer == nil || b.renderer.BodiesShown() {
		return nil
	}
	for k, e := range edited {
		if e.pm == nil || old[k].pm == nil || e.diags.Err() != nil || !postmortem.SameButBody(old[k].pm, e.pm) {
			return nil
		}
	}
	pms := make([]*postmortem.Postmortem, len(edited))
	for k, e := range edited {
		postmortem.TakeBody(old[k].pm, e.pm)
		e.pm, pms[k] = old[k].pm, old[k].pm
	}
	return pms
}

// needsFull reports whether a change of path needs everything rebuilt.
func needsFull(p string) bool {
	return !under(p, postmortem.ContentDir) && !under(p, "static")
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// touches reports whether a change of one of paths may change src.
func touches(paths []string, src postmortem.Source) bool {
	for _, p := range paths {
		if under(src.Path, p) || (src.Dir != "" && under(p, src.Dir)) {
			return true
		}
	}
	return false
}
