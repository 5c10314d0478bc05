package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/postmortem/postmortem/generator/adopt"
	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// runImport writes the front matter a build would infer into each
// postmortem of the site that has none, or with dryRun prints it as a
// diff. paths, as given on the command line, limit it to these files and
// folders of content/.
func runImport(site string, dryRun bool, paths []string, stdout, stderr io.Writer) int {
	fail := func(format string, args ...any) int {
		fmt.Fprintf(stderr, "postmortem import: "+format+"\n", args...)
		return exitContent
	}
	root, err := sitefs.Root(site)
	if err != nil {
		return fail("%v", err)
	}
	only, ok := inSite(site, root, "import", paths, stderr)
	if !ok {
		return exitUsage
	}
	fsys := sitefs.New(os.DirFS(site), root, 0)
	cfg, diags := config.Load(fsys)
	if err := diags.Err(); err != nil {
		return fail("%v", err)
	}
	fsys = sitefs.New(os.DirFS(site), root, int64(cfg.MaxFileSize))
	plan, err := adopt.Make(fsys, &cfg, only)
	if err != nil {
		return fail("%v", err)
	}
	if dryRun {
		for _, c := range plan.Changes {
			if err := adopt.Diff(stdout, c); err != nil {
				return fail("%v", err)
			}
		}
	} else if err := adopt.Write(site, plan.Changes); err != nil {
		return fail("%v", err)
	}
	for _, d := range plan.Warnings.Sort() {
		fmt.Fprintln(stderr, d.Error())
	}
	verb := "adopted"
	if dryRun {
		verb = "would adopt (--dry-run: nothing written)"
	}
	failed := map[string]bool{}
	for _, d := range plan.Failed {
		failed[d.Path] = true
	}
	fmt.Fprintf(stdout, "%s %s; %s with front matter left alone; %d could not be adopted%s\n",
		verb, diag.Count(len(plan.Changes), "file"), diag.Count(len(plan.Kept), "file"), len(failed), colon(len(failed)))
	for _, d := range plan.Failed.Sort() {
		fmt.Fprintln(stdout, "  "+d.Error())
	}
	if len(plan.Failed) > 0 {
		return exitContent
	}
	return exitOK
}

func colon(n int) string {
	if n > 0 {
		return ":"
	}
	return ""
}

// inSite returns paths, each given to the command cmd from the current
// folder or the site's (see fromSite), as slash-separated paths from the
// site's root (root, its symbolic links resolved); it tells of one outside
// the site, and reports false.
func inSite(site, root, cmd string, paths []string, stderr io.Writer) ([]string, bool) {
	var out []string
	for _, p := range paths {
		if _, err := os.Stat(fromSite(site, p)); err != nil {
			// A path mistyped in CI would check nothing, and pass.
			fmt.Fprintf(stderr, "postmortem %s: %s: no such file or folder\n", cmd, p)
			return nil, false
		}
		abs, err := filepath.Abs(fromSite(site, p))
		if err == nil {
			if r, lerr := filepath.EvalSymlinks(abs); lerr == nil {
				abs = r
			}
		}
		rel, rerr := filepath.Rel(root, abs)
		if err != nil || rerr != nil || !filepath.IsLocal(rel) {
			fmt.Fprintf(stderr, "postmortem %s: %s: not inside the site %s\n", cmd, p, site)
			return nil, false
		}
		out = append(out, filepath.ToSlash(rel))
	}
	return out, true
}

// fromSite returns p, a path given on the command line: from the current
// folder as it is, else from the site's folder when it is one there
// (import --site kb content/a.md).
func fromSite(site, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	if _, err := os.Stat(p); err != nil {
		if _, err := os.Stat(filepath.Join(site, p)); err == nil {
			return filepath.Join(site, p)
		}
	}
	return p
}
