package search

import "slices"

// Options are the settings of a site's search, from the search: section of
// postmortem.yaml.
type Options struct {
	// Synonyms are groups of words or phrases that find each other: a query
	// word or phrase of a group also finds the others of it (see Expand).
	Synonyms [][]string
	// Weights are how much a word counts in each field; zero values take
	// DefaultWeights'.
	Weights Weights
	// Once says that the index is built once, as postmortem build does:
	// it keeps no postings for a next build to update, only their
	// encoding (a fourth of what indexing 100,000 postmortems holds).
	Once bool
}

// Weights say how much one occurrence of a word counts in each field of a
// postmortem, against 1 for the body. RootCauses also lifts, at query time,
// the incidents whose root cause a query word names.
type Weights struct {
	Title, RootCauses, ContributingFactors, Services, Tags, Summary, Body int
}

// DefaultWeights are the weights of a site that sets none.
var DefaultWeights = Weights{Title: 3, RootCauses: 3, ContributingFactors: 2, Services: 2, Tags: 2, Summary: 1, Body: 1}

// orDefault returns w with each zero weight set to its default.
func (w Weights) orDefault() Weights {
	d := DefaultWeights
	for _, p := range []struct{ v, d *int }{
		{&w.Title, &d.Title}, {&w.RootCauses, &d.RootCauses}, {&w.ContributingFactors, &d.ContributingFactors},
		{&w.Services, &d.Services}, {&w.Tags, &d.Tags}, {&w.Summary, &d.Summary}, {&w.Body, &d.Body},
	} {
		if *p.v <= 0 {
			*p.v = *p.d
		}
	}
	return w
}

// synonymTokens returns the synonym groups as the page reads them: each
// member split into tokens, members of fewer than one token dropped, and
// groups of fewer than two members dropped.
func synonymTokens(groups [][]string) [][][]string {
	out := [][][]string{}
	for _, g := range groups {
		var members [][]string
		for _, m := range g {
			if t := Tokens(m); len(t) > 0 && !slices.ContainsFunc(members, func(o []string) bool { return slices.Equal(o, t) }) {
				members = append(members, t)
			}
		}
		if len(members) > 1 {
			out = append(out, members)
		}
	}
	return out
}

// Group is one word of a query, or a phrase of it that a synonym group
// names, with what it finds.
type Group struct {
	// Words are the query's tokens the group stands for.
	Words []string `json:"words"`
	// Alts are what the group finds, each a list of tokens: Words first,
	// then the other members of its synonym group in their order.
	Alts [][]string `json:"alts"`
}

// Expand splits the tokens of a query (see Tokens) into groups, applying
// the synonyms (see Options): from the first token on, the longest member
// of any synonym group that the tokens start with there makes one group, of
// every member of that synonym group (the first such group when two have
// it); a token no member starts with is a group of its own. search-query.js
// expands queries the same way.
func Expand(words []string, synonyms [][]string) []Group {
	syn := synonymTokens(synonyms)
	var out []Group
	for i := 0; i < len(words); {
		best, bestLen := -1, 0
		for gi, g := range syn {
			for _, m := range g {
				if len(m) > bestLen && i+len(m) <= len(words) && slices.Equal(words[i:i+len(m)], m) {
					best, bestLen = gi, len(m)
				}
			}
		}
		if best < 0 {
			out = append(out, Group{Words: words[i : i+1], Alts: [][]string{words[i : i+1]}})
			i++
			continue
		}
		g := Group{Words: words[i : i+bestLen], Alts: [][]string{words[i : i+bestLen]}}
		for _, m := range syn[best] {
			if !slices.Equal(m, g.Words) {
				g.Alts = append(g.Alts, m)
			}
		}
		out = append(out, g)
		i += bestLen
	}
	return out
}
