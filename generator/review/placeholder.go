package review

import (
	"io/fs"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// placeholders reports the text of postmortem.Placeholder that p, unless a draft,
// still holds: its author set its status before writing it all.
func (c *checker) placeholders(p *postmortem.Postmortem) {
	if p.Draft {
		return
	}
	const rule = "placeholder"
	if p.Summary == postmortem.Placeholder.Summary {
		line := p.Lines.Of("summary")
		if line == 0 {
			line = p.BodyLine
			if src, err := fs.ReadFile(c.in.FS, p.Path); err == nil {
				for n, l := range strings.Split(string(src), "\n") {
					if n+1 >= p.BodyLine && strings.TrimSpace(l) == postmortem.Placeholder.Summary {
						line = n + 1
						break
					}
				}
			}
		}
		c.report(rule, p.Path, line, "summary: still the text postmortem new wrote: say what happened, to whom and for how long")
	}
	for _, e := range p.Timeline {
		if slices.Contains(postmortem.Placeholder.Timeline, e.Text) {
			c.report(rule, p.Path, e.Line, "timeline: %q is still the entry postmortem new wrote: write what happened when, or delete it", e.Text)
		}
	}
	for i, a := range p.ActionItems {
		if a.Title == postmortem.Placeholder.Action || a.Owner == postmortem.Placeholder.Owner {
			c.report(rule, p.Path, a.Line, "action_items[%d]: %q owned by %q is still the item postmortem new wrote: write the follow-up and its owner, or delete it", i+1, a.Title, a.Owner)
		}
	}
}
