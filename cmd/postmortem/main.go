// Command postmortem builds a static knowledge base out of a folder of
// incident postmortems written in Markdown.
//
//	postmortem build [--site DIR] [--out DIR] [--drafts] [--base-url URL] [--now DAY] [--profile internal|public]
//	postmortem check [--site DIR] [--format text|json|github] [--strict] [--now DAY] [--taxonomy] [PATH...]
//	postmortem serve [--site DIR] [--bind 127.0.0.1] [--port 1313] [--drafts=true] [--open]
//	postmortem new [--site DIR] [--date DAY] [--severity SEV] [--bundle] TITLE
//	postmortem init [DIR | --site DIR]
//	postmortem schema [--site DIR]
//	postmortem import [--site DIR] [--dry-run] [PATH...]
//	postmortem version
//	postmortem theme export [--site DIR] [DIR]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"syscall"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/output"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/schema"
	"github.com/postmortem/postmortem/generator/site"
	"github.com/postmortem/postmortem/generator/sitefs"
)

const usage = `usage: postmortem <command> [flags]

commands:
  build   build the site into SITE/public (or --out)
  check   validate every postmortem, drafts included, without writing
  serve   build, serve and rebuild on change, with live reload
  new     write a new postmortem from the template
  init    start a new site in a folder (default the current one)
  schema  print the JSON Schema of the front matter, for editors
  import  write the front matter of postmortems that have none
  version print the version
  theme   theme export [DIR]: write the default theme out for editing

Run postmortem <command> -h for the flags of a command.
`

// exit codes
const (
	exitOK          = 0
	exitContent     = 1
	exitUsage       = 2
	exitInterrupted = 130 // as a shell reports a command stopped by Ctrl-C
)

