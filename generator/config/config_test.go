package config

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name, yaml string
		files      []string // besides postmortem.yaml
		want       []string
		check      func(t *testing.T, c Config)
	}{
		{name: "no file", yaml: "", check: func(t *testing.T, c Config) {
			if c.Title != "Postmortems" || c.Location.String() != "UTC" || len(c.Severities) != 5 || c.Language != "en" {
				t.Errorf("defaults: %+v", c)
			}
		}},
		{name: "full", yaml: "title: Acme\nbase_url: https://x.example/docs\ntimezone: Africa/Lagos\nseverities: [P1, P2]\nfields: {root_causes: categories}\naliases: {misconfig: misconfiguration}\n",
			check: func(t *testing.T, c Config) {
				if c.BaseURL != "https://x.example/docs/" || c.Location.String() != "Africa/Lagos" || c.SeverityRank("p2") != 2 || c.SourceKey("root_causes") != "categories" {
					t.Errorf("config: %+v", c)
				}
			}},
		{name: "unknown key", yaml: "title: a\ntitel: b\n", want: []string{"postmortem.yaml:2: unknown setting \"titel\"; did you mean \"title\"?"}},
		// A syntax error gets the column and hint front matter gets.
		{name: "colon in a value", yaml: "title: Checkout: API 5xx\n", want: []string{`postmortem.yaml:1:8: mapping values are not allowed in this context: a value with ": " in it needs quotes, such as title: "Checkout: API 5xx"`}},
		{name: "bad zone", yaml: "timezone: Mars/Base\n", want: []string{`postmortem.yaml:1: timezone: unknown time zone "Mars/Base" (want an IANA name such as Europe/Berlin)`}},
		{name: "local zone", yaml: "title: a\ntimezone: Local\n", want: []string{`postmortem.yaml:2: timezone: "Local" is the zone of the machine that builds, which would make the output depend on it (want an IANA name such as Europe/Berlin, or UTC)`},
			check: func(t *testing.T, c Config) {
				if c.Location != time.UTC {
					t.Errorf("location %v, want UTC", c.Location)
				}
			}},
		{name: "size", yaml: "max_file_size: 2 MB\n", check: func(t *testing.T, c Config) {
			if c.MaxFileSize != 2<<20 {
				t.Errorf("max_file_size %d, want %d", c.MaxFileSize, 2<<20)
			}
		}},
		{name: "default size", yaml: "title: a\n", check: func(t *testing.T, c Config) {
			if c.MaxFileSize != 64<<20 {
				t.Errorf("max_file_size %d, want 64 MB", c.MaxFileSize)
			}
		}},
		{name: "bad size", yaml: "max_file_size: lots\ntitle: kept\n", want: []string{`postmortem.yaml:1: max_file_size: cannot read "lots" as a size (want such as 64MB, 512KB or a number of bytes)`},
			check: func(t *testing.T, c Config) {
				if c.Title != "kept" || c.MaxFileSize != 64<<20 {
					t.Errorf("after a bad size: title %q, max_file_size %d", c.Title, c.MaxFileSize)
				}
			}},
		{name: "bad field mapping", yaml: "fields:\n  cause: categories\n", want: []string{`postmortem.yaml:1: fields: "cause" is not a postmortem field (known: title, date, started, detected, acknowledged, mitigated, resolved, timezone, severity, status, draft, root_causes, contributing_factors, trigger, detection, services, tags, authors, summary, action_items, slug, visibility)`}},
		{name: "theme", yaml: "theme: dark\nlanguage: pt-BR\n", files: []string{"themes/dark/layouts/base.html"}, check: func(t *testing.T, c Config) {
			if c.Theme != "dark" || c.Language != "pt-BR" {
				t.Errorf("config: %+v", c)
			}
		}},
		{name: "default theme by name", yaml: "theme: default\n"},
		{name: "unknown theme", yaml: "title: a\ntheme: drak\n", files: []string{"themes/dark/layouts/base.html"},
			want: []string{`postmortem.yaml:2: theme: unknown theme "drak": there is no folder themes/drak (the default theme needs no name)`}},
		{name: "theme is a file", yaml: "theme: dark\n", files: []string{"themes/dark"},
			want: []string{`postmortem.yaml:1: theme: unknown theme "dark": there is no folder themes/dark (the default theme needs no name)`}},
		{name: "theme outside themes/", yaml: "theme: ../content\n", files: []string{"content/a.md"},
			want: []string{`postmortem.yaml:1: theme: "../content" is not a folder name`}},
		{name: "bad language", yaml: "language: English (UK)\n", want: []string{`postmortem.yaml:1: language: "English (UK)" is not a language tag such as en, de or pt-BR`}},
		{name: "bad ignore pattern", yaml: "title: a\nignore: ['[a', ok/*]\n", want: []string{`postmortem.yaml:2: ignore: "[a" is not a glob pattern of paths under content/ (such as templates/*, or *.draft.md)`}},
		{name: "follow-through", yaml: "recurrence_days: 30\naction_item_deadlines:\n  sev1: 4w\n  SEV3: 60d\n  SEV2: 14\n", check: func(t *testing.T, c Config) {
			want := map[string]Days{"SEV1": 28, "SEV2": 14, "SEV3": 60}
			if c.RecurrenceDays != 30 || len(c.ActionItemDeadlines) != 3 || c.ActionItemDeadlines["SEV1"] != want["SEV1"] || c.ActionItemDeadlines["SEV2"] != 14 || c.ActionItemDeadlines["SEV3"] != 60 {
				t.Errorf("recurrence_days %d, action_item_deadlines %v, want 30 and %v", c.RecurrenceDays, c.ActionItemDeadlines, want)
			}
		}},
		{name: "default recurrence", yaml: "title: a\n", check: func(t *testing.T, c Config) {
			if c.RecurrenceDays != 90 || len(c.ActionItemDeadlines) != 0 {
				t.Errorf("recurrence_days %d, action_item_deadlines %v, want 90 and none", c.RecurrenceDays, c.ActionItemDeadlines)
			}
		}},
		{name: "bad deadlines", yaml: "action_item_deadlines:\n  P1: 4w\n  SEV2: soon\n", want: []string{
			`postmortem.yaml:1: action_item_deadlines: "P1" is not a severity level (known: SEV1, SEV2, SEV3, SEV4, SEV5)`,
			`postmortem.yaml:3: cannot read "soon" as a number of days (want such as 90, 90d or 4w)`}},
		{name: "unknown nested key", yaml: "search:\n  synonym: [a]\n  zzz: 1\n", want: []string{"postmortem.yaml:2: unknown setting \"synonym\"; did you mean \"synonyms\"?", "postmortem.yaml:3: unknown setting \"zzz\""}},
		{name: "wrong type, nested", yaml: "search:\n  weights:\n    title: high\n", want: []string{"postmortem.yaml:3: search.weights.title: want a whole number, got `high`"}},
		{name: "wrong type, on one line", yaml: "search: {weights: {title: 3, body: high}}\n", want: []string{"postmortem.yaml:1: search.weights.body: want a whole number, got `high`"}},
		{name: "the wrong one of two on a line", yaml: "{title: x, recent: x}\n", want: []string{"postmortem.yaml:1: recent: want a whole number, got `x`"}},
		{name: "a long value", yaml: "recent: manymanymany\n", want: []string{"postmortem.yaml:1: recent: want a whole number, got `manyman...`"}},
		{name: "a value of two lines", yaml: "recent: \"ten\\nmore\"\n", want: []string{"postmortem.yaml:1: recent: want a whole number, got `ten\nmore`"}},
		{name: "a list for a number", yaml: "recent: [1, 2]\n", want: []string{"postmortem.yaml:1: recent: want a whole number, got a list"}},
		{name: "a mapping in a list", yaml: "severities: [SEV1, {a: b}]\n", want: []string{"postmortem.yaml:1: severities: want text, got keys and values"}},
		{name: "unknown key named by a word of a setting", yaml: "severity_levels: [P1]\n", want: []string{"postmortem.yaml:1: unknown setting \"severity_levels\"; did you mean \"severities\"?"}},
		{name: "unknown key with a space", yaml: "\"my key\": 1\n", want: []string{"postmortem.yaml:1: unknown setting \"my key\""}},
		{name: "wrong type", yaml: "recent: many\n", want: []string{"postmortem.yaml:1: recent: want a whole number, got `many`"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tc.yaml != "" {
				fsys[File] = &fstest.MapFile{Data: []byte(tc.yaml)}
			}
			for _, f := range tc.files {
				fsys[f] = &fstest.MapFile{}
			}
			c, diags := Load(fsys)
			var got []string
			for _, d := range diags {
				got = append(got, d.Error())
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			if tc.check != nil {
				tc.check(t, c)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]Size{"64MB": 64 << 20, "64 mb": 64 << 20, "512KB": 512 << 10, "1GiB": 1 << 30, "2g": 2 << 30, "1000": 1000, "1000 B": 1000} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MB", "-1MB", "0", "1.5MB", "64 XB", "99999999999999GB"} {
		if got, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, got)
		}
	}
}

