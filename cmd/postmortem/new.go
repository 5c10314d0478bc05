package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// newTemplate is the skeleton of a new postmortem.
var newTemplate = template.Must(template.New("new").Parse(`---
title: {{.Title}}
date: {{.Day}}
# started: {{.Day}} 08:00
# detected: {{.Day}} 08:05
# resolved: {{.Day}} 09:30
# timezone: {{.Timezone}}
severity: {{.Severity}}
status: draft
root_causes: []
contributing_factors: []
services: []
authors: []
action_items:
  - title: {{.Placeholder.Action}}
    owner: {{.Placeholder.Owner}}
    status: open
    type: prevent
    due: {{.Due}}
---

## Summary

{{.Placeholder.Summary}}

## Impact

## Timeline
{{with .Placeholder.Timeline}}
- 08:00 — {{index . 0}}
- 08:05 — {{index . 1}}
- 09:30 — {{index . 2}}
{{end}}
## Root cause

## Resolution

## Lessons learned
`))

// newOptions are the flags of postmortem new.
type newOptions struct {
	date     string // the incident's day, 2006-01-02; "" for today
	severity string // "" for the middle level of the config
	bundle   bool   // write FOLDER/index.md rather than FILE.md
}

func runNew(site, title string, opts newOptions, stdout, stderr io.Writer, now func() time.Time) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "postmortem new: "+format+"\n", args...)
		return exitUsage
	}
	title = strings.TrimSpace(title)
	slug := postmortem.Slugify(title)
	if slug == "" {
		return fail("the title needs at least one letter or digit")
	}
	fsys := sitefs.Dir(site)
	cfg, diags := config.Load(fsys)
	if err := diags.Err(); err != nil {
		return fail("%v", err)
	}
	day := now().In(cfg.Location)
	if opts.date != "" {
		d, err := time.ParseInLocation(time.DateOnly, opts.date, cfg.Location)
		if err != nil {
			return fail("--date %q: want a day such as 2024-03-02", opts.date)
		}
		day = d
	}
	severity := cfg.Severities[len(cfg.Severities)/2]
	if opts.severity != "" {
		k := slices.IndexFunc(cfg.Severities, func(s string) bool { return strings.EqualFold(s, opts.severity) })
		if k < 0 {
			return fail("--severity %q: want one of %s", opts.severity, strings.Join(cfg.Severities, ", "))
		}
		severity = cfg.Severities[k]
	}
	date := day.Format(time.DateOnly)
	base := date + "-" + shorten(slug, maxNameSlug)
	name, taken := base, takenNames(fsys, cfg.Ignore)
	for n := 2; taken[name]; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	path := filepath.Join(site, postmortem.ContentDir, date[:4], name+".md")
	if opts.bundle {
		path = filepath.Join(site, postmortem.ContentDir, date[:4], name, "index.md")
		if _, err := os.Lstat(filepath.Dir(path)); err == nil {
			fmt.Fprintf(stderr, "postmortem new: %s exists already\n", filepath.Dir(path))
			return exitContent
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintf(stderr, "postmortem new: %v\n", err)
		return exitContent
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		fmt.Fprintf(stderr, "postmortem new: %v\n", err)
		return exitContent
	}
	err = newTemplate.Execute(f, struct {
		Title, Day, Timezone, Severity, Due string
		Placeholder                         any
	}{
		strconv.Quote(title), date, strconv.Quote(cfg.Timezone),
		strconv.Quote(severity), day.AddDate(0, 0, 28).Format(time.DateOnly), postmortem.Placeholder,
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		fmt.Fprintf(stderr, "postmortem new: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	// The path alone on stdout, for scripts; what to do next for people.
	fmt.Fprintln(stderr, "It is a draft: postmortem serve shows it as you write. Once it is written, set its status: to final and run postmortem check, which names what is left of the template.")
	return exitOK
}

// maxNameSlug is how many bytes of a title's slug a file name takes: the
// title itself is kept whole in the front matter.
const maxNameSlug = 80

// shorten returns slug cut to at most n bytes, at a dash when there is one.
func shorten(slug string, n int) string {
	if len(slug) <= n {
		return slug
	}
	cut := slug[:n]
	for !utf8.ValidString(cut) {
		cut = cut[:len(cut)-1]
	}
	if i := strings.LastIndexByte(cut, '-'); i > 0 {
		cut = cut[:i]
	}
	return cut
}

// takenNames returns the slugs that the names of the site's postmortems
// give them (a slug: in the front matter is not read): a new one under
// the same name would share its page.
func takenNames(fsys fs.FS, ignore []string) map[string]bool {
	sources, _, _ := postmortem.Discover(fsys, postmortem.ContentDir, ignore)
	taken := make(map[string]bool, len(sources))
	for _, src := range sources {
		taken[postmortem.Slugify(postmortem.NameBase(src.Path, src.Dir))] = true
	}
	return taken
}
