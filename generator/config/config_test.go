package config

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestLoad(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
		check      func(t *testing.T, c Config)
	}{
		{name: "no file", yaml: "", check: func(t *testing.T, c Config) {
			if c.Title != "Postmortems" || c.Location.String() != "UTC" || len(c.Severities) != 5 {
				t.Errorf("defaults: %+v", c)
			}
		}},
		{name: "full", yaml: "title: Acme\nbase_url: https://x.example/docs\ntimezone: Africa/Lagos\nseverities: [P1, P2]\nfields: {root_causes: categories}\naliases: {misconfig: misconfiguration}\n",
			check: func(t *testing.T, c Config) {
				if c.BaseURL != "https://x.example/docs/" || c.Location.String() != "Africa/Lagos" || c.SeverityRank("p2") != 2 || c.SourceKey("root_causes") != "categories" {
					t.Errorf("config: %+v", c)
				}
			}},
		{name: "unknown key", yaml: "title: a\ntitel: b\n", want: []string{"postmortem.yaml:2: field titel not found in type config.Config"}},
		{name: "bad zone", yaml: "timezone: Mars/Base\n", want: []string{`postmortem.yaml:1: timezone: unknown time zone "Mars/Base"`}},
		{name: "bad field mapping", yaml: "fields:\n  cause: categories\n", want: []string{`postmortem.yaml:1: fields: "cause" is not a postmortem field (known: title, date, started, detected, acknowledged, mitigated, resolved, timezone, severity, status, draft, root_causes, contributing_factors, trigger, detection, services, tags, authors, summary, action_items, slug)`}},
		{name: "wrong type", yaml: "recent: many\n", want: []string{"postmortem.yaml:1: cannot unmarshal !!str `many` into int"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tc.yaml != "" {
				fsys[File] = &fstest.MapFile{Data: []byte(tc.yaml)}
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
