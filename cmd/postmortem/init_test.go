package main

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/config"
)

func TestInitThenCheckAndBuild(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "kb")
	code, out, errOut := runCmd(t, "init", dir)
	if code != 0 {
		t.Fatalf("init: exit %d, %s", code, errOut)
	}
	for _, f := range []string{"postmortem.yaml", ".gitignore", ".github/workflows/postmortem.yml", "content/first-postmortem.md"} {
		if !strings.Contains(out, filepath.Join(dir, filepath.FromSlash(f))) {
			t.Errorf("init did not report writing %s:\n%s", f, out)
		}
	}
	if code, out, errOut := runCmd(t, "check", "--site", dir, "--strict"); code != 0 {
		t.Errorf("check of a new site: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := runCmd(t, "build", "--site", dir); code != 0 {
		t.Errorf("build of a new site: exit %d\n%s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "index.html")); err != nil {
		t.Error(err)
	}
	// A second init writes nothing and says what is in the way.
	os.WriteFile(filepath.Join(dir, "postmortem.yaml"), []byte("title: Ours\n"), 0o644)
	code, _, errOut = runCmd(t, "init", dir)
	if code != exitUsage || !strings.Contains(errOut, "postmortem.yaml; nothing written") {
		t.Errorf("init over a site: exit %d, %q", code, errOut)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "postmortem.yaml")); string(data) != "title: Ours\n" {
		t.Error("init overwrote postmortem.yaml")
	}
}

// TestInitConfigListsEveryOption keeps the commented postmortem.yaml of
// init in step with the options the config reads.
func TestInitConfigListsEveryOption(t *testing.T) {
	data, err := skeleton.ReadFile("skeleton/postmortem.yaml")
	if err != nil {
		t.Fatal(err)
	}
	typ := reflect.TypeOf(config.Config{})
	for i := range typ.NumField() {
		key, _, _ := strings.Cut(typ.Field(i).Tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		if !regexp.MustCompile(`(?m)^#? ?` + regexp.QuoteMeta(key) + `:`).Match(data) {
			t.Errorf("the postmortem.yaml of init does not show the option %s", key)
		}
	}
}

// TestInitWorkflowPassesActionlint lints the GitHub workflow init writes.
func TestInitWorkflowPassesActionlint(t *testing.T) {
	if testing.Short() {
		t.Skip("actionlint is fetched and built with go run; skipped with -short")
	}
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, "init", dir); code != 0 {
		t.Fatal(errOut)
	}
	cmd := exec.Command("go", "run", "github.com/rhysd/actionlint/cmd/actionlint@v1.7.12", "-no-color",
		filepath.Join(dir, ".github", "workflows", "postmortem.yml"))
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("actionlint: %v\n%s", err, out)
	}
}

