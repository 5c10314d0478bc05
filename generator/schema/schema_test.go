package schema

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/postmortem/postmortem/generator/config"
)

// compile compiles the schema of the site at root.
func compile(t *testing.T, cfg *config.Config) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(FrontMatter(cfg)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("front-matter.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("front-matter.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// frontMatter reads the YAML, TOML or JSON front matter of a file as the
// JSON values an editor checks; TOML's dates and times as the text they are.
func frontMatter(t *testing.T, name string, data []byte) any {
	t.Helper()
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	switch {
	case strings.HasPrefix(text, "---\n"):
		block, _, _ := strings.Cut(text[4:], "\n---\n")
		return instance(t, block)
	case strings.HasPrefix(text, "+++\n"):
		block, _, _ := strings.Cut(text[4:], "\n+++\n")
		var v map[string]any
		if _, err := toml.Decode(block, &v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return toJSON(t, tomlText(v))
	case strings.HasPrefix(text, "{"):
		var v any
		if err := json.NewDecoder(strings.NewReader(text)).Decode(&v); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return toJSON(t, v)
	}
	t.Fatalf("%s: no front matter", name)
	return nil
}

// tomlText turns TOML's date and time values into their text.
func tomlText(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			v[k] = tomlText(e)
		}
	case []any:
		for i, e := range v {
			v[i] = tomlText(e)
		}
	case []map[string]any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = tomlText(e)
		}
		return out
	case time.Time:
		return v.Format(time.RFC3339)
	case fmt.Stringer:
		return v.String()
	}
	return v
}

// instance reads YAML front matter as the JSON values an editor checks.
func instance(t *testing.T, yamlText string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(yamlText), &v); err != nil {
		t.Fatal(err)
	}
	return toJSON(t, v)
}

// toJSON passes v through JSON, so that numbers and maps take the types
// the validator knows.
func toJSON(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestExampleSiteValidates(t *testing.T) {
	root := os.DirFS("../..")
	cfg, diags := config.Load(root)
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	s := compile(t, &cfg)
	n := 0
	err := fs.WalkDir(root, "content", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.HasSuffix(p, ".md") {
			return err
		}
		data, err := fs.ReadFile(root, p)
		if err != nil {
			return err
		}
		n++
		if err := s.Validate(frontMatter(t, p, data)); err != nil {
			t.Errorf("%s does not validate: %v", p, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("validated %d example postmortems; want the whole example site", n)
	}
}

func TestBadFrontMatterDoesNotValidate(t *testing.T) {
	cfg := config.Default()
	cfg.Vocabulary = []string{"dns", "expired-certificate"}
	cfg.Fields = map[string]config.Keys{"started": {"start_time"}}
	s := compile(t, &cfg)
	const good = "title: Disk full\ndate: 2024-01-02\n"
	for _, c := range []struct {
		name, yaml string
		valid      bool
	}{
		{"minimal", good, true},
		{"times", good + "started: 2024-01-02 08:00\nresolved: 2024-01-02T09:30:00+01:00\nseverity: sev2\n", true},
		{"mapped key", good + "start_time: 2024-01-02 08:00\n", true},
		{"a zone name, which the parser does not read", good + "started: 2024-01-15 10:00 CET\n", false},
		{"AM and PM, which the parser does not read", good + "started: 2024-01-15 10:00 AM\n", false},
		{"an offset after a space", good + "started: 2024-01-15 10:00 +0100\n", true},
		{"an hour past 23, which the parser refuses", good + "started: 2024-01-15 24:30\n", false},
		{"a minute past 59, which the parser refuses", good + "started: 2024-01-15T10:60:00Z\n", false},
		{"an hour of one digit", good + "started: 2024-01-15 9:30\n", true},
		{"seconds and their fraction, an offset after a space", good + "started: 2024-01-15 10:00:00.123 +0100\n", true},
		{"any case, as the parser reads it", good + "status: Final\nseverity: Sev1\nroot_causes: [DNS, Expired Certificate]\n", true},
		{"a slug check refuses", good + "slug: Dns\n", false},
		{"a slug with a space", good + "slug: my slug\n", false},
		{"a slug", good + "slug: disk-full-on-db-3\n", true},
		{"action items", good + "action_items:\n  - Just a title\n  - {title: Fix, owner: ana, status: done, type: prevent, due: 2024-02-01}\n", true},
		{"vocabulary", good + "root_causes: [dns]\n", true},
		{"no title, read from the body", "date: 2024-01-02\n", true},
		{"not a date", "title: X\ndate: yesterday\n", false},
		{"unknown severity", good + "severity: SEV9\n", false},
		{"a string for a list, read as one", good + "services: \"api, web\"\n", true},
		{"outside the vocabulary", good + "root_causes: [dsn]\n", false},
		{"unknown status", good + "status: published\n", false},
		{"action item status", good + "action_items:\n  - {title: Fix, status: closed}\n", false},
		{"action item without title", good + "action_items:\n  - {owner: ana}\n", false},
		{"mapped key, bad time", good + "start_time: soon\n", false},
	} {
		err := s.Validate(instance(t, c.yaml))
		if (err == nil) != c.valid {
			t.Errorf("%s: valid %v, want %v (%v)", c.name, err == nil, c.valid, err)
		}
	}
}

// TestChoicesFoldCaseOnly: a choice is read whatever its case, but not with
// a space or an underscore for its dash, which the parser does not read.
func TestChoicesFoldCaseOnly(t *testing.T) {
	cfg := config.Default()
	cfg.Severities = []string{"SEV-1", "SEV-2"}
	s := compile(t, &cfg)
	for yaml, valid := range map[string]bool{"severity: sev-1\n": true, "severity: sev 1\n": false, "severity: SEV_1\n": false} {
		if err := s.Validate(instance(t, "title: T\ndate: 2024-01-02\n"+yaml)); (err == nil) != valid {
			t.Errorf("%q: valid %v, want %v", yaml, err == nil, valid)
		}
	}
}

// TestSeverityAliases: an alias of a level (p1: SEV1) is valid in any
// case, as the parser reads it; an alias of a root cause is no level.
func TestSeverityAliases(t *testing.T) {
	cfg := config.Default()
	cfg.Aliases = map[string]string{"p1": "SEV1", "misconfig": "misconfiguration"}
	s := compile(t, &cfg)
	for yaml, valid := range map[string]bool{"severity: P1\n": true, "severity: p1\n": true, "severity: sev1\n": true, "severity: misconfig\n": false, "severity: P3\n": false} {
		if err := s.Validate(instance(t, "title: T\ndate: 2024-01-02\n"+yaml)); (err == nil) != valid {
			t.Errorf("%q: valid %v, want %v", yaml, err == nil, valid)
		}
	}
}
