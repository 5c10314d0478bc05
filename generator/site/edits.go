package site

import (
	"errors"
	"io/fs"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// onlyEdited returns the changed paths that are known stand-alone
// postmortems, still files, when every other changed path is a file of
// content/ that came and went, such as an editor's temporary file of a
// save (sed -i, or a save by rename): then the list of sources is as
// before, and the walk of content/ can be skipped. ok is false otherwise.
func (b *Builder) onlyEdited(changed []string) (edited []string, ok bool) {
	if b.sources == nil || changed == nil {
		return nil, false
	}
	for _, p := range changed {
		st, err := fs.Stat(b.fsys, p)
		if e, known := b.parsed[p]; known && e.src.Dir == "" && err == nil && st.Mode().IsRegular() {
			edited = append(edited, p)
			continue
		}
		if !errors.Is(err, fs.ErrNotExist) || !Under(p, postmortem.ContentDir) || b.walkSaw(p) {
			return nil, false
		}
	}
	return edited, true
}

// walkSaw reports whether the last walk of content/ found p or anything
// under it: a source, a file it skipped, or a problem.
func (b *Builder) walkSaw(p string) bool {
	return slices.ContainsFunc(b.sources, func(src postmortem.Source) bool { return Touches([]string{p}, src) }) ||
		slices.ContainsFunc(b.skipped, func(s postmortem.Skipped) bool { return Under(strings.TrimSuffix(s.Path, "/"), p) }) ||
		slices.ContainsFunc(b.walked, func(d diag.Diagnostic) bool { return Under(d.Path, p) })
}

// bodiesAlone returns the postmortems of the entries edited, as old had
// them, when the edits changed their bodies alone (postmortem.SameButBody)
// and no template shows a body but on its postmortem's page
// (render.Renderer.BodiesShown), nor, when the edits moved what the bodies
// hold, where it is (render.Renderer.PlacesShown). Each postmortem then
// takes the body of its new parse (postmortem.TakeBody), and its entry
// holds it again: the linked site, and every view made of it, stand as
// the last build left them, and what linking found of the references
// moved names their new places. nil otherwise.
func (b *Builder) bodiesAlone(old, edited []*entry) []*postmortem.Postmortem {
	if b.opts.Once || b.renderer == nil || b.renderer.BodiesShown() {
		return nil
	}
	anyMoved := false
	for k, e := range edited {
		if e.pm == nil || old[k].pm == nil || e.diags.Err() != nil {
			return nil
		}
		same, moved := postmortem.SameButBody(old[k].pm, e.pm)
		if !same || moved && b.renderer.PlacesShown() {
			return nil
		}
		anyMoved = anyMoved || moved
	}
	if anyMoved {
		b.linkDiags = slices.Clone(b.linkDiags)
	}
	pms := make([]*postmortem.Postmortem, len(edited))
	for k, e := range edited {
		if anyMoved {
			moveRefs(b.linkDiags, old[k].pm, e.pm)
		}
		postmortem.TakeBody(old[k].pm, e.pm)
		e.pm, pms[k] = old[k].pm, old[k].pm
	}
	return pms
}

// moveRefs moves what diags say of a reference of from, at its line and
// column, to where the same reference of to is: the two are parses of one
// file, the same but for where what the body holds is.
func moveRefs(diags diag.List, from, to *postmortem.Postmortem) {
	for i := range diags {
		d := &diags[i]
		if d.Path != from.Path {
			continue
		}
		for k, r := range from.Refs {
			if r.Line == d.Line && r.Col == d.Col {
				d.Line, d.Col = to.Refs[k].Line, to.Refs[k].Col
				break
			}
		}
	}
}

// needsFull reports whether a change of path needs everything rebuilt.
func needsFull(p string) bool {
	return !Under(p, postmortem.ContentDir) && !Under(p, "static")
}

// Under reports whether the site path p is dir or under it.
func Under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// Touches reports whether a change of one of paths, site paths of files
// or folders, may change src: its file or a folder above it, or its
// bundle's folder or a file in it.
func Touches(paths []string, src postmortem.Source) bool {
	for _, p := range paths {
		if Under(src.Path, p) || (src.Dir != "" && Under(p, src.Dir)) {
			return true
		}
	}
	return false
}
