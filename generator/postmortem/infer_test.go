package postmortem

import (
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/config"
)

// TestInference has, for each rule that fills a field the front matter
// left out, a case where it fires and one where it must not.
func TestInference(t *testing.T) {
	cfg := config.Default()
	for _, tc := range []struct {
		name, path, dir, src string
		title, date          string // want; date "" when it must stay missing
		items                string // the action items, as "status title; ..."
	}{
		{"title from the heading the body starts with", "content/a.md", "", "\n# Disk full\n\ntext\n", "Disk full", "", ""},
		{"title from a Setext heading", "content/a.md", "", "Disk full\n=========\ntext\n", "Disk full", "", ""},
		{"a heading after other text is not the title", "content/disk-full_on-db3.md", "", "Some text.\n\n# Details\n", "Disk full on db3", "", ""},
		{"a second-level heading is not the title", "content/a-b.md", "", "## Details\n", "A b", "", ""},
		{"the front matter's title wins", "content/a.md", "", "---\ntitle: Given\n---\n# Other\n", "Given", "", ""},
		{"a name with spaces stays as it is", "content/PM2020-004 - CoreDNS upgrade.md", "", "text\n", "PM2020-004 - CoreDNS upgrade", "", ""},
		{"a bundle is named after its folder", "content/2024-03-02-disk-full/index.md", "content/2024-03-02-disk-full", "text\n", "Disk full", "2024-03-02", ""},
		{"date from the name", "content/2024-03-02-dns.md", "", "# DNS\n", "DNS", "2024-03-02", ""},
		{"date from the folders", "content/2024/03/02/dns.md", "", "# DNS\n", "DNS", "2024-03-02", ""},
		{"a number in the middle of a name is not the date", "content/pm-2024-03-02.md", "", "# Release 2024-03-02\n", "Release 2024-03-02", "", ""},
		{"date from the day of started", "content/a.md", "", "---\nstarted: 2024-03-02T23:30:00-05:00\ntimezone: America/New_York\n---\n# A\n", "A", "2024-03-02", ""},
		{"date from a dated Duration line", "content/a.md", "", "# A\n\nDuration: March 2, 2024, 08:00 AM - 09:00 AM\n", "A", "2024-03-02", ""},
		{"an undated Duration line gives no date", "content/a.md", "", "# A\n\nDuration: 08:00 - 09:00\n", "A", "", ""},
		{"date from the first dated timeline entry", "content/a.md", "", "# A\n\n## Timeline\n\n- 10:00 undated\n- 2024-03-02 10:05 dated\n- 2024-03-03 10:00 later\n", "A", "2024-03-02", ""},
		{"an undated timeline gives no date", "content/a.md", "", "# A\n\n## Timeline\n\n- 10:00 undated\n- 10:05 still\n", "A", "", ""},
		{"a dated line outside the timeline gives no date", "content/a.md", "", "# A\n\nReleased 2024-03-02 10:00 to all.\n", "A", "", ""},
		{"action items from a task list", "content/2024-01-01-a.md", "", "# A\n\n## Action items\n\n- [ ] Add a probe\n- [x] Roll back\n\n## Notes\n\n- not one\n", "A", "2024-01-01", "open Add a probe; done Roll back"},
		{"action items from a plain list under a plain line", "content/2024-01-01-a.md", "", "# A\n\nAction items:\n\n1. Add a probe\n2. Page earlier\nThe end.\n- not one\n", "A", "2024-01-01", "open Add a probe; open Page earlier"},
		{"a list under another heading is no action item", "content/2024-01-01-a.md", "", "# A\n\n## Lessons\n\n- [ ] Not an action item\n", "A", "2024-01-01", ""},
		{"action items under Follow-ups", "content/2024-01-01-a.md", "", "# A\n\n## Follow-ups\n\n- [ ] Add a probe\n", "A", "2024-01-01", "open Add a probe"},
		{"action items under Corrective and preventive actions", "content/2024-01-01-a.md", "", "# A\n\n### Corrective and Preventive Actions\n\n- Add a probe\n", "A", "2024-01-01", "open Add a probe"},
		{"action items under a plain Next steps line", "content/2024-01-01-a.md", "", "# A\n\nNext steps:\n\n- Add a probe\n", "A", "2024-01-01", "open Add a probe"},
		{"action items marked AI:", "content/2024-01-01-a.md", "", "# A\n\n## Action Items\n\nAI: Add jitter to cart retries (owner: @tomasz, due: 2024-03-20)\nAI: Run a failover game day — Priya, by Apr 15\nTODO: Alert on read-only errors\n- TODO: Raise the limit\n", "A", "2024-01-01", "open Add jitter to cart retries; open Run a failover game day; open Alert on read-only errors; open Raise the limit"},
		{"two sections of items one after the other", "content/2024-01-01-a.md", "", "# A\n\nCorrective and Preventative Measures:\n\n    Improve reviews: look harder.\n\nTasks to Address the Issue:\n\n    Review all API integrations.\n\n## Action items\n\n- Add an alert\n\n## Lessons\n\n- Not an item\n", "A", "2024-01-01", "open Improve reviews; open Review all API integrations.; open Add an alert"},
		{"indented paragraphs under a line that names the section", "content/2024-01-01-a.md", "", "# A\n\nTasks to Address the Issue:\n\n    Conduct a review of all API integrations.\n\n    Monitoring: add checks for API health.\n\nBy doing these, we improve.\n", "A", "2024-01-01", "open Conduct a review of all API integrations.; open Monitoring"},
		{"a section that says it has none", "content/2024-01-01-a.md", "", "# A\n\n## Corrective and preventative measures\n\n- None recorded.\n- **N/A**\n", "A", "2024-01-01", ""},
		{"the SRE book's table of action items", "content/2024-01-01-a.md", "", "# A\n\n## Action Items\n\n| Action Item | Type | Owner | Bug |\n| --- | --- | --- | --- |\n| Update playbook | mitigate | jennifer | n/a **DONE** |\n| Use load balancer | prevent | agoogler | Bug 5554823 **TODO** |\n", "A", "2024-01-01", "done Update playbook (mitigate); open Use load balancer (prevent)"},
		{"action items in a table", "content/2024-01-01-a.md", "", "# A\n\n## Action items\n\n| Action | Owner | Due | Status |\n| --- | --- | --- | --- |\n| Automate cert rotation&nbsp; | @maria | 2023-05-01 | Open |\n| Roll back | sam | | Done |\n| Rewrite it in Rust | | | Won't do |\n\n## Notes\n\n| a | b |\n| - | - |\n| x | y |\n", "A", "2024-01-01", "open Automate cert rotation; done Roll back; wontfix Rewrite it in Rust"},
		{"no action items under Remediation", "content/2024-01-01-a.md", "", "# A\n\n## Remediation\n\n- Rolled back the deploy\n", "A", "2024-01-01", ""},
		{"the front matter's action items win", "content/2024-01-01-a.md", "", "---\naction_items: [Given]\n---\n# A\n\n## Action items\n\n- [ ] From the body\n", "A", "2024-01-01", "open Given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := Parse(tc.path, []byte(tc.src), &cfg, md, tc.dir)
			if p.Title != tc.title {
				t.Errorf("title %q, want %q", p.Title, tc.title)
			}
			date := ""
			if !p.Date.IsZero() {
				date = p.Date.Format(time.DateOnly)
			}
			if date != tc.date {
				t.Errorf("date %q, want %q", date, tc.date)
			}
			var items []string
			for _, it := range p.ActionItems {
				item := it.Status + " " + it.Title
				if it.Type != "" {
					item += " (" + it.Type + ")"
				}
				items = append(items, item)
			}
			if got := strings.Join(items, "; "); got != tc.items {
				t.Errorf("action items %q, want %q", got, tc.items)
			}
		})
	}
}

