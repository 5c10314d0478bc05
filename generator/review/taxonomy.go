package review

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// Taxonomy is what keeps the root causes and contributing factors of a
// site clean: what a maintainer of its vocabulary looks at, shown on the
// site's taxonomy page and by postmortem check --taxonomy.
type Taxonomy struct {
	// Once are the root causes only one postmortem has: a new term, or
	// one written another way.
	Once []TermUse
	// NearDuplicates are the terms that look like one written two ways.
	NearDuplicates []NearDuplicate
	// Aliases are the aliases of postmortem.yaml that postmortems are
	// written with, folded onto their terms.
	Aliases []TermUse
	// OutsideVocabulary are the root causes not in the vocabulary of
	// postmortem.yaml; none when it has no vocabulary, Vocabulary false.
	OutsideVocabulary []TermUse
	Vocabulary        bool
	// NoRootCause are the postmortems without a root cause.
	NoRootCause []*postmortem.Postmortem
}

// TermUse is a term and the postmortems that have it, by path.
type TermUse struct {
	Field string // root_causes; "aliases" for an alias
	Term  string
	// Target is the term an alias is folded onto; "" for other uses.
	Target      string
	Postmortems []*postmortem.Postmortem
}

// TaxonomyOf reports on the taxonomy of pms, with the vocabulary and the
// aliases of cfg.
func TaxonomyOf(pms []*postmortem.Postmortem, cfg *config.Config) *Taxonomy {
	pms = slices.SortedFunc(slices.Values(pms), func(a, b *postmortem.Postmortem) int { return strings.Compare(a.Path, b.Path) })
	allowed := vocabulary(cfg)
	t := &Taxonomy{NearDuplicates: NearDuplicates(pms), Vocabulary: allowed != nil}
	uses := map[string][]*postmortem.Postmortem{}
	for _, p := range pms {
		for _, term := range p.RootCauses {
			uses[term] = append(uses[term], p)
		}
	}
	for _, term := range slices.Sorted(maps.Keys(uses)) {
		use := TermUse{Field: "root_causes", Term: term, Postmortems: uses[term]}
		if len(use.Postmortems) == 1 {
			t.Once = append(t.Once, use)
		}
		if allowed != nil && !slices.Contains(allowed, term) {
			t.OutsideVocabulary = append(t.OutsideVocabulary, use)
		}
	}
	aliased := map[string][]*postmortem.Postmortem{}
	for _, p := range pms {
		if len(p.RootCauses) == 0 {
			t.NoRootCause = append(t.NoRootCause, p)
		}
		for _, a := range p.Aliased {
			aliased[a] = append(aliased[a], p)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(aliased)) {
		t.Aliases = append(t.Aliases, TermUse{Field: "aliases", Term: a, Target: aliasTarget(cfg, a), Postmortems: aliased[a]})
	}
	return t
}

// aliasTarget is the term the alias a is folded onto, as postmortems have it.
func aliasTarget(cfg *config.Config, a string) string {
	target := cfg.Aliases[a]
	if strings.Contains(target, "/") {
		return postmortem.TermPath(target)
	}
	return postmortem.Slugify(target)
}

// Empty reports whether t has nothing to show.
func (t *Taxonomy) Empty() bool {
	return len(t.Once)+len(t.NearDuplicates)+len(t.Aliases)+len(t.OutsideVocabulary)+len(t.NoRootCause) == 0
}

// WriteText writes t for a terminal: a heading with a count for each part,
// then one line per term or postmortem.
func (t *Taxonomy) WriteText(w io.Writer) error {
	var b strings.Builder
	paths := func(pms []*postmortem.Postmortem) string {
		out := make([]string, len(pms))
		for i, p := range pms {
			out[i] = p.Path
		}
		return strings.Join(out, ", ")
	}
	section := func(title string, n int) {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s: %d\n", title, n)
	}
	width := func(uses []TermUse) int {
		n := 0
		for _, u := range uses {
			n = max(n, len(u.Term)+len(u.Target))
		}
		return n
	}
	section("Root causes used once", len(t.Once))
	for _, u := range t.Once {
		fmt.Fprintf(&b, "  %-*s  %s\n", width(t.Once), u.Term, paths(u.Postmortems))
	}
	section("Near-duplicates", len(t.NearDuplicates))
	for _, d := range t.NearDuplicates {
		fmt.Fprintf(&b, "  %s: %q (%s) and %q (%s): merge with aliases: {%s: %s}\n", d.Field, d.Rare, incidents(d.RareN), d.Common, incidents(d.CommonN), d.Rare, d.Common)
	}
	section("Aliases in use", len(t.Aliases))
	for _, u := range t.Aliases {
		fmt.Fprintf(&b, "  %-*s  %s\n", width(t.Aliases)+4, u.Term+" -> "+u.Target, paths(u.Postmortems))
	}
	if !t.Vocabulary {
		b.WriteString("\nRoot causes outside the vocabulary: postmortem.yaml lists none (vocabulary:)\n")
	} else {
		section("Root causes outside the vocabulary", len(t.OutsideVocabulary))
	}
	for _, u := range t.OutsideVocabulary {
		fmt.Fprintf(&b, "  %-*s  %s\n", width(t.OutsideVocabulary), u.Term, paths(u.Postmortems))
	}
	section("Postmortems without a root cause", len(t.NoRootCause))
	for _, p := range t.NoRootCause {
		fmt.Fprintf(&b, "  %s\n", p.Path)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
