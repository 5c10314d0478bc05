package review

import (
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/postmortem"
)

func TestTaxonomyReport(t *testing.T) {
	cfg := config.Default()
	cfg.Vocabulary = []string{"dns-failure", "capacity", "configuration"}
	cfg.Aliases = map[string]string{"misconfig": "configuration", "dns-outage": "dns-failure"}
	files := map[string]string{
		"a.md": "---\ntitle: A\ndate: 2024-05-01\nroot_causes: [dns-failure, misconfig]\n---\n",
		"b.md": "---\ntitle: B\ndate: 2024-05-02\nroot_causes: [dns-failures, Misconfig]\n---\n",
		"c.md": "---\ntitle: C\ndate: 2024-05-03\nroot_causes: [dns-failure, configuration/api]\n---\n",
		"d.md": "---\ntitle: D\ndate: 2024-05-04\n---\n",
		"e.md": "---\ntitle: E\ndate: 2024-05-05\nroot_causes: [capacity, dns-outage]\n---\n",
	}
	var pms []*postmortem.Postmortem
	for _, name := range sortedKeys(files) {
		p, _ := postmortem.Parse(name, []byte(files[name]), &cfg, md, "")
		pms = append(pms, p)
	}
	var b strings.Builder
	if err := TaxonomyOf(TermsOf(pms), &cfg).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := `Root causes used once: 3
  capacity           e.md
  configuration/api  c.md
  dns-failures       b.md

Near-duplicates: 1
  root_causes: "dns-failures" (1 incident) and "dns-failure" (3 incidents): merge with aliases: {dns-failures: dns-failure}

Aliases in use: 2
  dns-outage -> dns-failure   e.md
  misconfig -> configuration  a.md, b.md

Root causes outside the vocabulary: 2
  configuration/api  c.md
  dns-failures       b.md

Postmortems without a root cause: 1
  d.md
`
	if b.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", b.String(), want)
	}

	cfg.Vocabulary, cfg.Aliases = nil, nil
	b.Reset()
	rep := TaxonomyOf(TermsOf(pms[:1]), &cfg)
	if err := rep.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "Root causes outside the vocabulary: postmortem.yaml lists none (vocabulary:)") || rep.Vocabulary {
		t.Errorf("without a vocabulary:\n%s", b.String())
	}
}
