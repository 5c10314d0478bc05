package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/review"
	"github.com/postmortem/postmortem/generator/site"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// checkOptions are the flags of postmortem check.
type checkOptions struct {
	format string // one of diag.Formats
	strict bool   // warnings fail too
	now    string // the day overdue is measured against, 2006-01-02; "" for today
	// taxonomy prints the report on the terms after the summary (text only).
	taxonomy bool
	// files are the postmortems (or folders of them) whose findings are
	// reported, as given on the command line; none for all.
	files []string
}

func runCheck(ctx context.Context, dir string, opts checkOptions, stdout, stderr io.Writer, now func() time.Time) int {
	if !slices.Contains(diag.Formats, opts.format) {
		fmt.Fprintf(stderr, "postmortem check: --format %q: want one of %v\n", opts.format, diag.Formats)
		return exitUsage
	}
	day, err := buildDay(opts.now, now)
	if err != nil {
		fmt.Fprintf(stderr, "postmortem check: %v\n", err)
		return exitUsage
	}
	root, _ := sitefs.Root(dir) // "" when it cannot be resolved: absolute links are then outside the site
	only, ok := inSite(dir, root, "check", opts.files, stderr)
	if !ok {
		return exitUsage
	}
	b := site.New(os.DirFS(dir), site.Options{Drafts: true, Root: root, Now: day, Once: true})
	// The links between pages are checked against the output's paths:
	// the pages themselves are not kept.
	built := &paths{m: map[string][]byte{}}
	res := b.BuildTo(ctx, nil, built)
	if ctx.Err() != nil {
		return interrupted(stderr, "")
	}
	diags, checked := res.Diagnostics, res.Postmortems
	cfg := b.Config()
	reviewed := true
	switch {
	case res.Site != nil:
		diags = append(diags, review.Check(review.Input{FS: b.FS(), Config: &cfg, Postmortems: res.Site.Postmortems, Now: day, Output: built.has})...).Sort()
	case reviewable(diags.Errors()):
		// The build stopped at a postmortem that failed to parse or to
		// link, or at a template, before writing the site: the others
		// are reviewed all the same, so that CI shows every finding at
		// once, and so is one with an error in a field, by the rules
		// that do not read that field (see review.Rule.Reads).
		//
		// What the build makes from the postmortems is not known: the
		// links into it are not checked (see review.Input.Unbuilt). Nor
		// are the references between postmortems and the duplicate
		// slugs, which the build reports once every postmortem parses: a
		// [[slug]] of one that failed would be reported as leading nowhere.
		in := review.Input{FS: b.FS(), Config: &cfg, Postmortems: res.Parsed, Now: day, Output: staticFiles(b.FS()), Unbuilt: true, Failed: res.Failed}
		checked = len(res.Parsed)
		diags = append(diags, review.Check(in)...).Sort()
	default:
		// The settings are at fault: the postmortems are not reviewed
		// against them, but what the rules: option has wrong is told
		// with the rest, not after it is fixed.
		reviewed = false
		diags = append(diags, review.RuleErrors(&cfg)...).Sort()
	}
	if checked == 0 && res.Unread == 0 {
		// A CI job that checks nothing passes: say so, and fail --strict.
		diags.Warn(postmortem.ContentDir, 0, 0, "no postmortem to check: a postmortem is a .md or .markdown file under content/")
	}
	if len(only) > 0 {
		diags = slices.DeleteFunc(diags, func(d diag.Diagnostic) bool { return !concerns(d.Path, only) })
	}
	// Text is for people: the diagnostics on stderr, the summary on
	// stdout. The other formats are for programs that read stdout.
	out, summary := stdout, stderr
	if opts.format == "text" {
		out, summary = stderr, stdout
	}
	if err := diags.In(dir).Write(out, opts.format); err != nil {
		fmt.Fprintf(stderr, "postmortem check: %v\n", err)
		return exitContent
	}
	if len(res.Skipped) > 0 {
		// Not a problem, so not a diagnostic: a note, so that a file
		// skipped by mistake is seen.
		var list []string
		for _, s := range res.Skipped {
			list = append(list, fmt.Sprintf("%s (%s)", diag.PathIn(dir, s.Path), s.Reason))
		}
		fmt.Fprintf(summary, "skipped, not postmortems: %s\n", strings.Join(list, ", "))
	}
	errs, warns := len(diags.Errors()), len(diags.Warnings())
	failed := ""
	if res.Unread > 0 {
		// Of the whole site, which its errors name: under the paths
		// given or not.
		where := ""
		if len(only) > 0 {
			where = " in the site"
		}
		failed = fmt.Sprintf(" (%d more%s that did not parse)", res.Unread, where)
	}
	of := ""
	if len(only) > 0 {
		of = fmt.Sprintf("; reported for the %s given and the site's settings", diag.Count(len(only), "path"))
	}
	fmt.Fprintf(summary, "checked %s%s: %s, %s%s\n", diag.Count(checked, "postmortem"), failed, diag.Count(errs, "error"), diag.Count(warns, "warning"), of)
	if res.Site == nil && errs > 0 {
		// So that CI is not pushed again and again to find the rest.
		rest := "the links into the pages the build makes"
		if res.Failed > 0 {
			rest = "the [[slug]] references, slugs shared by two postmortems, near-duplicate terms, and " + rest
		}
		if !reviewed {
			rest = "the postmortems against the rules (action items, required sections, vocabulary and the others), " + rest
		}
		fmt.Fprintf(summary, "not checked until these errors are fixed: %s\n", rest)
	}
	if opts.taxonomy && res.Site != nil {
		fmt.Fprintln(summary)
		if err := review.TaxonomyOf(review.TermsOf(res.Site.Postmortems), &cfg).WriteText(summary); err != nil {
			fmt.Fprintf(stderr, "postmortem check: %v\n", err)
			return exitContent
		}
	}
	if errs > 0 || opts.strict && warns > 0 {
		return exitContent
	}
	return exitOK
}

