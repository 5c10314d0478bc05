package main

import (
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/site"
)

// checkOptions are the flags of postmortem check.
type checkOptions struct {
	format string // one of diag.Formats
	strict bool   // warnings fail too
}

func runCheck(dir string, opts checkOptions, stdout, stderr io.Writer) int {
	if !slices.Contains(diag.Formats, opts.format) {
		fmt.Fprintf(stderr, "postmortem check: --format %q: want one of %v\n", opts.format, diag.Formats)
		return exitUsage
	}
	res := site.New(os.DirFS(dir), site.Options{Drafts: true}).Build(nil)
	diags := res.Diagnostics
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
	errs, warns := len(diags.Errors()), len(diags.Warnings())
	fmt.Fprintf(summary, "checked %s: %s, %s\n", count(res.Postmortems, "postmortem"), count(errs, "error"), count(warns, "warning"))
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
