package config

import (
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/postmortem/postmortem/themes"
)

func TestLoadLabels(t *testing.T) {
	site := fstest.MapFS{
		// A site in German that renames one English word too.
		"labels/de.yaml":                         {Data: []byte("# Unsere Wörter\nincidents: Vorfälle\nsearch: Suche\n")},
		"labels/en.yaml":                         {Data: []byte("incidents: Outages\n")},
		"themes/dark/labels/de.yaml":             {Data: []byte("incidents: Störungen\ntotals: Summen\n")},
		"themes/dark/labels/en.yaml":             {Data: []byte("dark_only: Lights out\n")},
		"themes/dark/layouts/partials/dark.html": {Data: []byte(`{{define "dark"}}{{label "dark_only"}}{{end}}`)},
	}
	c := Default()
	c.Theme, c.Language = "dark", "de-AT"
	if diags := c.LoadLabels(themes.Layers(site, c.Theme)); len(diags) > 0 {
		t.Fatal(diags)
	}
	for key, want := range map[string]string{
		"incidents":     "Vorfälle",      // the site's word wins over its theme's
		"totals":        "Summen",        // the theme's, where the site gives none
		"search":        "Suche",         // de.yaml read for de-AT
		"all_incidents": "All incidents", // English where no German is given
		"dark_only":     "Lights out",    // a key of the theme's own
	} {
		if got := c.Labels[key]; got != want {
			t.Errorf("label %s = %q, want %q", key, got, want)
		}
	}
	if got, err := c.Labels.Label("catalog_lead", 3); err != nil || got != "3 incidents, newest first." {
		t.Errorf("catalog_lead with 3: %q, %v", got, err)
	}
	// One of a count takes KEY_one; a label may leave out the last
	// arguments it is given.
	if got, err := c.Labels.Label("catalog_lead", 1); err != nil || got != "1 incident." {
		t.Errorf("catalog_lead with 1: %q, %v", got, err)
	}
	if got, err := c.Labels.Label("terms_lead", 1, "root causes", "root cause"); err != nil || got != "1 root cause." {
		t.Errorf("terms_lead with 1: %q, %v", got, err)
	}
	if got, err := c.Labels.Label("terms_lead", 2, "root causes", "root cause"); err != nil || got != "2 root causes, most incidents first." {
		t.Errorf("terms_lead with 2: %q, %v", got, err)
	}
	if _, err := c.Labels.Label("no_such_key"); err == nil {
		t.Error("an unknown key is no error")
	}
	if got := c.AlertTitles()["warning"]; got != "Warning" {
		t.Errorf("alert title of warning: %q", got)
	}

	// A German count without its word for one is German for one too, not
	// the theme's English.
	site["labels/de.yaml"] = &fstest.MapFile{Data: []byte("catalog_lead: \"%d Vorfälle, die neuesten zuerst.\"\n")}
	c.LoadLabels(themes.Layers(site, c.Theme))
	if got, _ := c.Labels.Label("catalog_lead", 1); got != "1 Vorfälle, die neuesten zuerst." {
		t.Errorf("German catalog_lead with 1: %q", got)
	}

	c.Language = "en"
	c.LoadLabels(themes.Layers(site, c.Theme))
	if got := c.Labels["incidents"]; got != "Outages" {
		t.Errorf("English label renamed by the site: %q", got)
	}
}