func main() {
	tuneGC(room)
	// A closed terminal (SIGHUP) stops a command as Ctrl-C does, so that
	// the preview removes its folder; a closed pipe on the log (serve |
	// head) fails the writes, not the preview.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	go func() {
		// A second Ctrl-C stops at once.
		<-ctx.Done()
		stop()
	}()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, time.Now)
	stop()
	os.Exit(code)
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer, now func() time.Time) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	fset := flag.NewFlagSet("postmortem "+args[0], flag.ContinueOnError)
	fset.SetOutput(stderr)
	siteDir := fset.String("site", ".", "site root: the folder that holds content/")
	if syn, ok := synopses[args[0]]; ok {
		fset.Usage = func() {
			fmt.Fprintf(fset.Output(), "usage: postmortem %s\n\n", syn)
			fset.PrintDefaults()
		}
	}
	switch args[0] {
	case "build":
		out := fset.String("out", "", "output folder (default SITE/public)")
		drafts := fset.Bool("drafts", false, "build drafts too")
		baseURL := fset.String("base-url", "", "absolute URL the site is published at, for the feed and sitemap")
		nowFlag := fset.String("now", "", "the day open action items are overdue against, as 2024-06-01 (default today)")
		profile := fset.String("profile", "internal", "internal (everything, internal blocks marked) or public (no draft, review or internal postmortem, no internal block)")
		if code, ok := parse(fset, args[1:], 0, 0); !ok {
			return code
		}
		if *profile != "internal" && *profile != "public" {
			fmt.Fprintf(stderr, "postmortem build: --profile %q: want internal or public\n", *profile)
			return exitUsage
		}
		if _, err := config.BaseURL(*baseURL); err != nil {
			fmt.Fprintf(stderr, "postmortem build: --base-url %v\n", err)
			return exitUsage
		}
		if !isSite(*siteDir, "build", needContent, stderr) {
			return exitUsage
		}
		if *out == "" {
			*out = filepath.Join(*siteDir, "public")
		}
		day, err := buildDay(*nowFlag, now)
		if err != nil {
			fmt.Fprintf(stderr, "postmortem build: %v\n", err)
			return exitUsage
		}
		return runBuild(ctx, *siteDir, *out, site.Options{Drafts: *drafts, BaseURL: *baseURL, Now: day, Public: *profile == "public"}, stdout, stderr, now)
	case "check":
		var opts checkOptions
		fset.StringVar(&opts.format, "format", "text", "output: text, json (an array on stdout) or github (workflow commands on stdout)")
		fset.BoolVar(&opts.strict, "strict", false, "exit 1 on warnings too")
		fset.StringVar(&opts.now, "now", "", "the day open action items are overdue against, as 2024-06-01 (default today)")
		fset.BoolVar(&opts.taxonomy, "taxonomy", false, "report on the root causes and contributing factors: terms used once, near-duplicates, aliases, vocabulary")
		if code, ok := parse(fset, args[1:], 0, -1); !ok {
			return code
		}
		opts.files = fset.Args()
		if !isSite(*siteDir, "check", needContent, stderr) {
			return exitUsage
		}
		return runCheck(ctx, *siteDir, opts, stdout, stderr, now)
	case "serve":
		bind := fset.String("bind", "127.0.0.1", "address to listen on")
		port := fset.Int("port", 1313, "port to listen on; 0 picks a free one")
		drafts := fset.Bool("drafts", true, "show drafts, marked as drafts")
		open := fset.Bool("open", false, "open the site in the browser")
		if code, ok := parse(fset, args[1:], 0, 0); !ok {
			return code
		}
		if !isSite(*siteDir, "serve", needContent, stderr) {
			return exitUsage
		}
		return runServe(ctx, *siteDir, *bind, *port, *drafts, *open, now(), stdout, stderr)
	case "new":
		opts := newOptions{}
		fset.StringVar(&opts.date, "date", "", "day of the incident, as 2024-03-02 (default today)")
		fset.StringVar(&opts.severity, "severity", "", "severity level (default the middle one of the config)")
		fset.BoolVar(&opts.bundle, "bundle", false, "write a page bundle, a folder with index.md, for images beside it")
		if code, ok := parse(fset, args[1:], 1, 1); !ok {
			return code
		}
		if !isSite(*siteDir, "new", needSite, stderr) {
			return exitUsage
		}
		return runNew(*siteDir, fset.Arg(0), opts, stdout, stderr, now)
	case "init":
		fset.Lookup("site").Usage = "the folder to start the site in, as DIR"
		if code, ok := parse(fset, args[1:], 0, 1); !ok {
			return code
		}
		dir := *siteDir
		if fset.NArg() == 1 {
			if isSet(fset, "site") && filepath.Clean(dir) != filepath.Clean(fset.Arg(0)) {
				fmt.Fprintf(stderr, "postmortem init: --site %s and %s name two folders; name one\n", dir, fset.Arg(0))
				return exitUsage
			}
			dir = fset.Arg(0)
		}
		return runInit(dir, stdout, stderr)
	case "schema":
		if code, ok := parse(fset, args[1:], 0, 0); !ok {
			return code
		}
		if !isSite(*siteDir, "schema", needFolder, stderr) {
			return exitUsage
		}
		cfg, diags := config.Load(sitefs.Dir(*siteDir))
		if !report(*siteDir, diags, stderr) {
			return exitContent
		}
		stdout.Write(schema.FrontMatter(&cfg))
		return exitOK
	case "import":
		dryRun := fset.Bool("dry-run", false, "print the changes as a diff, and write nothing")
		if code, ok := parse(fset, args[1:], 0, -1); !ok {
			return code
		}
		if !isSite(*siteDir, "import", needContent, stderr) {
			return exitUsage
		}
		return runImport(*siteDir, *dryRun, fset.Args(), stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, version())
		return exitOK
	case "theme":
		return runTheme(fset, siteDir, args[1:], stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "postmortem: unknown command %q\n%s", args[0], usage)
	return exitUsage
}

// synopses are the first line of each command's help: its arguments, and
// what it does with them where the flags do not say.
var synopses = map[string]string{
	"build":  "build [flags]: build the site into SITE/public (or --out)",
	"check":  "check [flags] [PATH...]: validate every postmortem, drafts included, and report\nthe findings in the files under each PATH (default all) and the site's settings\n\nexit 0 when there is no error, 1 on errors (and on warnings with --strict),\n2 on a mistake in the command, 130 when stopped by Ctrl-C or SIGTERM",
	"serve":  "serve [flags]: build, serve and rebuild on change, with live reload",
	"new":    "new [flags] TITLE: write a new postmortem from the template, named after\nits day and TITLE",
	"init":   "init [DIR]: start a new site in DIR (default the current folder)",
	"schema": "schema [flags]: print the JSON Schema of the front matter, for editors",
	"import": "import [flags] [PATH...]: write the front matter of the postmortems that\nhave none, those under each PATH of content/ (default all of them)",
}

