package link

import (
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// TestRelatedByTimeOnlyWhenNear wants an incident that shares nothing with
// another related to it for nearness in time alone when they are at most
// nearDays apart: a list that said "120 days apart" named no relation.
func TestRelatedByTimeOnlyWhenNear(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d) }
	pm := func(slug, title string, d int, cause string) *postmortem.Postmortem {
		return &postmortem.Postmortem{Slug: slug, Title: title, Date: day(d), Location: time.UTC, RootCauses: []string{cause}}
	}
	s, diags := Build([]*postmortem.Postmortem{
		pm("disk", "Disk full on db-1", 0, "capacity"),
		pm("cert", "Expired certificate on the shop", 10, "expiry"),
		pm("dns", "Resolver outage", 130, "dns"),
	}, nil, nil, "")
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for i, p := range s.Postmortems {
		for _, r := range s.Related[i] {
			got[p.Slug] = append(got[p.Slug], s.Postmortems[r.To].Slug+": "+r.Reason.String())
		}
	}
	if want := []string{"cert: 10 days apart"}; len(got["disk"]) != 1 || got["disk"][0] != want[0] {
		t.Errorf("disk's related: %q, want %q", got["disk"], want)
	}
	if len(got["dns"]) != 0 {
		t.Errorf("dns, 120 days from the others and sharing nothing, has related incidents: %q", got["dns"])
	}
}