func TestLoadLabelsErrors(t *testing.T) {
	site := fstest.MapFS{
		"labels/fr.yaml": {Data: []byte("incidents: Incidents\nincidnets: Incidents\nsearch: [a, b]\ncatalog_lead: \"Incidents : %s, %d\"\ncatalog_lead_one: \"Un incident.\"\nterms_lead: \"%[2]s : %[1]d\"\nsearch_count: \"%v incidents\"\nincidents: Les incidents\n")},
	}
	c := Default()
	c.Language = "fr"
	var got []string
	for _, d := range c.LoadLabels(themes.Layers(site, "")) {
		got = append(got, d.Error())
	}
	want := []string{
		`labels/fr.yaml:2:1: unknown label "incidnets": the theme's en.yaml has no such key`,
		`labels/fr.yaml:3:9: label "search": want text`,
		// Verbs in another order than the English's are told; fewer (a
		// word left out), or picked by place, are not.
		`labels/fr.yaml:4:15: warning: label "catalog_lead": "Incidents : %s, %d" takes %s then %d where the English "%d incidents, newest first." takes %d: the page would show %!d(MISSING) or the like (pick them by place, %[2]s, to change their order)`,
		`labels/fr.yaml:8:1: warning: label "incidents" is given twice, here and at line 1: this one is taken`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLabelsSyntaxError: a labels file that does not parse is told at its
// own line, with the column and hint front matter gets.
func TestLabelsSyntaxError(t *testing.T) {
	c := Default()
	diags := c.LoadLabels(themes.Layers(fstest.MapFS{"labels/en.yaml": {Data: []byte("recent_incidents: [Recent broken\n")}}, ""))
	want := "labels/en.yaml:1:19: did not find expected ',' or ']': its bracket does not close on its line: close it, [a, b], or quote the value"
	if diags.Error() != want {
		t.Errorf("got  %s\nwant %s", diags.Error(), want)
	}
}

func TestDurationsAndDates(t *testing.T) {
	c := Default()
	if diags := c.LoadLabels(themes.Layers(fstest.MapFS{}, "")); len(diags) > 0 {
		t.Fatal(diags)
	}
	lagos, _ := time.LoadLocation("Africa/Lagos")
	at := time.Date(2023, 8, 6, 8, 5, 0, 0, lagos)
	de := Labels{"duration_minutes": "%d Min.", "duration_hours": "%d Std.", "duration_hours_minutes": "%d Std. %02d Min.",
		"duration_days_hours": "%d T. %d Std.", "date_layout": "2. Jan 2006", "months": "Jan. Feb. März Apr. Mai Juni Juli Aug. Sep. Okt. Nov. Dez."}
	for _, c := range []struct{ got, want string }{
		{c.Labels.Duration(45 * time.Minute), "45 min"},
		{c.Labels.Duration(-2 * time.Hour), "2 h"},
		{c.Labels.Duration(3*time.Hour + 5*time.Minute), "3 h 05 min"},
		{c.Labels.Duration(50 * time.Hour), "2 d 2 h"},
		{c.Labels.Duration(9*24*time.Hour + 40*time.Minute), "9 d"},
		{c.Labels.Date(at), "6 Aug 2023"},
		{c.Labels.DateTime(at), "6 Aug 2023 08:05 WAT"},
		{Labels(nil).DateTime(at), "6 Aug 2023 08:05 WAT"},
		{de.Duration(3*time.Hour + 5*time.Minute), "3 Std. 05 Min."},
		{de.Duration(50 * time.Hour), "2 T. 2 Std."},
		{de.Date(at), "6. Aug. 2023"},
		{de.DateTime(at.AddDate(0, -5, 0)), "6. März 2023 08:05 WAT"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}

// TestLabelsNoTemplateNames: a key that the site's English labels add, and
// that no template names, is warned of, with the key of the theme it is
// close to; one a template names, whole or by its start, is not.
func TestLabelsNoTemplateNames(t *testing.T) {
	site := fstest.MapFS{
		"labels/en.yaml":                    {Data: []byte("tax_root_causes: Causes\nbogus_key: x\nour_footer: Ours\nstatus_frozen: Frozen\n")},
		"layouts/partials/site-footer.html": {Data: []byte(`{{define "site-footer"}}{{label "our_footer"}} {{label (print "status_" .)}}{{end}}`)},
	}
	c := Default()
	var got []string
	for _, d := range c.LoadLabels(themes.Layers(site, "")) {
		got = append(got, d.Text())
	}
	want := []string{
		`labels/en.yaml:1:1: warning: label "tax_root_causes": the default theme has no such key, so its word shows nowhere; did you mean "tax_root_cause"?`,
		`labels/en.yaml:2:1: warning: label "bogus_key": no template names it, and the default theme has no such key, so its word shows nowhere`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
