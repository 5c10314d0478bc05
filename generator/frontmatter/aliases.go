package frontmatter

import (
	"slices"

	"gopkg.in/yaml.v3"
)

// resolveAliases replaces each alias under n ("*name") by a copy of the
// node its anchor ("&name") marks, at the alias's line and column, and
// merges the mappings that merge keys ("<<") name into the mapping that
// holds them. It walks the tree in document order, where an anchor comes
// before its aliases, so the node an alias names has been resolved
// already; copies are shallow, so that aliases of aliases cost one node
// each, never an exponential tree. It stops at the alias that takes the
// bytes its aliases add past b's budget, or that is inside the value its
// anchor marks (&x [*x], which would hold itself without end; b.loop is
// then set), and returns it; nil when none does.
func resolveAliases(n *yaml.Node, b *aliasBytes) *yaml.Node {
	b.open[n] = true
	defer delete(b.open, n)
	for i, c := range n.Content {
		if c.Kind == yaml.AliasNode && c.Alias != nil {
			if b.open[c.Alias] {
				b.loop = true
				return c
			}
			named := *c.Alias
			named.Line, named.Column, named.Anchor = c.Line, c.Column, ""
			n.Content[i] = &named
			if b.left -= b.size(c.Alias); b.left < 0 {
				return c
			}
			continue
		}
		if over := resolveAliases(c, b); over != nil {
			return over
		}
	}
	if n.Kind == yaml.MappingNode {
		merge(n)
	}
	return nil
}

// aliasBytes is what the aliases of a front matter may add to it, in bytes
// of keys and values: a copy of a long value at each of many aliases would
// otherwise take gigabytes to read while the count of values stays low.
type aliasBytes struct {
	left int                 // bytes the aliases may still add
	memo map[*yaml.Node]int  // a node's size, once known
	open map[*yaml.Node]bool // the nodes being resolved: an alias's anchor must not be one
	loop bool                // the alias resolveAliases stopped at is inside its anchor's value
}

// newAliasBytes returns the budget of the aliases of a front matter of
// size bytes.
func newAliasBytes(size int) *aliasBytes {
	return &aliasBytes{left: aliasBudget(size), memo: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
}

// maxAliasFactor and minAliasBytes make the budget of aliasBytes: what a
// front matter's aliases may add is this many times its own size, or at
// least this many bytes. Aliases as people write them (a list of services
// given again as tags) add far less.
const (
	maxAliasFactor = 4
	minAliasBytes  = 1 << 20
)

// aliasBudget returns the bytes the aliases of a front matter of size bytes
// may add.
func aliasBudget(size int) int {
	return max(maxAliasFactor*size, minAliasBytes)
}

// size returns the bytes of the keys and values of the tree n, with its
// aliases expanded, counting a shared node once per use; past the budget,
// it stops counting and returns more than the budget.
func (b *aliasBytes) size(n *yaml.Node) int {
	if v, ok := b.memo[n]; ok {
		return v
	}
	total := len(n.Value)
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		total = b.size(n.Alias)
	}
	for _, c := range n.Content {
		if total += b.size(c); total > b.left {
			break
		}
	}
	b.memo[n] = total
	return total
}

// merge replaces each merge key of mapping m by the pairs of the mapping
// it names (or of each mapping of the list it names) whose keys m does not
// have yet. Keys written in m win over merged ones, and earlier merged
// mappings over later ones, as in YAML's merge key type; a merge key whose
// value is neither a mapping nor a list of them is left for the reader to
// report.
func merge(m *yaml.Node) {
	if !slices.ContainsFunc(m.Content, isMergeKey) {
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; !isMergeKey(k) {
			seen[k.Value] = true
		}
	}
	out := make([]*yaml.Node, 0, len(m.Content))
	add := func(src *yaml.Node) {
		for j := 0; j+1 < len(src.Content); j += 2 {
			if k := src.Content[j]; !seen[k.Value] {
				seen[k.Value] = true
				out = append(out, k, src.Content[j+1])
			}
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		switch {
		case !isMergeKey(k):
			out = append(out, k, v)
		case v.Kind == yaml.MappingNode:
			add(v)
		case v.Kind == yaml.SequenceNode && allMappings(v.Content):
			for _, e := range v.Content {
				add(e)
			}
		default:
			out = append(out, k, v)
		}
	}
	m.Content = out
}

func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Value == "<<" && (k.Tag == "!!merge" || k.Tag == "")
}

func allMappings(nodes []*yaml.Node) bool {
	for _, n := range nodes {
		if n.Kind != yaml.MappingNode {
			return false
		}
	}
	return true
}

// maxValues is the most values a front matter may hold once its aliases
// are expanded: far above what a postmortem writes, and far below what
// aliases of aliases reach (ten of ten of ten ... of "lol", which expands
// a few hundred bytes into gigabytes).
const maxValues = 100_000

// expanded returns how many values the tree n holds with its aliases
// expanded (see resolveAliases: they share their nodes), counting each
// shared node once per use, but its own children only once, and stopping
// past limit.
func expanded(n *yaml.Node, limit int) int {
	memo := map[*yaml.Node]int{}
	var count func(n *yaml.Node) int
	count = func(n *yaml.Node) int {
		if v, ok := memo[n]; ok {
			return v
		}
		total := 1
		for _, c := range n.Content {
			if total += count(c); total > limit {
				break
			}
		}
		memo[n] = total
		return total
	}
	return count(n)
}