// concerns reports whether a finding in the file p (from the site's root)
// is reported when only the paths of only are: it is one of them or
// below one, or it is not a postmortem's (the settings, a template),
// which concerns every postmortem.
func concerns(p string, only []string) bool {
	if !strings.HasPrefix(p, postmortem.ContentDir+"/") {
		return true
	}
	return slices.ContainsFunc(only, func(o string) bool {
		return p == o || o == "." || strings.HasPrefix(p, strings.TrimSuffix(o, "/")+"/")
	})
}

// reviewable reports whether errs, the errors of a failed build, leave the
// settings sound: none is in the configuration file (config.Files), whose
// rules, severities and fields a review of the postmortems reads, or
// without a file. Those of postmortems, templates, labels and static/ do
// not stop a review.
func reviewable(errs diag.List) bool {
	return len(errs) > 0 && !slices.ContainsFunc(errs, func(d diag.Diagnostic) bool {
		return d.Path == "" || slices.Contains(config.Files, d.Path)
	})
}

// staticFiles returns what reports whether the build copies a file from
// static/ to an output path.
func staticFiles(fsys fs.FS) func(string) bool {
	out := map[string]bool{}
	var skipped diag.List // the build reported them
	sitefs.WalkStatic(fsys, "static", &skipped, func(p string) error {
		out[strings.TrimPrefix(p, "static/")] = true
		return nil
	})
	return func(p string) bool { return out[p] }
}

// paths is a sink that keeps the paths of the files alone, with no bytes.
type paths struct {
	mu sync.Mutex
	m  map[string][]byte
}

// has reports whether a file was put at name.
func (p *paths) has(name string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	_, ok := p.m[name]
	return ok
}

func (p *paths) Put(name string, _ []byte) error {
	p.mu.Lock()
	p.m[name] = nil
	p.mu.Unlock()
	return nil
}
