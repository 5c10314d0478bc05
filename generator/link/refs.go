package link

import (
	"cmp"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/nearmiss"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// Unbuilt is the target of a reference to a postmortem that exists but is
// not on the site: a draft, in a build without drafts, or one that is not
// public, in a public build.
const Unbuilt = -1

// refs resolves the references of every postmortem of s (see
// postmortem.Postmortem.Refs) into s.Refs and s.ReferencedBy. A link to a
// Markdown file of a page bundle leads to that file, which is published
// beside the bundle's page: its target is the bundle, which it does not
// count as referred to. unbuilt are
// the postmortems left out of the site. A reference to nothing is an
// error; one to a postmortem left out, a warning.
func refs(s *Site, unbuilt []*postmortem.Postmortem) diag.List {
	var diags diag.List
	s.Refs = make([][]int, len(s.Postmortems))
	s.ReferencedBy = make([][]int, len(s.Postmortems))
	byPath := make(map[string]int, len(s.Postmortems))
	files := map[string]int{} // the Markdown files of page bundles, which are copied beside their pages
	for i, p := range s.Postmortems {
		byPath[p.Path] = i
		for _, a := range p.Assets {
			if markdown.IsFile(a) {
				files[path.Join(p.Dir, a)] = i
			}
		}
	}
	leftByPath := map[string]*postmortem.Postmortem{}
	leftBySlug := map[string]*postmortem.Postmortem{}
	for _, p := range unbuilt {
		leftByPath[p.Path], leftBySlug[p.Slug] = p, p
	}
	for i, p := range s.Postmortems {
		if len(p.Refs) == 0 {
			continue
		}
		s.Refs[i] = make([]int, len(p.Refs))
		for k, r := range p.Refs {
			slug := r.Slug
			if _, exact := s.Index[slug]; !exact && leftBySlug[slug] == nil {
				slug = postmortem.Slugify(slug) // [[DNS_Outage]] is [[dns-outage]]
			}
			j, ok := s.Index[slug]
			what, other := "[["+r.Slug+"]]", leftBySlug[slug]
			if r.Path != "" {
				j, ok = byPath[r.Path]
				what, other = "link to "+shown(cmp.Or(r.Written, r.Path)), leftByPath[r.Path]
			}
			if j, isFile := files[r.Path]; isFile && r.Path != "" {
				s.Refs[i][k] = j // a file, not a reference to the postmortem
				continue
			}
			switch {
			case ok:
				s.Refs[i][k] = j
				if j != i && !slices.Contains(s.ReferencedBy[j], i) {
					s.ReferencedBy[j] = append(s.ReferencedBy[j], i)
				}
				continue
			case other != nil && other.Draft:
				diags.Warn(p.Path, r.Line, r.Col, "%s: %q is a draft, left out of this build: shown as text without a link (--drafts builds drafts)", what, other.Title)
			case other != nil:
				// Left out of a public build: named as written, not by its title.
				diags.Warn(p.Path, r.Line, r.Col, "%s: not public, left out of this build: shown as text without a link", what)
			case r.Path != "":
				diags.Add(p.Path, r.Line, r.Col, "%s: no postmortem is %s (links to another postmortem name its .md file, relative to this one's folder)", what, shown(r.Path))
			default:
				diags.Add(p.Path, r.Line, r.Col, "%s: no postmortem has the slug %q%s", what, r.Slug, nearestSlug(s, r.Slug))
			}
			s.Refs[i][k] = Unbuilt
		}
	}
	// i grows, so each list is in the order of s.Postmortems: newest first.
	return diags
}

// nearestSlug suggests the slug of s closest to slug, when one is close.
func nearestSlug(s *Site, slug string) string {
	bare := undated(slug)
	best, dist := "", max(2, len(bare)/3)+1
	for _, p := range s.Postmortems {
		// The name without the day it starts with, which a writer
		// leaves out or adds: [[disk-full]] for 2024-03-02-disk-full.
		if d := nearmiss.Distance(bare, undated(p.Slug)); d < dist || d == dist && p.Slug < best {
			best, dist = p.Slug, d
		}
	}
	if best == "" {
		// A slug cut short: the one slug that goes on from it, word by word.
		for _, p := range s.Postmortems {
			if !strings.HasPrefix(undated(p.Slug), bare+"-") {
				continue
			}
			if best != "" {
				return "" // more than one: none is meant more than the other
			}
			best = p.Slug
		}
	}
	if best == "" {
		// A slug that goes on past one, of the same day if both have
		// one: a file renamed to a shorter name. The longest such.
		for _, p := range s.Postmortems {
			u := undated(p.Slug)
			sameDay := bare == slug || u == p.Slug || slug[:10] == p.Slug[:10]
			if strings.HasPrefix(bare, u+"-") && len(u) > len(undated(best)) && sameDay {
				best = p.Slug
			}
		}
	}
	if best == "" {
		return ""
	}
	return " (did you mean [[" + best + "]]?)"
}

// undated returns slug without the date it starts with, if any:
// "disk-full" for "2024-03-02-disk-full".
func undated(slug string) string {
	if len(slug) > 11 && slug[10] == '-' {
		if _, err := time.Parse(time.DateOnly, slug[:10]); err == nil {
			return slug[11:]
		}
	}
	return slug
}

// summaryTitles gives each postmortem whose summary is its first paragraph
// what its references there resolve to, as its page shows them (see
// postmortem.SetSummaryTitles).
func summaryTitles(s *Site) {
	for i, p := range s.Postmortems {
		if len(s.Refs[i]) == 0 {
			continue
		}
		to := make([]*postmortem.Postmortem, len(s.Refs[i]))
		for k, j := range s.Refs[i] {
			if j != Unbuilt {
				to[k] = s.Postmortems[j]
			}
		}
		postmortem.SetSummaryTitles(p, RefTargets(p, to, s.Unnamed))
	}
}

// RefTargets returns what each reference of p (Postmortem.Refs) leads to,
// for markdown.Resolve: to[k] is the postmortem Refs[k] names, nil for one
// not on the site, shown by its name as written, or as unnamed when that
// is not "" (Site.Unnamed). The pages of incidents are side by side; a
// Markdown file of a page bundle is beside the bundle's page.
func RefTargets(p *postmortem.Postmortem, to []*postmortem.Postmortem, unnamed string) []markdown.Target {
	out := make([]markdown.Target, len(p.Refs))
	for k, t := range to {
		ref := p.Refs[k]
		if t == nil {
			out[k].Title = cmp.Or(unnamed, ref.Slug)
			if ref.Path != "" && unnamed == "" {
				out[k].Title = path.Base(ref.Path)
			}
			continue
		}
		u := path.Base(PostmortemURL(t.Slug))
		if ref.Path != "" && ref.Path != t.Path {
			u = path.Join(strings.TrimSuffix(u, ".html"), strings.TrimPrefix(ref.Path, t.Dir+"/"))
			out[k] = markdown.Target{URL: (&url.URL{Path: u}).EscapedPath(), Title: path.Base(ref.Path)}
			continue
		}
		if f := ref.Fragment; f != "" {
			u += "#" + (&url.URL{Fragment: f[1:]}).EscapedFragment()
		}
		out[k] = markdown.Target{URL: u, Title: t.Title}
	}
	return out
}

// shown writes the path p of a link for a diagnostic: as it is, or quoted
// where it holds a control character (a line break written %0A), which
// would otherwise start a line of its own.
func shown(p string) string {
	if strings.ContainsFunc(p, unicode.IsControl) {
		return strconv.Quote(p)
	}
	return p
}
