package adopt

import (
	"bytes"
	"slices"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// withheld returns the fields of pm.Inferred that a build of the public
// profile does not read alike from data, the file pm was parsed from:
// what a line inside an internal block gave, which public, a renderer of
// that profile, blanks before the body is read (markdown.Renderer.Visible).
// Front matter is public: such a field is left out of it, and each build
// reads it from the body as before. It adds to warns a warning of each,
// at the line it was read from.
func withheld(pm *postmortem.Postmortem, data []byte, cfg *config.Config, public *markdown.Renderer, dir string, warns *diag.List) []string {
	visible := public.Visible(data)
	if bytes.Equal(visible, data) {
		return nil
	}
	pub, _ := postmortem.Parse(pm.Path, data, cfg, public, dir)
	// hidden are the file's lines an internal block holds, from 1.
	var hidden []int
	lines, seen := bytes.Split(data, []byte("\n")), bytes.Split(visible, []byte("\n"))
	for i := range lines {
		if !bytes.Equal(lines[i], seen[i]) {
			hidden = append(hidden, i+1)
		}
	}
	// factAt is the line of the first fact of field inside an internal
	// block, else the first line of one.
	factAt := func(field string) int {
		for _, n := range hidden {
			if postmortem.FactField(string(lines[n-1])) == field {
				return n
			}
		}
		return hidden[0]
	}
	var out []string
	for _, field := range pm.Inferred {
		line, same := 0, true
		switch field {
		case "title":
			same = pm.Title == pub.Title
			if n := pm.Lines.Of("title"); n > 0 && slices.Contains(hidden, n) {
				line = n
			} else if k := slices.IndexFunc(hidden, func(n int) bool { return bytes.HasPrefix(bytes.TrimSpace(lines[n-1]), []byte("#")) }); k >= 0 {
				line = hidden[k] // the heading it was read from
			}
		case "date":
			same = pm.Date.Equal(pub.Date)
		case "severity":
			same = pm.Severity == pub.Severity
		case "root_causes":
			same = slices.Equal(pm.RootCauses, pub.RootCauses)
		case "services":
			same = slices.Equal(pm.Services, pub.Services)
		case "authors":
			same = slices.Equal(pm.Authors, pub.Authors)
		case "action_items":
			for _, it := range pm.ActionItems {
				if !slices.ContainsFunc(pub.ActionItems, func(p postmortem.ActionItem) bool {
					return p.Line == it.Line && p.Title == it.Title && p.Status == it.Status && p.Owner == it.Owner && p.Due.Equal(it.Due)
				}) {
					line, same = it.Line, false
					break
				}
			}
			same = same && len(pm.ActionItems) == len(pub.ActionItems)
		}
		if same {
			continue
		}
		if line == 0 {
			line = factAt(field)
		}
		out = append(out, field)
		warns.Warn(pm.Path, line, 0, "%s: read from inside an internal block: left out of the front matter, which the public build shows (write it there if it may be public)", field)
	}
	return out
}
