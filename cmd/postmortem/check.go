package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/postmortem/postmortem/generator/diag"
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
	b := site.New(os.DirFS(dir), site.Options{Drafts: true, Root: root, Now: day, Once: true})
	// The links between pages are checked against the output's paths:
	// the pages themselves are not kept.
	built := &paths{m: map[string][]byte{}}
	res := b.BuildTo(ctx, nil, built)
	if ctx.Err() != nil {
		return interrupted(stderr, "")
	}
	diags := res.Diagnostics
	if res.Site != nil {
		cfg := b.Config()
		diags = append(diags, review.Check(review.Input{FS: b.FS(), Config: &cfg, Postmortems: res.Site.Postmortems, Now: day, Output: built.m})...).Sort()
	}
	// Text is for people: the diagnostics on stderr, the summary on
	// stdout. The other formats are for programs that read stdout.
	out, summary := stdout, stderr
	if opts.format == "text" {
		out, summary = stderr, stdout
	}
	if err := diags.Write(out, opts.format); err != nil {
		fmt.Fprintf(stderr, "postmortem check: %v\n", err)
		return exitContent
	}
	if len(res.Skipped) > 0 {
		// Not a problem, so not a diagnostic: a note, so that a file
		// skipped by mistake is seen.
		var list []string
		for _, s := range res.Skipped {
			list = append(list, fmt.Sprintf("%s (%s)", s.Path, s.Reason))
		}
		fmt.Fprintf(summary, "skipped, not postmortems: %s\n", strings.Join(list, ", "))
	}
	errs, warns := len(diags.Errors()), len(diags.Warnings())
	fmt.Fprintf(summary, "checked %s: %s, %s\n", count(res.Postmortems, "postmortem"), count(errs, "error"), count(warns, "warning"))
	if opts.taxonomy && res.Site != nil {
		cfg := b.Config()
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

// count writes n and the noun, plural unless n is 1.
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// paths is a sink that keeps the paths of the files alone, with no bytes.
type paths struct {
	mu sync.Mutex
	m  map[string][]byte
}

func (p *paths) Put(name string, _ []byte) error {
	p.mu.Lock()
	p.m[name] = nil
	p.mu.Unlock()
	return nil
}
