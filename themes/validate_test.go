package themes_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/browser"
	"github.com/postmortem/postmortem/generator/site"
)

// validator is the folder of the pinned html-validate (package.json and
// package-lock.json) and of its configuration.
const validator = "testdata/htmlvalidate"

// htmlValidate returns the command that runs html-validate, installing the
// pinned version with npm ci when it is not there yet.
func htmlValidate(t *testing.T) string {
	t.Helper()
	npm := browser.NPM(t)
	var pkg struct {
		DevDependencies map[string]string `json:"devDependencies"`
	}
	data, err := os.ReadFile(filepath.Join(validator, "package.json"))
	if err == nil {
		err = json.Unmarshal(data, &pkg)
	}
	if err != nil {
		t.Fatal(err)
	}
	want := pkg.DevDependencies["html-validate"]
	var installed struct{ Version string }
	data, err = os.ReadFile(filepath.Join(validator, "node_modules/html-validate/package.json"))
	if err == nil {
		err = json.Unmarshal(data, &installed)
	}
	if err != nil || installed.Version != want {
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
		cmd.Dir = validator
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in themes/%s: %v\n%s", validator, err, out)
		}
	}
	return filepath.Join(validator, "node_modules/.bin/html-validate")
}

// report is the part of html-validate's JSON output the test reads.
type report []struct {
	FilePath string `json:"filePath"`
	Messages []struct {
		RuleID  string `json:"ruleId"`
		Message string `json:"message"`
		Line    int    `json:"line"`
		Column  int    `json:"column"`
	} `json:"messages"`
}

// validate runs html-validate's standard preset over files under dir and
// returns its complaints as path:line:col: [rule] message.
func validate(t *testing.T, bin, dir string, files []string) []string {
	t.Helper()
	args := []string{"--config", filepath.Join(validator, "htmlvalidate.json"), "--formatter", "json"}
	for _, f := range files {
		args = append(args, filepath.Join(dir, f))
	}
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		t.Fatalf("html-validate: %v\n%s", err, stderr.Bytes())
	}
	var r report
	if stdout.Len() > 0 {
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			t.Fatalf("html-validate output: %v\n%s%s", err, stdout.Bytes(), stderr.Bytes())
		}
	}
	var out []string
	for _, f := range r {
		name, _ := filepath.Rel(dir, f.FilePath)
		for _, m := range f.Messages {
			out = append(out, fmt.Sprintf("%s:%d:%d: [%s] %s", name, m.Line, m.Column, m.RuleID, m.Message))
		}
	}
	if err != nil && len(out) == 0 {
		t.Fatalf("html-validate failed without a message: %v\n%s", err, stderr.Bytes())
	}
	return out
}

// TestPagesValid checks every page of the example site, drafts and the 404
// page included, with html-validate's standard preset: built with and
// without a base URL, as the 404 page's links differ.
func TestPagesValid(t *testing.T) {
	if testing.Short() {
		t.Skip("html-validate over the example site runs without -short (.ci/run runs both)")
	}
	bin := htmlValidate(t)
	for _, opts := range []site.Options{{Drafts: true}, {BaseURL: "https://postmortems.example.com/"}} {
		dir, pages := exampleSite(t, opts)
		slices.Sort(pages)
		if len(pages) < 100 {
			t.Fatalf("the example site has %d pages, want at least 100", len(pages))
		}
		for _, msg := range validate(t, bin, dir, pages) {
			t.Error(msg)
		}
	}
	// The links between the pages of a list, in lists of 4 incidents a page.
	dir, pages := buildSite(t, smallPages(t), site.Options{})
	var paged []string
	for _, p := range pages {
		if strings.HasPrefix(p, "incidents/index") || strings.HasPrefix(p, "years/") || strings.HasPrefix(p, "root-causes/") || strings.HasPrefix(p, "action-items") {
			paged = append(paged, p)
		}
	}
	slices.Sort(paged)
	for _, want := range []string{"incidents/index.2.html", "action-items.2.html", "action-items/postmortems.2.html", "action-items/owners/kwame-mensah.2.html"} {
		if !slices.Contains(paged, want) {
			t.Fatalf("the example site in pages of 4 has no %s: %v", want, paged)
		}
	}
	for _, msg := range validate(t, bin, dir, paged) {
		t.Error(msg)
	}
}

// TestValidatorComplains makes sure the validator and its configuration
// report what the standard preset forbids, so TestPagesValid cannot pass
// by checking nothing.
func TestValidatorComplains(t *testing.T) {
	bin := htmlValidate(t)
	dir := t.TempDir()
	page := `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>x</title></head>` +
		`<body><table><tr><td align="right">1</td></tr></table></body></html>`
	if err := os.WriteFile(filepath.Join(dir, "bad.html"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	msgs := validate(t, bin, dir, []string{"bad.html"})
	if !slices.ContainsFunc(msgs, func(m string) bool { return strings.Contains(m, "no-deprecated-attr") }) {
		t.Errorf("html-validate did not report the align attribute: %q", msgs)
	}
}