// TestTitleShownOnce wants the heading that gives the title, or repeats
// it, left out of the body's HTML, and any other heading kept.
func TestTitleShownOnce(t *testing.T) {
	cfg := config.Default()
	for _, tc := range []struct{ src, want, notWant string }{
		{"# Disk full\n\nText.\n", "<p>Text.</p>", "Disk full"},
		{"---\ntitle: Disk full\ndate: 2024-01-01\n---\n# Disk full\n\nText.\n", "<p>Text.</p>", "Disk full"},
		{"---\ntitle: Disk full\ndate: 2024-01-01\n---\n# Another heading\n\nText.\n", "Another heading", ""},
	} {
		p, _ := Parse("content/2024-01-01-a.md", []byte(tc.src), &cfg, md, "")
		if !strings.Contains(string(p.HTML()), tc.want) || tc.notWant != "" && strings.Contains(string(p.HTML()), tc.notWant) {
			t.Errorf("%q: body HTML %q, want %q in it and not %q", tc.src, p.HTML(), tc.want, tc.notWant)
		}
	}
}

// TestBodyFacts: the facts a body gives on lines of their own near its
// top (bold names, list items, a table) fill what the front matter leaves
// out, read as the front matter's would be; a sentence, a fact past the
// first lines and one the front matter gives are not read.
func TestBodyFacts(t *testing.T) {
	cfg := config.Default()
	for _, tc := range []struct {
		name, src string
		want      string // date | severity | root causes | services | authors | inferred
		diags     []string
	}{
		{"bold names", "# Replication lag\n\n**Date:** March 3rd, 2024\n**Severity:** sev2\n**Root cause:** Replication lag, Disk/IO\n**Services**: db, API Gateway\n**Authors:** Sam, Maria\n",
			"2024-03-03 | SEV2 | disk/io replication-lag | api-gateway db | Sam Maria | authors date root_causes services severity title", nil},
		{"list items and a table", "# A\n\n- Date: 2024-03-03\n- Cause: dns\n\n| Field | Value |\n| --- | --- |\n| Severity | Sev-1 |\n| Affected services | checkout |\n",
			"2024-03-03 | SEV1 | dns | checkout |  | date root_causes services severity title", nil},
		{"a Google doc's table, people by their handles", "# A\n\n| | |\n| --- | --- |\n| **Date** | 2024-03-03 |\n| **Services affected** | payments-api, checkout |\n| **Authors** | @priya, @tom |\n",
			"2024-03-03 |  |  | checkout payments-api | priya tom | authors date services title", nil},
		{"a YAML block of metadata before the heading", "```yaml\ntitle: cdn purge\ndate: 2024-03-03\nseverity: SEV2\nservices: [cdn, web]\nroot_cause: bad-purge\n```\n\n# CDN purge took down static assets\n\nText.\n",
			"2024-03-03 | SEV2 | bad-purge | cdn web |  | date root_causes services severity title", nil},
		{"a code block that is no metadata is read as none", "```\nseverity: SEV2\n```\n\n# A\n\nDate: 2024-03-03\n",
			"2024-03-03 |  |  |  |  | date title", []string{`content/a.md: warning: title: none given, and the body does not start with a # heading: named after the file, "A"`}},
		{"a sentence is no list of causes; a level that is none is told", "# A\n\nDate: 3 March 2024\nSeverity: High\nRoot cause: a misconfigured API integration took the site down.\n",
			"2024-03-03 |  |  |  |  | date title", []string{`content/a.md:4:11: warning: severity: "High" is not a level (want one of SEV1, SEV2, SEV3, SEV4, SEV5): left out; set severity: in the front matter`}},
		{"a date not read is pointed at", "# A\n\nIncident date: 12/04/2023\n",
			" |  |  |  |  | title", []string{`content/a.md: date: required field is missing: the day of the incident, such as date: 2023-08-06; found no started: time, a Date: line not read as a day (below), no date that starts the file or folder name (2023-08-06-NAME), no dated Duration: line and no dated timeline entry`,
				`content/a.md:3:16: date: "12/04/2023" is not read as a day (write it 2023-08-06, or August 6, 2023)`}},
		{"a day in numbers, in the one order it can be meant", "# A\n\nIncident date: 31/12/2019\n",
			"2019-12-31 |  |  |  |  | date title", nil},
		{"entities of an export", "# A\n\n| | |\n| --- | --- |\n| **Date** | 2024-03-03 |\n| **Affected&nbsp;services** | payments-api,&nbsp;checkout&#160; |\n",
			"2024-03-03 |  |  | checkout payments-api |  | date services title", nil},
		{"the front matter wins", "---\ntitle: A\ndate: 2024-01-01\nseverity: SEV3\nroot_causes: [given]\n---\nDate: 2024-03-03\nSeverity: SEV1\nRoot cause: other\n",
			"2024-01-01 | SEV3 | given |  |  |", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, diags := Parse("content/a.md", []byte(tc.src), &cfg, md, "")
			date := ""
			if !p.Date.IsZero() {
				date = p.Date.Format(time.DateOnly)
			}
			got := strings.Join([]string{date, p.Severity, strings.Join(p.RootCauses, " "), strings.Join(p.Services, " "), strings.Join(p.Authors, " "), strings.Join(p.Inferred, " ")}, " | ")
			if strings.TrimSpace(got) != strings.TrimSpace(tc.want) {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
			var msgs []string
			for _, d := range diags {
				if !strings.Contains(d.Msg, "no root causes") {
					msgs = append(msgs, d.Error())
				}
			}
			if strings.Join(msgs, "\n") != strings.Join(tc.diags, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(tc.diags, "\n"))
			}
		})
	}
}