// parse parses flags, which may come before or after the arguments, and
// checks that at least least and at most most arguments are left, which
// fset.Args then holds; most -1 is no limit.
func parse(fset *flag.FlagSet, args []string, least, most int) (int, bool) {
	var rest []string
	for {
		if err := fset.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return exitOK, false
			}
			return exitUsage, false
		}
		args = fset.Args()
		if len(args) == 0 {
			break
		}
		if args[0] == "--" {
			rest = append(rest, args[1:]...)
			break
		}
		rest, args = append(rest, args[0]), args[1:]
	}
	if n := len(rest); n < least || most >= 0 && n > most {
		want := strconv.Itoa(least)
		switch {
		case least == most:
		case most < 0:
			want = "at least " + want
		case least == 0:
			want = "at most " + strconv.Itoa(most)
		default:
			want += " to " + strconv.Itoa(most)
		}
		if fset.Name() == "postmortem new" && n == 0 {
			fmt.Fprintf(fset.Output(), "%s: the TITLE is missing, such as postmortem new \"Disk full on db-3\"\n", fset.Name())
		} else {
			fmt.Fprintf(fset.Output(), "%s: want %s argument(s), got %d\n", fset.Name(), want, n)
		}
		fset.Usage()
		return exitUsage, false
	}
	// Parse of the arguments alone leaves them as fset.Args.
	_ = fset.Parse(append([]string{"--"}, rest...))
	return 0, true
}

// isSet reports whether the flag name was given on the command line.
func isSet(fset *flag.FlagSet, name string) bool {
	set := false
	fset.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// A siteNeed is what a command needs of the folder --site names.
type siteNeed int

const (
	// needFolder is a folder, a site or not: schema reads its
	// postmortem.yaml, if there is one.
	needFolder siteNeed = iota
	// needSite is a folder with content/ or a configuration file
	// (config.Files): new and theme export add to a site, and make none of
	// another folder.
	needSite
	// needContent is a folder with content/: build, check, serve and
	// import read the postmortems in it.
	needContent
)

// siteHint says what --site names, and how to start a site in the folder
// of its argument.
const siteHint = "--site names the folder of a site, which holds its postmortems in content/ " +
	"(one Markdown file each) and its settings in postmortem.yaml; postmortem init %s starts one there\n"

// isSite reports whether dir is a folder with what need asks of it, and
// otherwise says on stderr what --site should name.
func isSite(dir, cmd string, need siteNeed, stderr io.Writer) bool {
	st, err := os.Stat(dir)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "postmortem %s: --site %s: no such folder\n", cmd, dir)
		return false
	case !st.IsDir():
		fmt.Fprintf(stderr, "postmortem %s: --site %s: is a file, want the folder of a site\n", cmd, dir)
		return false
	}
	has := func(name string) bool {
		_, err := os.Lstat(filepath.Join(dir, name))
		return !errors.Is(err, fs.ErrNotExist)
	}
	if need == needFolder || has(postmortem.ContentDir) || need == needSite && slices.ContainsFunc(config.Files, has) {
		return true
	}
	switch site := enclosingSite(dir); {
	case site != "":
		// Inside a site's content/: init there would start a site within
		// the site, whose files the outer one would read as postmortems.
		fmt.Fprintf(stderr, "postmortem %s: %s is inside the postmortems of the site %s: run it there, or give --site %[3]s\n", cmd, dir, site)
	case need == needSite:
		fmt.Fprintf(stderr, "postmortem %s: %s is not a site, with neither content/ nor a postmortem.yaml (.yml, .toml): "+siteHint, cmd, dir, dir)
	case slices.ContainsFunc(config.Files, has):
		// A site's settings without its postmortems: init would refuse
		// to write over them.
		fmt.Fprintf(stderr, "postmortem %s: %s has no content/ folder for its postmortems: create %s, or postmortem new \"TITLE\" --site %s writes the first\n", cmd, dir, filepath.Join(dir, postmortem.ContentDir), dir)
	default:
		fmt.Fprintf(stderr, "postmortem %s: %s has no content/ folder: "+siteHint, cmd, dir, dir)
	}
	return false
}

