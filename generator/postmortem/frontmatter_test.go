package postmortem

import (
	"slices"
	"strings"
	"testing"
)

// TestParseAliases reads a postmortem whose front matter uses YAML anchors,
// aliases and a merge key as a postmortem written out in full, and reports
// a fault in an aliased value at the alias.
func TestParseAliases(t *testing.T) {
	p, msgs := parse(t, `---
title: &t Checkout down
summary: *t
date: 2023-08-06
services: &svc [checkout, payments]
root_causes: [dns]
tags: *svc
action_items:
  - &item
    title: Alert on DNS errors
    owner: ana
    status: done
  - <<: *item
    title: Test resolver failover
---
Body.
`, nil)
	if len(msgs) > 0 {
		t.Fatalf("diagnostics: %v", msgs)
	}
	if p.Summary != "Checkout down" || !slices.Equal(p.Tags, []string{"checkout", "payments"}) {
		t.Errorf("summary %q, tags %v", p.Summary, p.Tags)
	}
	if len(p.ActionItems) != 2 || p.ActionItems[1].Title != "Test resolver failover" || p.ActionItems[1].Owner != "ana" || p.ActionItems[1].Status != "done" {
		t.Errorf("action items %+v", p.ActionItems)
	}

	_, msgs = parse(t, "---\ntitle: t\ndate: 2023-08-06\nroot_causes: &rc [dns]\n\nseverity: *rc\n---\n", nil)
	if len(msgs) != 1 || !strings.HasPrefix(msgs[0], "content/x.md:6:11: severity: want text") {
		t.Errorf("an aliased list as severity: %v", msgs)
	}
}