// TestInitSite starts a site in the folder --site names, as in the one
// given as the argument, and refuses two different folders.
func TestInitSite(t *testing.T) {
	// A run that wrote into the current folder would write it here.
	cwd := t.TempDir()
	t.Chdir(cwd)
	dir := filepath.Join(t.TempDir(), "kb")
	code, out, errOut := runCmd(t, "init", "--site", dir)
	if code != exitOK || !strings.Contains(out, filepath.Join(dir, "postmortem.yaml")) {
		t.Fatalf("init --site: exit %d, out %q, err %q", code, out, errOut)
	}
	if !strings.Contains(out, "Next: cd "+dir+" && postmortem serve,") {
		t.Errorf("init --site DIR does not say to go there: %q", out)
	}
	if code, _, errOut := runCmd(t, "check", "--site", dir); code != exitOK {
		t.Errorf("check of the site init --site wrote: exit %d, %s", code, errOut)
	}
	a, b := filepath.Join(cwd, "a"), filepath.Join(cwd, "b")
	code, out, errOut = runCmd(t, "init", "--site", a, b)
	if code != exitUsage || out != "" || errOut != "postmortem init: --site "+a+" and "+b+" name two folders; name one\n" {
		t.Errorf("init --site A B: exit %d, out %q, err %q", code, out, errOut)
	}
	if entries, _ := os.ReadDir(cwd); len(entries) != 0 {
		t.Errorf("init wrote into the current folder: %v", entries)
	}
	// The same folder twice is one folder.
	c := filepath.Join(cwd, "c")
	if code, _, errOut := runCmd(t, "init", "--site", c+"/", c); code != exitOK {
		t.Errorf("init --site C/ C: exit %d, %s", code, errOut)
	}
	// In the current folder, the next step is to serve it, with no cd.
	here := filepath.Join(cwd, "here")
	if err := os.Mkdir(here, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(here)
	if code, out, errOut := runCmd(t, "init"); code != exitOK || !strings.Contains(out, "Next: postmortem serve,") {
		t.Errorf("init in the current folder: exit %d, out %q, err %q", code, out, errOut)
	}
}

// TestInitInARepository: a site started in a folder of a repository is told
// that GitHub reads workflows from the repository's root only, and with
// which --site; one started at the root of its own repository is not.
func TestInitInARepository(t *testing.T) {
	repo := t.TempDir()
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Chdir(repo)
	code, out, _ := runCmd(t, "init", "docs/kb")
	if code != exitOK || !strings.Contains(out, "move docs/kb/.github/workflows/postmortem.yml there, give its postmortem commands --site docs/kb, and its upload path: docs/kb/public.") {
		t.Errorf("init docs/kb in a repository: exit %d, out:\n%s", code, out)
	}
	code, out, _ = runCmd(t, "init")
	if code != exitOK || strings.Contains(out, "inside the repository") {
		t.Errorf("init at the root of the repository: exit %d, out:\n%s", code, out)
	}
}

// TestInitPinsTheRelease: the workflow init writes installs the release
// of postmortem that wrote it, so that CI builds with the version the site
// was made with; a binary built from a checkout, which no one can install
// by its version, leaves it at the latest.
func TestInitPinsTheRelease(t *testing.T) {
	root, _ := fs.Sub(skeleton, "skeleton")
	for version, want := range map[string]string{"v1.4.2": "postmortem/cmd/postmortem@v1.4.2", "": "postmortem/cmd/postmortem@latest"} {
		dir := t.TempDir()
		if _, err := writeTree(pinned{root, version}, dir); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(filepath.Join(dir, workflow))
		if err != nil {
			t.Fatal(err)
		}
		if got := string(data); strings.Count(got, want) != 2 || version != "" && strings.Contains(got, "@latest") {
			t.Errorf("version %q: the workflow installs\n%s\nwant %s twice", version, got, want)
		}
	}
}

// TestInitWorkflowPublishesThePublicProfile runs the build step of the
// workflow init writes, as GitHub Pages would publish it, on a site with
// an internal postmortem and an internal block: neither reaches the
// output, which anyone with the site's address can read.
func TestInitWorkflowPublishesThePublicProfile(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, "init", dir); code != exitOK {
		t.Fatalf("init: exit %d, %s", code, errOut)
	}
	data, err := os.ReadFile(filepath.Join(dir, workflow))
	if err != nil {
		t.Fatal(err)
	}
	step := regexp.MustCompile(`(?m)^\s*run: postmortem (build .*)$`).FindStringSubmatch(string(data))
	if step == nil {
		t.Fatalf("no build step in the workflow:\n%s", data)
	}
	line := strings.ReplaceAll(step[1], `"${{ steps.pages.outputs.base_url }}/"`, "https://example.github.io/kb/")
	write(t, dir, map[string]string{
		"content/secret.md": "---\ntitle: Acme data exposure\ndate: 2024-03-01\nroot_causes: [dns]\nvisibility: internal\n---\nAcme's records were read.\n",
		"content/open.md":   "---\ntitle: Open\ndate: 2024-03-02\nroot_causes: [dns]\n---\nThe cache expired.\n\n::: internal\nThe pager went to Ana.\n:::\n",
	})
	t.Chdir(dir)
	if code, _, errOut := runCmd(t, strings.Fields(line)...); code != exitOK {
		t.Fatalf("%s: exit %d\n%s", line, code, errOut)
	}
	err = filepath.WalkDir(filepath.Join(dir, "public"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		for _, secret := range []string{"Acme", "Ana"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s publishes %q", p, secret)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "public", "incidents", "open.html")); err != nil {
		t.Errorf("the public postmortem is not published: %v", err)
	}
}