// enclosingSite returns the folder of the site whose content/ holds dir,
// as a path from the working folder, or "" when there is none.
func enclosingSite(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for p := abs; filepath.Dir(p) != p; p = filepath.Dir(p) {
		if filepath.Base(p) != postmortem.ContentDir {
			continue
		}
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			site := filepath.Dir(p)
			if wd, err := os.Getwd(); err == nil {
				if rel, err := filepath.Rel(wd, site); err == nil {
					return rel
				}
			}
			return site
		}
	}
	return ""
}

// report prints the diagnostics of the site in dir and says whether the
// build may go on.
func report(dir string, diags diag.List, stderr io.Writer) bool {
	diags.In(dir).Write(stderr, "text")
	if n := len(diags.Errors()); n > 0 {
		fmt.Fprintln(stderr, diag.Count(n, "error"))
		return false
	}
	return true
}

func runBuild(ctx context.Context, dir, out string, opts site.Options, stdout, stderr io.Writer, now func() time.Time) int {
	start := now()
	if err := output.Check(dir, out); err != nil {
		fmt.Fprintf(stderr, "postmortem: %v\n", err)
		return exitUsage
	}
	opts.Root, _ = sitefs.Root(dir) // "" when it cannot be resolved: absolute links are then outside the site
	left := out + " left as it was"
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		left = "nothing written to " + out
	}
	staged, err := output.Begin(ctx, out)
	if err != nil {
		if ctx.Err() != nil {
			return interrupted(stderr, left)
		}
		fmt.Fprintf(stderr, "postmortem: writing %s: %v\n", out, err)
		return exitContent
	}
	// The pages go to the staging folder as they are rendered.
	opts.Once = true
	b := site.New(os.DirFS(dir), opts)
	res := b.BuildTo(ctx, nil, staged)
	if res.Site == nil && ctx.Err() != nil {
		staged.Abort()
		return interrupted(stderr, left)
	}
	if !report(dir, res.Diagnostics, stderr) || res.Site == nil {
		staged.Abort()
		fmt.Fprintf(stderr, "build failed; %s\n", left)
		return exitContent
	}
	if err := staged.Commit(); err != nil {
		if ctx.Err() != nil {
			return interrupted(stderr, left)
		}
		fmt.Fprintf(stderr, "postmortem: writing %s: %v\n", out, err)
		return exitContent
	}
	fmt.Fprintf(stdout, "built %s, %s, %s into %s in %s\n", diag.Count(res.Postmortems, "postmortem"), diag.Count(res.Pages(), "page"),
		diag.Count(res.RootCauses, "root cause"), out, now().Sub(start).Round(time.Millisecond))
	if res.Drafts > 0 {
		fmt.Fprintf(stdout, "skipped %s: --drafts builds them too\n", diag.Count(res.Drafts, "draft"))
	}
	if res.Withheld > 0 {
		fmt.Fprintf(stdout, "left out %s, drafts, in review or internal (--profile public)\n", diag.Count(res.Withheld, "postmortem"))
	}
	if b.Config().BaseURL == "" {
		fmt.Fprintln(stdout, "no sitemap.xml, and the feed's links are relative: base_url in postmortem.yaml (or --base-url) gives the address the site is published at")
	}
	return exitOK
}

// buildDay is the day of --now (2024-06-01), or today when it is empty.
func buildDay(flag string, now func() time.Time) (time.Time, error) {
	if flag == "" {
		return now(), nil
	}
	day, err := time.Parse(time.DateOnly, flag)
	if err != nil {
		return time.Time{}, fmt.Errorf("--now %q: want a day such as 2024-06-01", flag)
	}
	return day, nil
}

// interrupted says that a build was stopped by a signal, and what of
// its output folder is left: "" when it has none.
func interrupted(stderr io.Writer, left string) int {
	if left == "" {
		fmt.Fprintln(stderr, "interrupted")
	} else {
		fmt.Fprintf(stderr, "interrupted; %s\n", left)
	}
	return exitInterrupted
}
