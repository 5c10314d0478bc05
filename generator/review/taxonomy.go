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
	// NoRootCause are the paths of the postmortems without a root cause.
	NoRootCause []string
}

// TermUse is a term and the paths of the postmortems that have it.
type TermUse struct {
	Field string // root_causes; "aliases" for an alias
	Term  string
	// Target is the term an alias is folded onto; "" for other uses.
	Target string
	Paths  []string
}

// Terms is what the taxonomy report reads of one postmortem: TaxonomyOf
// and NearDuplicates read nothing else, so that a cache of what they
// return may be keyed on these values.
type Terms struct {
	Path                                                     string
	RootCauses, ContributingFactors, Services, Tags, Aliased []string
}

// TermsOf returns the terms of each of pms, sorted by path.
func TermsOf(pms []*postmortem.Postmortem) []Terms {
	out := make([]Terms, len(pms))
	for i, p := range pms {
		out[i] = TermsOfOne(p)
	}
	slices.SortFunc(out, func(a, b Terms) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// TermsOfOne returns the terms of p.
func TermsOfOne(p *postmortem.Postmortem) Terms {
	return Terms{p.Path, p.RootCauses, p.ContributingFactors, p.Services, p.Tags, p.Aliased}
}

// TaxonomyOf reports on the taxonomy of the postmortems whose terms are
// given (sorted by path, as TermsOf returns them), with the vocabulary and
// the aliases of cfg.
func TaxonomyOf(terms []Terms, cfg *config.Config) *Taxonomy {
	allowed := vocabulary(cfg)
	t := &Taxonomy{NearDuplicates: NearDuplicates(terms), Vocabulary: allowed != nil}
	uses := map[string][]string{}
	aliased := map[string][]string{}
	for _, p := range terms {
		for _, term := range p.RootCauses {
			uses[term] = append(uses[term], p.Path)
		}
		if len(p.RootCauses) == 0 {
			t.NoRootCause = append(t.NoRootCause, p.Path)
		}
		for _, a := range p.Aliased {
			aliased[a] = append(aliased[a], p.Path)
		}
	}
	for _, term := range slices.Sorted(maps.Keys(uses)) {
		use := TermUse{Field: "root_causes", Term: term, Paths: uses[term]}
		if len(use.Paths) == 1 {
			t.Once = append(t.Once, use)
		}
		if allowed != nil && !slices.Contains(allowed, term) {
			t.OutsideVocabulary = append(t.OutsideVocabulary, use)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(aliased)) {
		t.Aliases = append(t.Aliases, TermUse{Field: "aliases", Term: a, Target: aliasTarget(cfg, a), Paths: aliased[a]})
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
	paths := func(ps []string) string { return strings.Join(ps, ", ") }
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
	col := width(t.Once)
	for _, u := range t.Once {
		fmt.Fprintf(&b, "  %-*s  %s\n", col, u.Term, paths(u.Paths))
	}
	section("Near-duplicates", len(t.NearDuplicates))
	for _, d := range t.NearDuplicates {
		fmt.Fprintf(&b, "  %s: %q (%s) and %q (%s): merge with aliases: {%s: %s}\n", d.Field, d.Rare, incidents(d.RareN), d.Common, incidents(d.CommonN), d.Rare, d.Common)
	}
	section("Aliases in use", len(t.Aliases))
	col = width(t.Aliases) + len(" -> ")
	for _, u := range t.Aliases {
		fmt.Fprintf(&b, "  %-*s  %s\n", col, u.Term+" -> "+u.Target, paths(u.Paths))
	}
	if !t.Vocabulary {
		b.WriteString("\nRoot causes outside the vocabulary: postmortem.yaml lists none (vocabulary:)\n")
	} else {
		section("Root causes outside the vocabulary", len(t.OutsideVocabulary))
	}
	col = width(t.OutsideVocabulary)
	for _, u := range t.OutsideVocabulary {
		fmt.Fprintf(&b, "  %-*s  %s\n", col, u.Term, paths(u.Paths))
	}
	section("Postmortems without a root cause", len(t.NoRootCause))
	for _, p := range t.NoRootCause {
		fmt.Fprintf(&b, "  %s\n", p)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
