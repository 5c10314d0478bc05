package review

import (
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"unicode"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/nearmiss"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// sections reports the required headings p lacks. A heading is a Markdown
// ATX heading or a line that is only a title and a colon ("Timeline:"); it
// satisfies a required name that it starts with, without regard to case
// ("Root cause analysis" is a "root cause" section). A front matter field
// of the name (summary:) counts as the section.
func (c *checker) sections(p *postmortem.Postmortem) {
	src, err := fs.ReadFile(c.in.FS, p.Path)
	if err != nil {
		return // the build reports it
	}
	all := sectionsOf(src, p.BodyLine)
	if !p.Draft {
		for _, s := range all {
			if s.empty {
				c.report("empty-section", p.Path, s.line, "%q has nothing under it: write the section, or take its heading out", s.written)
			}
		}
	}
	if len(c.in.Config.RequiredSections) == 0 {
		return
	}
	var headings []string
	for _, s := range all {
		headings = append(headings, s.text)
	}
	for _, want := range c.in.Config.RequiredSections {
		w := headingText(want)
		if p.Lines.Of(strings.ReplaceAll(w, " ", "_")) > 0 {
			continue // given in the front matter, as summary: often is
		}
		if !slices.ContainsFunc(headings, func(h string) bool { return strings.HasPrefix(h, w) }) {
			c.report("required-section", p.Path, p.BodyLine, "no %q section (required by postmortem.yaml)%s", want, nearHeading(headings, w))
		}
	}
}

// A section is a heading of a body: a Markdown ATX heading (level 1 to 6)
// or a line that is only a title and a colon ("Timeline:", level 0).
type section struct {
	text    string // folded (headingText)
	written string // as written
	level   int
	line    int // in the file
	// empty is set on an ATX heading whose next line with text is a
	// heading of its level or above, or the end of the body.
	empty bool
}

// sectionsOf returns the sections of src, a postmortem file whose body
// starts at line bodyLine; lines of fenced code and HTML comments aside.
func sectionsOf(src []byte, bodyLine int) []section {
	var out []section
	open := -1 // the ATX heading with no text under it yet
	fence, comment := "", false
	n := 0
	for line := range strings.Lines(string(src)) {
		if n++; n < bodyLine {
			continue
		}
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if fence != "" {
			if strings.HasPrefix(line, fence) {
				fence = ""
			}
			continue
		}
		if comment || strings.HasPrefix(line, "<!--") {
			comment = !strings.HasSuffix(line, "-->")
			continue
		}
		level := len(line) - len(strings.TrimLeft(line, "#"))
		if level == 0 || level > 6 || len(line) > level && line[level] != ' ' {
			level = -1 // not an ATX heading
		}
		if open >= 0 && (level < 0 || level > out[open].level) {
			out[open].empty = false // text, or a section within it
		}
		open = -1
		switch {
		case strings.HasPrefix(line, "```"), strings.HasPrefix(line, "~~~"):
			fence = line[:3]
		case level > 0:
			out = append(out, section{text: headingText(line[level:]), written: line, level: level, line: n, empty: true})
			open = len(out) - 1
		case strings.HasSuffix(line, ":") && len(line) < 60 && !strings.ContainsAny(line, ".,;"):
			out = append(out, section{text: headingText(line), written: line, line: n})
		}
	}
	return out
}

// nearHeading names the heading of headings that looks like a misspelling
// of want ("summery", "root-cause"), "" when none does.
func nearHeading(headings []string, want string) string {
	for _, h := range headings {
		if d := nearmiss.Distance(h, want); d > 0 && d <= max(1, len(want)/4) {
			return fmt.Sprintf("; is %q meant to be it?", h)
		}
	}
	return ""
}

// headingText folds a heading for comparison: lower case, without
// emphasis, a trailing colon or surrounding blanks.
func headingText(s string) string {
	s = strings.ToLower(strings.Trim(s, " \t*_:#"))
	return strings.Join(strings.Fields(s), " ")
}

func (c *checker) vocabulary(p *postmortem.Postmortem) {
	allowed := vocabulary(c.in.Config)
	if allowed == nil {
		return
	}
	for _, rc := range p.RootCauses {
		if slices.Contains(allowed, rc) {
			continue
		}
		msg := fmt.Sprintf("root cause %q is not in the vocabulary", rc)
		if best := nearest(rc, allowed); best != "" {
			msg += fmt.Sprintf("; did you mean %q?", best)
		}
		c.report("vocabulary", p.Path, max(p.Lines.Of("root_causes"), 1), "%s", msg)
	}
}

// vocabulary returns the root causes of the config's vocabulary as the
// postmortems write them; nil when it has none.
func vocabulary(cfg *config.Config) []string {
	if len(cfg.Vocabulary) == 0 {
		return nil
	}
	allowed := make([]string, len(cfg.Vocabulary))
	for i, v := range cfg.Vocabulary {
		allowed[i] = postmortem.TermPath(v)
	}
	return allowed
}

// nearest returns the term of terms closest to t by edit distance, or ""
// when none is within half of t's length.
func nearest(t string, terms []string) string {
	best, bestDist := "", len(t)/2+1
	for _, s := range terms {
		if d := nearmiss.Distance(t, s); d < bestDist {
			best, bestDist = s, d
		}
	}
	return best
}

// taxonomies are the tag fields whose terms must stay distinct, by our
// field name.
var taxonomies = []struct {
	field string
	terms func(*Terms) []string
}{
	{"root_causes", func(p *Terms) []string { return p.RootCauses }},
	{"contributing_factors", func(p *Terms) []string { return p.ContributingFactors }},
	{"services", func(p *Terms) []string { return p.Services }},
	{"tags", func(p *Terms) []string { return p.Tags }},
}

// NearDuplicate is a pair of terms of one taxonomy that look like one
// term written two ways.
type NearDuplicate struct {
	Field string // root_causes, contributing_factors, services or tags
	// Rare is the term fewer postmortems have (else the longer), Common
	// the other: the term to merge Rare into.
	Rare, Common   string
	RareN, CommonN int // how many postmortems have each
	// First is the path of the first postmortem, by path, that has Rare.
	First string
}

// NearDuplicates finds the pairs of terms of each taxonomy that look like
// one term, by field and then by term.
func NearDuplicates(terms []Terms) []NearDuplicate {
	var out []NearDuplicate
	for _, tax := range taxonomies {
		count := map[string]int{}
		first := map[string]string{}
		for i := range terms {
			p := &terms[i]
			for _, t := range tax.terms(p) {
				count[t]++
				if q, ok := first[t]; !ok || p.Path < q {
					first[t] = p.Path
				}
			}
		}
		names := slices.Sorted(maps.Keys(count))
		for i, a := range names {
			for _, b := range names[i+1:] {
				if !alike(a, b) {
					continue
				}
				rare, common := a, b
				if count[a] > count[b] || count[a] == count[b] && len(a) > len(b) {
					rare, common = b, a
				}
				out = append(out, NearDuplicate{Field: tax.field, Rare: rare, Common: common, RareN: count[rare], CommonN: count[common], First: first[rare]})
			}
		}
	}
	return out
}

// nearDuplicates reports pairs of terms of one taxonomy that look like one
// term written two ways, once, at the first postmortem that uses the rarer.
func (c *checker) nearDuplicates() {
	byPath := make(map[string]*postmortem.Postmortem, len(c.in.Postmortems))
	for _, p := range c.in.Postmortems {
		byPath[p.Path] = p
	}
	for _, d := range NearDuplicates(TermsOf(c.in.Postmortems)) {
		c.report("near-duplicate", d.First, max(byPath[d.First].Lines.Of(d.Field), 1),
			"%s: %q (%s) and %q (%s) look like one term; merge them with aliases: {%s: %s} in postmortem.yaml",
			d.Field, d.Rare, incidents(d.RareN), d.Common, incidents(d.CommonN), d.Rare, d.Common)
	}
}

func incidents(n int) string {
	if n == 1 {
		return "1 incident"
	}
	return fmt.Sprintf("%d incidents", n)
}

// alike reports whether two distinct kebab-case terms look like one: the
// same words but for plurals (dns-failure, dns-failures), one letter apart
// in a long word (timout, timeout), or one a shortening of the other within
// its last word (misconfig, misconfiguration). Terms that differ in a digit
// (api-v1, api-v2) or by a whole word (dns, dns-failure) are not alike.
func alike(a, b string) bool {
	if singular(a) == singular(b) {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) >= 4 && strings.HasPrefix(b, a) && !strings.Contains(b[len(a):], "-") &&
		unicode.IsLetter(rune(b[len(a)])) && unicode.IsLetter(rune(a[len(a)-1])) {
		return true
	}
	if len(a) >= 6 && nearmiss.Distance(a, b) == 1 {
		return !strings.ContainsFunc(a+b, unicode.IsDigit) || digits(a) == digits(b)
	}
	return false
}

// singular drops the plural endings of each word of a kebab-case term.
func singular(t string) string {
	words := strings.Split(t, "-")
	for i, w := range words {
		switch {
		case len(w) > 4 && strings.HasSuffix(w, "ies"):
			words[i] = w[:len(w)-3] + "y"
		case len(w) > 3 && strings.HasSuffix(w, "es") && strings.ContainsAny(w[len(w)-3:len(w)-2], "sxz"):
			words[i] = w[:len(w)-2]
		case len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, "-")
}

func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}