// TestBodyActionItemFacts: an action item of the body that ends with its
// owner or due day has them, off its title.
func TestBodyActionItemFacts(t *testing.T) {
	cfg := config.Default()
	src := "# A\n\nDate: 2020-02-01\n\n## Action items\n\n" +
		"- [ ] Test upgrades in staging first (owner: @maria, due 2020-03-01)\n" +
		"- [x] Roll back CoreDNS — @sam\n" +
		"1. Alert on replication lag (due: March 5, 2020; owner: ops-team)\n" +
		"- Page earlier (see the runbook)\n" +
		"- Autoscale webhook workers (@raj, 2024-07-31)\n" +
		"- Rotate keys [owner: sam]\n" +
		"- Add a canary (assigned to Mo, by 2020-04-15)\n" +
		"- [ ] Add an expiry alert — Dana, by Dec 15\n" +
		"- [ ] Drain the old pool (Lee, due Jan 10th)\n" +
		"- [ ] Write the runbook - Priya Patel\n" +
		"- [ ] Upgrade from 2.3 - 2.4 series\n" +
		"- [ ] Pick a vendor — see the thread\n" +
		"- [ ] Retire the cron host (TBD, by Mar 1)\n" +
		"- [ ] Bybee cleanup (Alex)\n" +
		"- [ ] Fix the config store lock — jörg — EOW\n" +
		"- [ ] Unlock the store — jörg, by Dec 18\n" +
		"- [ ] Alert on conversion — owner: Bob — due: 2020-12-10\n" +
		"- [ ] Page the vendor (urgent, due 2020-03-02)\n" +
		"- [ ] Keep it as is — later\n" +
		"- [ ] Rotate the signing key (Tom, 12/18)\n" +
		"- [ ] Expire old tokens — Kim, by 18/12\n" +
		"- [ ] Merge the dashboards (Lee, 3/4)\n" +
		"- [ ] Renew the certificate (owner: @a, due 15/01/2024)\n" +
		"- [ ] Rotate the keys (owner: @b, due 11/30/2023)\n" +
		"- [ ] Pick a day (owner: @c, due 06/05/2023)\n"
	p, _ := Parse("content/a.md", []byte(src), &cfg, md, "")
	var got []string
	for _, it := range p.ActionItems {
		due := ""
		if !it.Due.IsZero() {
			due = it.Due.Format(time.DateOnly)
		}
		got = append(got, it.Status+"|"+it.Title+"|"+it.Owner+"|"+due)
	}
	want := []string{
		"open|Test upgrades in staging first|maria|2020-03-01",
		"done|Roll back CoreDNS|sam|",
		"open|Alert on replication lag|ops-team|2020-03-05",
		"open|Page earlier (see the runbook)||",
		"open|Autoscale webhook workers|raj|2024-07-31",
		"open|Rotate keys|sam|",
		"open|Add a canary|Mo|2020-04-15",
		// Without @, and a day without its year: the first after the
		// incident's day.
		"open|Add an expiry alert|Dana|2020-12-15",
		"open|Drain the old pool|Lee|2021-01-10",
		"open|Write the runbook|Priya Patel|",
		"open|Upgrade from 2.3 - 2.4 series||",
		"open|Pick a vendor — see the thread||",
		"open|Retire the cron host||2020-03-01",
		// A name alone in brackets may be anything: left in the title.
		"open|Bybee cleanup (Alex)||",
		// A word for a day is not an owner; one in lower case is, beside
		// a due day after a dash; facts after two dashes.
		"open|Fix the config store lock — jörg — EOW||",
		"open|Unlock the store|jörg|2020-12-18",
		"open|Alert on conversion|Bob|2020-12-10",
		"open|Page the vendor||2020-03-02",
		"open|Keep it as is — later||",
		// A day in numbers without its year, read when only one order
		// of month and day can be meant.
		"open|Rotate the signing key|Tom|2020-12-18",
		"open|Expire old tokens|Kim|2020-12-18",
		"open|Merge the dashboards (Lee, 3/4)||",
		// With its year, in either order when only one can be meant.
		"open|Renew the certificate|a|2024-01-15",
		"open|Rotate the keys|b|2023-11-30",
		// A due day that cannot be read leaves the facts in the title.
		"open|Pick a day (owner: @c, due 06/05/2023)||",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("action items:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestTimeFacts: lines near the top that give the incident's times fill
// those the front matter leaves out, and a dated one its day; the page
// shows them in the zone they were written in, and marks them read from
// the body.
func TestTimeFacts(t *testing.T) {
	cfg := config.Default()
	p, diags := Parse("content/a.md", []byte("# Checkout outage\n\nImpact start: 2021-07-19 16:40 PDT\nImpact end: 2021-07-19 18:05 PDT\n\nText.\n"), &cfg, md, "")
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	if p.Date.Format(time.DateOnly) != "2021-07-19" || p.Started.Format("15:04 MST") != "16:40 PDT" || p.DurationMinutes() != 85 ||
		strings.Join(p.FromTimeline, " ") != "resolved started" || p.Location.String() != "PDT" {
		t.Errorf("date %v, started %v, %d min, from the body %v, zone %v", p.Date, p.Started, p.DurationMinutes(), p.FromTimeline, p.Location)
	}
	// A time line not read is told, at its place.
	_, diags = Parse("content/a.md", []byte("# A\n\n**Date:** 2023-03-04\nResolved: 5:10pm-ish\n\nText.\n"), &cfg, md, "")
	if !strings.Contains(diags.Error(), `content/a.md:4:11: warning: resolved: "5:10pm-ish" is not read as a time`) {
		t.Errorf("an unread Resolved: line: %v", diags)
	}
	// Late in the evening west of UTC: the incident is of the day it was
	// written on, where it was written, and its timeline's times without a
	// date are on that day.
	p, diags = Parse("content/a.md", []byte("# Failover loop\n\nIncident Start: 2021-02-11 22:30 PST\nIncident End: 2021-02-12 01:15 PST\n\n## Timeline\n\n| Time | What |\n| --- | --- |\n| 22:30 | First failover |\n| 22:41 | Alert fired |\n| 01:15 | Stable |\n"), &cfg, md, "")
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	if p.Date.Format(time.DateOnly) != "2021-02-11" || p.Detected.Format("2006-01-02 15:04 MST") != "2021-02-11 22:41 PST" || p.TimeToDetect() != 11*time.Minute {
		t.Errorf("date %v, detected %v, %v to detect; want 2021-02-11, 22:41 PST that day, 11 min", p.Date, p.Detected, p.TimeToDetect())
	}
	// A timeline whose every entry is dated, with an offset: the day of
	// the first, at that offset.
	p, diags = Parse("content/a.md", []byte("# Cache down\n\n## Timeline\n\n- 2023-03-04 02:05 +0530 memcached nodes killed\n- 2023-03-04 02:40 +0530 restored\n"), &cfg, md, "")
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	if p.Date.Format(time.DateOnly) != "2023-03-04" {
		t.Errorf("date %v, want 2023-03-04, the day at +0530", p.Date)
	}
	// Without a date of their own, on the incident's day; the front
	// matter's own time wins.
	p, _ = Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-03-03\nstarted: 2024-03-03T09:00:00Z\nroot_causes: [dns]\n---\n**Started:** 08:00\n**Resolved:** 10:30\n\nText.\n"), &cfg, md, "")
	if p.Started.Format("15:04") != "09:00" || p.Resolved.Format(time.DateTime) != "2024-03-03 10:30:00" || strings.Join(p.FromTimeline, " ") != "resolved" {
		t.Errorf("started %v, resolved %v, from the body %v", p.Started, p.Resolved, p.FromTimeline)
	}
}

// TestTimelineDaysNamed: a timeline written with the days named, as teams
// and Jira write them, gives the incident its times, in the postmortem's
// zone, and its day when an entry gives its year; an entry without a year
// is of the incident's, or of the next across New Year. A line that reads
// as no time stays out, as before.
func TestTimelineDaysNamed(t *testing.T) {
	cfg := config.Default()
	for _, tc := range []struct{ name, src, want string }{
		{"a day named with its year gives the incident's day",
			"# A\n\n## Timeline\n\n- 25 Oct 2023 09:58 — alert fired\n- 25 Oct 10:40 — rolled back\n- Oct 25, 11:05 — resolved\n- Oct 2023 retro, no time\n",
			"2023-10-25 | 2023-10-25 09:58 UTC, 2023-10-25 10:40 UTC, 2023-10-25 11:05 UTC"},
		{"Jira's days and 12-hour clock",
			"# A\n\n## Timeline\n\n| Time | Event |\n|---|---|\n| 12/Jan/23 08:15 AM | Ticket opened |\n| 12/Jan/23 11:40 PM | Resolved |\n",
			"2023-01-12 | 2023-01-12 08:15 UTC, 2023-01-12 23:40 UTC"},
		{"without a year, the incident's, then the next, in its zone",
			"---\ntitle: A\ndate: 2023-12-31\ntimezone: Europe/Paris\nroot_causes: [dns]\n---\n## Timeline\n\n- 30 Dec 16:00 — config pushed\n- 31 Dec 23:50 — paged\n- 1 Jan 00:10 — rolled back\n",
			"2023-12-31 | 2023-12-30 16:00 CET, 2023-12-31 23:50 CET, 2024-01-01 00:10 CET"},
		{"a day in numbers in either order is still not read",
			"# A\n\nDate: 2023-06-05\n\n## Timeline\n\n- 06/05/2023 10:00 — paged\n- 5 Jun 10:30 — resolved\n",
			"2023-06-05 | 2023-06-05 10:30 UTC"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, diags := Parse("content/a.md", []byte(tc.src), &cfg, md, "")
			if err := diags.Err(); err != nil {
				t.Fatal(err)
			}
			var times []string
			for _, e := range p.Timeline {
				times = append(times, e.Time.Format("2006-01-02 15:04 MST"))
			}
			if got := p.Date.Format(time.DateOnly) + " | " + strings.Join(times, ", "); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
}

// TestActionItemTable: a table of action items gives each its owner and
// due day by the columns its header names, in any order.
func TestActionItemTable(t *testing.T) {
	cfg := config.Default()
	src := "# A\n\nDate: 2023-04-01\n\n## Action items\n\n| Due date | Task | Assignee |\n|---|---|---|\n| 2023-05-01 | Automate cert rotation | @maria |\n| Jan 5 | Drain the pool | Lee |\n"
	p, _ := Parse("content/a.md", []byte(src), &cfg, md, "")
	if len(p.ActionItems) != 2 {
		t.Fatalf("action items %+v, want 2", p.ActionItems)
	}
	if a := p.ActionItems[1]; a.Owner != "Lee" || a.Due.Format(time.DateOnly) != "2024-01-05" {
		t.Errorf("a due day without its year: %q due %v, want Lee on 2024-01-05", a.Owner, a.Due)
	}
	if a := p.ActionItems[0]; a.Title != "Automate cert rotation" || a.Owner != "maria" || a.Due.Format(time.DateOnly) != "2023-05-01" || a.Line != 9 {
		t.Errorf("action item %q owned by %q due %v on line %d", a.Title, a.Owner, a.Due, a.Line)
	}
}

// TestTimelineEndsBeforeWhatCameAfter: entries that close a timeline with
// what came after the incident (a handover, the postmortem) are not its
// end; one in the middle is an entry as any other.
func TestTimelineEndsBeforeWhatCameAfter(t *testing.T) {
	cfg := config.Default()
	src := "---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\n---\n## Timeline\n\n- 23:40 Paged\n- 23:55 Handed over to the database team\n- 00:20 Recovered\n- 09:05 Handed over to the day shift\n- 11:00 Postmortem scheduled\n"
	p, _ := Parse("content/a.md", []byte(src), &cfg, md, "")
	if p.Started.Format("15:04") != "23:40" || p.Resolved.Format("2006-01-02 15:04") != "2024-03-04 00:20" || p.DurationMinutes() != 40 {
		t.Errorf("started %v, resolved %v, %d min; want 23:40 to 00:20, 40 min", p.Started, p.Resolved, p.DurationMinutes())
	}
}

// TestDetectionNotAtTheStart: an entry that tells of the impact's start
// is no detection, though it names an alert; the next that does is.
func TestDetectionNotAtTheStart(t *testing.T) {
	cfg := config.Default()
	src := "---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\n---\n## Timeline\n\n- 10:00 — Impact began: our autoscaler alerts fired, but they fire often enough that nobody looked.\n- 10:45 — Alert fired: on-call paged.\n- 12:00 — Service recovered.\n"
	p, _ := Parse("content/a.md", []byte(src), &cfg, md, "")
	if p.Detected.Format("15:04") != "10:45" || p.TimeToDetect() != 45*time.Minute {
		t.Errorf("detected %v (%v after the start), want 10:45", p.Detected, p.TimeToDetect())
	}
}

// TestSummaryCut: a summary taken from a long first paragraph is cut near
// MaxSummary characters, at the end of a sentence, else at a space; one of
// the front matter is kept whole.
func TestSummaryCut(t *testing.T) {
	cfg := config.Default()
	long := strings.Repeat("The résumé cache was cold. ", 40)
	p, _ := Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\n---\n"+long+"\n"), &cfg, md, "")
	if n := len([]rune(p.Summary)); n > MaxSummary || n < MaxSummary/2 || !strings.HasSuffix(p.Summary, "cold.") || !strings.HasPrefix(long, p.Summary) {
		t.Errorf("summary of %d characters: %q", n, p.Summary)
	}
	words := strings.Repeat("cold résumé cache ", 60)
	p, _ = Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\n---\n"+words+"\n"), &cfg, md, "")
	if n := len([]rune(p.Summary)); n > MaxSummary+1 || n < MaxSummary/2 || !strings.HasSuffix(p.Summary, "…") || !strings.HasPrefix(words, strings.TrimSuffix(p.Summary, "…")) {
		t.Errorf("summary of %d characters: %q", n, p.Summary)
	}
	p, _ = Parse("content/a.md", []byte("---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\nsummary: "+long+"\n---\nText.\n"), &cfg, md, "")
	if p.Summary != strings.TrimSpace(long) {
		t.Errorf("the front matter's summary was cut: %q", p.Summary)
	}
}

// TestStartAfterTheLeadUp: the entry that tells of the impact's start is
// the incident's start; the deploy before it is its lead-up.
func TestStartAfterTheLeadUp(t *testing.T) {
	cfg := config.Default()
	src := "---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\n---\n## Timeline\n\n- 14:02 Config change rolled out\n- 14:09 Checkout 5xx start climbing\n- 14:15 Paged\n- 15:00 Fixed\n"
	p, _ := Parse("content/a.md", []byte(src), &cfg, md, "")
	if p.Started.Format("15:04") != "14:09" || p.Detected.Format("15:04") != "14:15" || p.DurationMinutes() != 51 {
		t.Errorf("started %v, detected %v, %d min; want 14:09, 14:15, 51", p.Started, p.Detected, p.DurationMinutes())
	}
	// A report in the lead-up is not the detection, which comes after the
	// start (the SRE book's example).
	src = "---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\n---\n## Timeline\n\n- 14:51 News reports that a new sonnet has been found\n- 14:54 OUTAGE BEGINS as search traffic climbs\n- 14:55 The on-call is paged\n- 15:30 Traffic back to normal\n"
	p, _ = Parse("content/a.md", []byte(src), &cfg, md, "")
	if p.Started.Format("15:04") != "14:54" || p.Detected.Format("15:04") != "14:55" {
		t.Errorf("started %v, detected %v; want 14:54 and 14:55", p.Started, p.Detected)
	}
	// No entry tells of the start: the first is the start, and the
	// detection too when it tells of one (the seed's "08:00 the issue was
	// detected when ... an alert").
	src = "---\ntitle: A\ndate: 2024-03-03\nroot_causes: [dns]\n---\n## Timeline\n\n- 08:00 The issue was detected when an alert fired\n- 08:05 The team was notified\n- 11:30 Resolved\n"
	p, _ = Parse("content/a.md", []byte(src), &cfg, md, "")
	if p.Started.Format("15:04") != "08:00" || p.Detected.Format("15:04") != "08:00" {
		t.Errorf("started %v, detected %v; want 08:00 for both", p.Started, p.Detected)
	}
}