func TestSeverityPages(t *testing.T) {
	pageName := func(s string) (string, error) { // the rule of postmortem.PageName, for ASCII
		var b strings.Builder
		for _, r := range strings.ToLower(s) {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		if b.Len() == 0 {
			return "", errors.New("has no letter or digit")
		}
		return b.String(), nil
	}
	c, diags := Load(fstest.MapFS{File: {Data: []byte("title: t\nseverities: [SEV 1, sev-1, SEV2, '!!']\n")}})
	if len(diags) != 0 {
		t.Fatalf("load: %v", diags)
	}
	got := c.SeverityPages(pageName).Error()
	want := "postmortem.yaml:2: severities: \"SEV 1\" and \"sev-1\" would share the page sev1.html (make them differ in more than case, spaces and punctuation)\n" +
		"postmortem.yaml:2: severities: \"!!\" has no letter or digit"
	if got != want {
		t.Errorf("clashes:\n%s\nwant:\n%s", got, want)
	}
	d := Default()
	if l := d.SeverityPages(pageName); len(l) != 0 {
		t.Errorf("default severities clash: %v", l)
	}
}

func TestBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                         "",
		" https://x.example.com ":  "https://x.example.com/",
		"http://x.example.com/kb/": "http://x.example.com/kb/",
		"example.com":              "error",
		"//example.com/":           "error",
		"ftp://example.com/":       "error",
		"https://example.com/?q=1": "error",
		"javascript:alert(1)":      "error",
		// The path escaped as the pages escape theirs; an escape kept.
		"https://example.com/知识":        "https://example.com/%E7%9F%A5%E8%AF%86/",
		"https://example.com/k b/":      "https://example.com/k%20b/",
		"https://example.com/a%20b/":    "https://example.com/a%20b/",
		"https://user@example.com:8443": "https://user@example.com:8443/",
	} {
		got, err := BaseURL(in)
		if err != nil {
			got = "error"
		}
		if got != want {
			t.Errorf("BaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, diags := Load(fstest.MapFS{File: {Data: []byte("title: T\nbase_url: incidents.example.com\n")}})
	if len(diags) != 1 || diags[0].Error() != `postmortem.yaml:2: base_url: "incidents.example.com" is not an absolute http or https URL (such as https://incidents.example.com/)` {
		t.Errorf("a base_url without a scheme: %v", diags)
	}
}

// TestConfigFiles reads postmortem.yml and postmortem.toml as it reads
// postmortem.yaml, and refuses two configuration files at once.
func TestConfigFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string // the diagnostics
	}{
		{"yml", fstest.MapFS{"postmortem.yml": {Data: []byte("title: Acme\ntimezone: Africa/Lagos\nfields: {root_causes: categories}\nmax_file_size: 2MB\n")}}, ""},
		{"toml", fstest.MapFS{"postmortem.toml": {Data: []byte("title = \"Acme\"\ntimezone = \"Africa/Lagos\"\nmax_file_size = \"2MB\"\n\n[fields]\nroot_causes = \"categories\"\n")}}, ""},
		{"toml, unknown key", fstest.MapFS{"postmortem.toml": {Data: []byte("title = \"Acme\"\n\ntitel = \"b\"\n")}}, "postmortem.toml:3: unknown setting \"titel\"; did you mean \"title\"?"},
		{"toml, bad zone", fstest.MapFS{"postmortem.toml": {Data: []byte("title = \"Acme\"\ntimezone = \"Mars/Base\"\n")}}, `postmortem.toml:2: timezone: unknown time zone "Mars/Base" (want an IANA name such as Europe/Berlin)`},
		{"toml, invalid", fstest.MapFS{"postmortem.toml": {Data: []byte("title = \"Acme\"\ntimezone = = 1\n")}}, "postmortem.toml:2: invalid TOML: expected value but found '=' instead"},
		{"two files", fstest.MapFS{"postmortem.yaml": {Data: []byte("title: A\n")}, "postmortem.toml": {Data: []byte("title = \"B\"\n")}},
			"postmortem.yaml: two configuration files, postmortem.yaml and postmortem.toml: keep one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, diags := Load(tc.fsys)
			got := ""
			if diags != nil {
				got = diags.Error()
			}
			if !strings.HasPrefix(got, tc.want) || (tc.want == "") != (got == "") {
				t.Fatalf("diagnostics:\n%s\nwant:\n%s", got, tc.want)
			}
			if tc.want == "" && (c.Title != "Acme" || c.Location.String() != "Africa/Lagos" || c.SourceKey("root_causes") != "categories" || c.MaxFileSize != 2<<20) {
				t.Errorf("config read: %+v", c)
			}
		})
	}
}

// TestYAMLErrorLine wants a syntax error at the line of the construct left
// open, as yaml.v3 counts those lines from 0.
func TestYAMLErrorLine(t *testing.T) {
	_, diags := Load(fstest.MapFS{File: {Data: []byte("title: x\nseverities: [a, b\nrecent: 3\n")}})
	if len(diags) != 1 || diags[0].Line != 2 {
		t.Errorf("an unclosed list on line 2: %v", diags)
	}
}
