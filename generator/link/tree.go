package link

import (
	"cmp"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// sameBranch reports whether a and b are one term, or one is above the other.
func sameBranch(a, b string) bool {
	return a == b || strings.HasPrefix(a, b+"/") || strings.HasPrefix(b, a+"/")
}

// tree links the terms of a hierarchical taxonomy to their parents and
// children, and counts the members that have each term itself.
func (t *Taxonomy) tree(s *Site) {
	for _, term := range t.Terms {
		if up := postmortem.Ancestors(term.Name); len(up) > 0 {
			// Every ancestor of a member's term is a term: withAncestors.
			term.Parent = t.Term(up[len(up)-1])
			term.Parent.Children = append(term.Parent.Children, term)
			term.Depth = len(up)
		}
		for _, m := range term.Members {
			if slices.Contains(s.entries[m].RootCauses, term.Name) {
				term.Direct++
			}
		}
	}
}

// Tree returns the terms as a tree: the terms at the top by most incidents
// and then by name, each followed by its children, ordered alike.
func (t *Taxonomy) Tree() []*Term {
	out := make([]*Term, 0, len(t.Terms))
	var add func([]*Term)
	add = func(level []*Term) {
		level = slices.Clone(level)
		slices.SortStableFunc(level, func(a, b *Term) int { return cmp.Compare(len(b.Members), len(a.Members)) })
		for _, term := range level {
			out = append(out, term)
			add(term.Children)
		}
	}
	var top []*Term
	for _, term := range t.Terms {
		if term.Parent == nil {
			top = append(top, term)
		}
	}
	add(top)
	return out
}
