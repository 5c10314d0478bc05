// Package adopt brings a folder of postmortems written without front matter
// into a site: for each such file it works out the front matter a build
// would infer (title, date, action items) and writes it at the top, every
// byte of the file after it kept as it was. Plan reads and decides; Write,
// the one part that touches the disk, applies the plan.
package adopt

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/frontmatter"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// Change is the new content of one postmortem file.
type Change struct {
	Path string // relative to the site root, slash-separated
	Old  []byte
	New  []byte // the front matter, then Old (after its byte order mark, which stays first)
}

// Plan is what adopting a site's postmortems does.
type Plan struct {
	Changes []Change // the files to write, sorted by path
	Kept    []string // the files that have front matter already, left alone
	// Failed holds, for each file that cannot be adopted, what is missing
	// or wrong, at its line: the errors a build would report.
	Failed diag.List
	// Warnings name, at their lines, the fields left out of the front
	// matter written because they were read from inside an internal block.
	Warnings diag.List
}

// Make plans the adoption of the postmortems of the site fsys (its root,
// read as a build reads it) that have no front matter. only, when not empty,
// limits it to these files and folders (slash-separated, relative to the
// site root, under content/).
func Make(fsys fs.FS, cfg *config.Config, only []string) (*Plan, error) {
	for _, p := range only {
		if p != postmortem.ContentDir && !strings.HasPrefix(p, postmortem.ContentDir+"/") || !fs.ValidPath(p) {
			return nil, fmt.Errorf("%s: not in the %s/ folder of the site", p, postmortem.ContentDir)
		}
	}
	sources, _, diags := postmortem.Discover(fsys, postmortem.ContentDir, cfg.Ignore)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	md := markdown.New(cfg.UnsafeHTML, markdown.FactLines(postmortem.IsFactLine))
	public := markdown.New(cfg.UnsafeHTML, markdown.FactLines(postmortem.IsFactLine), markdown.Public())
	plan := &Plan{}
	matched := make([]bool, len(only))
	for _, src := range sources {
		if len(only) > 0 {
			hit := false
			for k, p := range only {
				if src.Path == p || strings.HasPrefix(src.Path, p+"/") {
					hit, matched[k] = true, true
				}
			}
			if !hit {
				continue
			}
		}
		data, err := fs.ReadFile(fsys, src.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Path, err)
		}
		if m, ferr := frontmatter.Read(data); ferr != nil {
			plan.Failed.Add(src.Path, ferr.Line, ferr.Col, "%s", ferr.Msg)
			continue
		} else if m.Root != nil {
			plan.Kept = append(plan.Kept, src.Path)
			continue
		}
		pm, diags := postmortem.Parse(src.Path, data, cfg, md, src.Dir)
		if errs := diags.Errors(); len(errs) > 0 {
			plan.Failed = append(plan.Failed, errs...)
			continue
		}
		if left := withheld(pm, data, cfg, public, src.Dir, &plan.Warnings); left != nil {
			pm.Inferred = slices.DeleteFunc(pm.Inferred, func(f string) bool { return slices.Contains(left, f) })
			if len(pm.Inferred) == 0 {
				// Front matter of nothing would keep a next import away.
				plan.Failed.Add(src.Path, 1, 0, "nothing to write: every field read is inside an internal block (see the warnings); write the front matter by hand")
				continue
			}
		}
		plan.Changes = append(plan.Changes, Change{Path: src.Path, Old: data, New: withFrontMatter(data, pm)})
	}
	for k, p := range only {
		switch {
		case matched[k]:
		case path.Ext(p) != "" && !markdown.IsFile(p):
			return nil, fmt.Errorf("%s: only .md and .markdown files are postmortems: rename it %s.md to import it", p, strings.TrimSuffix(p, path.Ext(p)))
		default:
			return nil, fmt.Errorf("%s: no postmortem there (README.md, _names and ignore: patterns are not postmortems)", p)
		}
	}
	return plan, nil
}

var bom = []byte("\xef\xbb\xbf")

// withFrontMatter returns data with the YAML front matter of the fields of
// pm that a build inferred at its top, in data's line ends.
func withFrontMatter(data []byte, pm *postmortem.Postmortem) []byte {
	root := &yaml.Node{Kind: yaml.MappingNode}
	add := func(key string, v *yaml.Node) {
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
	text := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	if slices.Contains(pm.Inferred, "title") {
		add("title", text(pm.Title))
	}
	if slices.Contains(pm.Inferred, "date") {
		add("date", &yaml.Node{Kind: yaml.ScalarNode, Value: pm.Date.Format(time.DateOnly)})
	}
	if slices.Contains(pm.Inferred, "severity") {
		add("severity", text(pm.Severity))
	}
	list := func(values []string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
		for _, v := range values {
			n.Content = append(n.Content, text(v))
		}
		return n
	}
	for _, f := range []struct {
		key    string
		values []string
	}{{"root_causes", pm.RootCauses}, {"services", pm.Services}, {"authors", pm.Authors}} {
		if slices.Contains(pm.Inferred, f.key) {
			add(f.key, list(f.values))
		}
	}
	if slices.Contains(pm.Inferred, "action_items") {
		items := &yaml.Node{Kind: yaml.SequenceNode}
		for _, it := range pm.ActionItems {
			item := &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle, Content: []*yaml.Node{
				{Kind: yaml.ScalarNode, Value: "title"}, text(it.Title),
				{Kind: yaml.ScalarNode, Value: "status"}, {Kind: yaml.ScalarNode, Value: it.Status},
			}}
			if it.Owner != "" {
				item.Content = append(item.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "owner"}, text(it.Owner))
			}
			if !it.Due.IsZero() {
				item.Content = append(item.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: "due"}, &yaml.Node{Kind: yaml.ScalarNode, Value: it.Due.In(pm.Location).Format(time.DateOnly)})
			}
			items.Content = append(items.Content, item)
		}
		add("action_items", items)
	}
	var y bytes.Buffer
	enc := yaml.NewEncoder(&y)
	enc.SetIndent(2)
	if err := enc.Encode(root); err != nil {
		panic(err) // a tree of scalars always encodes
	}
	eol := "\n"
	if i := bytes.IndexByte(data, '\n'); i > 0 && data[i-1] == '\r' {
		eol = "\r\n"
	}
	block := "---\n" + y.String() + "---\n"
	if len(data) > 0 && data[0] != '\n' && data[0] != '\r' && !bytes.HasPrefix(bytes.TrimPrefix(data, bom), []byte("\n")) {
		block += "\n" // a blank line between the front matter and the text
	}
	block = strings.ReplaceAll(block, "\n", eol)
	rest, hadBOM := bytes.CutPrefix(data, bom)
	out := make([]byte, 0, len(bom)+len(block)+len(rest))
	if hadBOM {
		out = append(out, bom...)
	}
	out = append(append(out, block...), rest...)
	return out
}

// ErrChanged is returned by Write when a file changed since it was planned.
var ErrChanged = errors.New("changed since it was read: run import again")
