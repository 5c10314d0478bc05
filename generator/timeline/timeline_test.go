package timeline

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

var (
	day   = time.Date(2023, 8, 6, 0, 0, 0, 0, time.UTC)
	lagos = mustLoad("Africa/Lagos")
	paris = mustLoad("Europe/Paris")
)

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// format writes entries one a line as "LINE UTC-INSTANT TEXT".
func format(entries []Entry) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "%d %s %s\n", e.Line, e.Time.UTC().Format("2006-01-02T15:04:05Z"), e.Text)
	}
	return b.String()
}

// seedBody has the shape of the seed postmortem: a plain "Timeline:" line,
// entries as 4-space indented lines between blank lines, the zone only on
// the Duration line, and a plain "Root Cause and Resolution:" line after.
const seedBody = `Issue Summary:
Duration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat) 
Impact: The site was down for everyone.

Architecture overview

https://example.com/diagram.png

Timeline:

    08:00 AM: Alert on server errors.

    08:05 AM: On-call paged.

    09:30 AM: Looked at the API integrations.

    11:30 AM: Bad change reverted.

Root Cause and Resolution: a misconfigured API integration.

    12:00 PM: not part of the timeline.

Corrective and Preventative Measures:

    Improve code review.
`

func TestParse(t *testing.T) {
	tests := []struct {
		name, body string
		loc        *time.Location
		want       string
	}{
		{name: "seed: plain heading, indented lines, AM/PM, zone from the Duration line",
			body: seedBody, loc: time.UTC,
			want: "11 2023-08-06T07:00:00Z Alert on server errors.\n13 2023-08-06T07:05:00Z On-call paged.\n15 2023-08-06T08:30:00Z Looked at the API integrations.\n17 2023-08-06T10:30:00Z Bad change reverted.\n"},
		{name: "seed in a zone with summer time: the Duration line's zone still wins",
			body: seedBody, loc: paris,
			want: "11 2023-08-06T07:00:00Z Alert on server errors.\n13 2023-08-06T07:05:00Z On-call paged.\n15 2023-08-06T08:30:00Z Looked at the API integrations.\n17 2023-08-06T10:30:00Z Bad change reverted.\n"},
		{name: "list markers and separators, in the postmortem's zone",
			body: "## Timeline\n\n- 14:02 — Deploy starts\n- 14:05 – Errors rise\n* 14:07 - Rollback\n+ 14:08: Paged\n1. 14:09 | Acked\n2) 14:10 Status page\n- [x] 14:11 → Checked\n\n## Root cause\n- 15:00 not here\n",
			loc:  lagos,
			want: "3 2023-08-06T13:02:00Z Deploy starts\n4 2023-08-06T13:05:00Z Errors rise\n5 2023-08-06T13:07:00Z Rollback\n6 2023-08-06T13:08:00Z Paged\n7 2023-08-06T13:09:00Z Acked\n8 2023-08-06T13:10:00Z Status page\n9 2023-08-06T13:11:00Z Checked\n"},
		{name: "12-hour clocks and seconds",
			body: "# Timeline\n- 12:10 AM: a\n- 8:05pm - b\n- 08:05:30 PM c\n- 11:15 a.m. d\n- 12:00 PM e\n", loc: time.UTC,
			want: "2 2023-08-06T00:10:00Z a\n3 2023-08-06T20:05:00Z b\n4 2023-08-06T20:05:30Z c\n5 2023-08-07T11:15:00Z d\n6 2023-08-07T12:00:00Z e\n"},
		{name: "dated entries with and without zones",
			body: "## Timeline\n\n- 2023-08-06 08:00 UTC: a\n- 2023-08-06T08:30:00Z b\n- 2023-08-06 09:00 c\n- 2023-08-06T11:00:00+02:00 d\n- 2023/08/07, 10:00 e\n- 2023-08-06T09:05:00.250Z f\n",
			loc:  lagos,
			want: "3 2023-08-06T08:00:00Z a\n4 2023-08-06T08:30:00Z b\n5 2023-08-06T08:00:00Z c\n6 2023-08-06T09:00:00Z d\n7 2023-08-07T09:00:00Z e\n8 2023-08-06T09:05:00Z f\n"},
		{name: "times in bold, code and brackets",
			body: "## Timeline\n- **08:00**: a\n- **08:01:** b\n- **08:02 UTC** — c\n- `08:03` d\n- [08:04] e\n- (08:05 UTC) f\n- 08:06 *not* wrapped\n", loc: time.UTC,
			want: "2 2023-08-06T08:00:00Z a\n3 2023-08-06T08:01:00Z b\n4 2023-08-06T08:02:00Z c\n5 2023-08-06T08:03:00Z d\n6 2023-08-06T08:04:00Z e\n7 2023-08-06T08:05:00Z f\n8 2023-08-06T08:06:00Z *not* wrapped\n"},
		{name: "a zone on the entry wins over the stated one",
			body: "## Timeline\nAll times in CEST.\n- 10:00 WAT: noticed\n- 10:30 utc: paged\n- 07:00 (EDT) escalated\n- 06:00 PDT mitigated\n- 15:30 UTC+2 fixed\n- 15:45 closed\n", loc: time.UTC,
			want: "3 2023-08-06T09:00:00Z noticed\n4 2023-08-06T10:30:00Z paged\n5 2023-08-06T11:00:00Z escalated\n6 2023-08-06T13:00:00Z mitigated\n7 2023-08-06T13:30:00Z fixed\n8 2023-08-06T13:45:00Z closed\n"},
		{name: "words after the time are text, not zones",
			body: "## Timeline\n- 10:00 DNS fails\n- 10:05 cat /etc/hosts shows the old address\n- 10:06 AST cache rebuilt\n- 10:07 Amazon status page green\n- 12:08 CAT: paged the Lusaka team\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z DNS fails\n3 2023-08-06T10:05:00Z cat /etc/hosts shows the old address\n4 2023-08-06T10:06:00Z AST cache rebuilt\n5 2023-08-06T10:07:00Z Amazon status page green\n6 2023-08-06T10:08:00Z paged the Lusaka team\n"},
		{name: "all times in CET, rolling past midnight twice",
			body: "### Timeline\n\nAll times in CET.\n\n- 23:50 Queue grows\n- 00:10 Pages fire\n- 22:00 Still degraded\n- 01:00 Recovered\n", loc: time.UTC,
			want: "5 2023-08-06T21:50:00Z Queue grows\n6 2023-08-06T22:10:00Z Pages fire\n7 2023-08-07T20:00:00Z Still degraded\n8 2023-08-07T23:00:00Z Recovered\n"},
		{name: "an undated time after a dated one takes its date",
			body: "## Timeline\n- 2023-08-09 23:30 a\n- 00:15 b\n- 2023-08-05 10:00 c\n- 10:30 d\n", loc: time.UTC,
			want: "2 2023-08-09T23:30:00Z a\n3 2023-08-10T00:15:00Z b\n4 2023-08-05T10:00:00Z c\n5 2023-08-05T10:30:00Z d\n"},
		{name: "stated zones: 'all times are', heading, 'time zone:', offsets",
			body: "Time zone: EST\n\n## Timeline (UTC)\n- 03:00 a\nTimes below are in UTC+05:30\n- 10:30 b\n- 10:45 +01:00 c\n", loc: lagos,
			want: "4 2023-08-06T03:00:00Z a\n6 2023-08-06T05:00:00Z b\n7 2023-08-06T09:45:00Z c\n"},
		{name: "a 'Time zone:' line, EST in August read as the local time, EDT", body: "Time zone: EST\n\n## Timeline\n- 10:00 a\n", loc: lagos,
			want: "4 2023-08-06T14:00:00Z a\n"},
		{name: "a zone stated before the section",
			body: "All times are UTC.\n\n## Timeline\n- 10:00 a\n", loc: lagos,
			want: "4 2023-08-06T10:00:00Z a\n"},
		{name: "table with the zone in the header",
			body: "## Timeline\n\n| Time (UTC) | Event |\n| --- | --- |\n| 2020-02-03 11:21 | CoreDNS pods crash-looping |\n| 11:40 | Rolled back | extra |\n| Later | not a time |\n|  | |\n",
			loc:  lagos,
			want: "5 2020-02-03T11:21:00Z CoreDNS pods crash-looping\n6 2020-02-03T11:40:00Z Rolled back | extra\n"},
		{name: "table with date and time columns",
			body: "## Timeline\n\n| Date | Time | Event |\n|:-----|:----:|-------|\n| 2020-02-03 | 23:55 | Nodes drained |\n| 2020-02-04 | **00:05 UTC** | Pods rescheduled |\n| **2020-02-05** | `01:10` | Drained again |\n",
			loc:  time.UTC,
			want: "5 2020-02-03T23:55:00Z Nodes drained\n6 2020-02-04T00:05:00Z Pods rescheduled\n7 2020-02-05T01:10:00Z Drained again\n"},
		{name: "days written with their month's name, with their year or without",
			body: "## Timeline\n- 6 Aug 09:58 — alert fired\n- Aug 6 10:05 paged\n- Aug 6, 10:10 acked\n- 6 Aug 2023 10:20 — rolled back\n- August 7th, 2023, 00:10 recovered\n- **7 Aug 01:00 UTC** closed\n- 5 Aug 23:00 — the change that set it off, noted late\n- 02:00 — after it, past midnight\n- 6 Aug 10:00-11:30 window\n",
			loc:  lagos,
			want: "2 2023-08-06T08:58:00Z alert fired\n3 2023-08-06T09:05:00Z paged\n4 2023-08-06T09:10:00Z acked\n5 2023-08-06T09:20:00Z rolled back\n6 2023-08-06T23:10:00Z recovered\n7 2023-08-07T01:00:00Z closed\n8 2023-08-05T22:00:00Z the change that set it off, noted late\n9 2023-08-06T01:00:00Z after it, past midnight\n10 2023-08-06T09:00:00Z until 11:30 window\n"},
		{name: "Jira's day and 12-hour clock",
			body: "## Timeline\n\n| Created | Event |\n|---|---|\n| 06/Aug/23 08:15 AM | Ticket opened |\n| 06/Aug/23 1:05 PM | Resolved |\n| 07/aug/2023 12:30 AM | Closed |\n",
			loc:  lagos,
			want: "5 2023-08-06T07:15:00Z Ticket opened\n6 2023-08-06T12:05:00Z Resolved\n7 2023-08-06T23:30:00Z Closed\n"},
		{name: "table with a column of days named",
			body: "## Timeline\n\n| Date | Time (UTC) | Event |\n|---|---|---|\n| 6 Aug 2023 | 23:55 | Nodes drained |\n| Aug 7 | **00:05** | Pods rescheduled |\n",
			loc:  lagos,
			want: "5 2023-08-06T23:55:00Z Nodes drained\n6 2023-08-07T00:05:00Z Pods rescheduled\n"},
		{name: "words of a month that are no day and time are no entries",
			body: "## Timeline\n- 10:00 a\n- Oct 2023 retro planned\n- 25 Octopus 10:00 no\n- May 10:00 no\n- 3 May things went wrong\n- 6 Aug 2023-08-06 10:00 no\n- 6 Aug10:00 no\n- 12/Jan/231 10:00 no\n- 10:30 b\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z a\n10 2023-08-06T10:30:00Z b\n"},
		{name: "a heading of the same level ends the section, a deeper one does not",
			body: "## Timeline\n- 10:00 a\n### Mitigation\n- 11:00 b\n### 11:30 UTC Paged\n## Root cause\n- 12:00 c\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z a\n4 2023-08-06T11:00:00Z b\n5 2023-08-06T11:30:00Z Paged\n"},
		{name: "a plain section ends at an unindented line",
			body: "Timeline\n10:00 - a\n\n    10:10 - b\nNotes: a line of prose.\n10:20 - c\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z a\n4 2023-08-06T10:10:00Z b\n"},
		{name: "a plain section whose first line is prose is empty",
			body: "Timeline:\nWe did not keep one.\n    10:00 a\n", loc: time.UTC, want: ""},
		{name: "heading variants and a fenced timeline",
			body: "Intro\n\n# Incident TIMELINE:\n\n```\n# 10:00 not a heading\n10:00 a\n10:05 b\n```\n\n# Next\n", loc: time.UTC,
			want: "7 2023-08-06T10:00:00Z a\n8 2023-08-06T10:05:00Z b\n"},
		{name: "a code block after the entries quotes logs",
			body: "## Timeline\n\n- 10:00 a\n- 10:05 b\n\n```text\n2023-08-06T09:01:14.221Z ERROR router status=403\n10:02 INFO retry\n```\n\n- 10:30 c\n", loc: time.UTC,
			want: "3 2023-08-06T10:00:00Z a\n4 2023-08-06T10:05:00Z b\n11 2023-08-06T10:30:00Z c\n"},
		{name: "Setext title",
			body: "Timeline\n--------\n\n- 09:00 a\n- 09:10 b\n\nRoot cause\n----------\n\n- 10:00 not here\n", loc: time.UTC,
			want: "4 2023-08-06T09:00:00Z a\n5 2023-08-06T09:10:00Z b\n"},
		{name: "bold plain title",
			body: "**Timeline**\n\n    09:00: a\n", loc: time.UTC,
			want: "3 2023-08-06T09:00:00Z a\n"},
		{name: "text wrapped onto the next line",
			body: "## Timeline\n- 10:00 Deploy of the\n  config service starts\n- 10:05 Errors\n\nA paragraph after a blank line.\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z Deploy of the config service starts\n4 2023-08-06T10:05:00Z Errors\n"},
		{name: "ranges keep their end", body: "## Timeline\n- 10:00-11:30 maintenance window\n- 11:40 – 11:50 retries\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z until 11:30 maintenance window\n3 2023-08-06T11:40:00Z until 11:50 retries\n"},
		{name: "Windows line ends", body: "## Timeline\r\n- 10:00 a\r\n- 10:05 b\r\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z a\n3 2023-08-06T10:05:00Z b\n"},
		{name: "no section", body: "- 08:00 an item\n\nSee the timeline below.\n", loc: time.UTC, want: ""},
		{name: "nonsense times are no entries",
			body: "## Timeline\n- 25:00 no\n- 13:00 PM no\n- 00:30 am no\n- 10:60 no\n- 10:305 no\n- 10:30:5 no\n- 1:2 no\n- 10:30hrs no\n- 2023-02-30 10:00 no\n- 10:31\n- 10:32 —\n- v1.10:30 no\n- 10:30am yes\n", loc: time.UTC,
			want: "14 2023-08-06T10:30:00Z yes\n"},
		{name: "nil zone falls back to the day's", body: "## Timeline\n- 10:00 a\n", loc: nil,
			want: "2 2023-08-06T10:00:00Z a\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := day
			if tc.loc != nil {
				d = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, tc.loc)
			}
			if got := format(Parse([]byte(tc.body), d, tc.loc)); got != tc.want {
				t.Errorf("got:\n%swant:\n%s", got, tc.want)
			}
		})
	}
}

// TestParseKeepsTheZone checks that entries are in the zone they were
// written in, so that pages show the times the authors wrote.
func TestParseKeepsTheZone(t *testing.T) {
	entries := Parse([]byte(seedBody), day, time.UTC)
	if len(entries) == 0 {
		t.Fatal("no entries")
	}
	if got := entries[0].Time.Format("15:04 MST"); got != "08:00 WAT" {
		t.Errorf("first entry shows as %q, want 08:00 WAT", got)
	}
}

// TestSummerAbbreviation reads an abbreviation of standard time written
// for a day of summer as the local time of its region, and says so through
// Written; an abbreviation of summer time, or of a zone without one, is
// what it says.
func TestSummerAbbreviation(t *testing.T) {
	for _, tc := range []struct {
		zone, day, want, shown string
		region                 bool
	}{
		{"CET", "2023-07-18", "2023-07-18T08:00:00Z", "10:00 CEST", true},
		{"CET", "2023-01-18", "2023-01-18T09:00:00Z", "10:00 CET", true},
		{"cest", "2023-07-18", "2023-07-18T08:00:00Z", "10:00 CEST", false},
		{"EST", "2023-07-18", "2023-07-18T14:00:00Z", "10:00 EDT", true},
		{"PDT", "2023-07-18", "2023-07-18T17:00:00Z", "10:00 PDT", false},
		{"AEST", "2023-01-18", "2023-01-17T23:00:00Z", "10:00 AEDT", true}, // summer in January
		{"WAT", "2023-07-18", "2023-07-18T09:00:00Z", "10:00 WAT", true},
		{"SGT", "2023-07-18", "2023-07-18T02:00:00Z", "10:00 SGT", false}, // the zone database names no abbreviation for Singapore
	} {
		z := Zone(tc.zone)
		d, _ := time.Parse(time.DateOnly, tc.day)
		at := time.Date(d.Year(), d.Month(), d.Day(), 10, 0, 0, 0, z)
		if got := at.UTC().Format(time.RFC3339); got != tc.want {
			t.Errorf("10:00 %s on %s is %s, want %s", tc.zone, tc.day, got, tc.want)
		}
		if got := at.Format("15:04 MST"); got != tc.shown {
			t.Errorf("10:00 %s on %s shows as %q, want %q", tc.zone, tc.day, got, tc.shown)
		}
		if w, ok := Written(at.Location()); ok != tc.region || ok && w != strings.ToUpper(tc.zone) {
			t.Errorf("Written(Zone(%q)) = %q, %v; want the region %v", tc.zone, w, ok, tc.region)
		}
	}
}

func TestZone(t *testing.T) {
	for name, want := range map[string]int{
		"wat": 3600, "UTC": 0, "Z": 0, "gmt": 0, "CEST": 7200, "EET": 7200, "EEST": 10800, "BST": 3600, "IST": 19800,
		"EST": -18000, "EDT": -14400, "CST": -21600, "CDT": -18000, "MST": -25200, "MDT": -21600, "PST": -28800,
		"PDT": -25200, "JST": 32400, "AEDT": 39600, "SGT": 28800, // AEST on 1 January is summer time: see TestSummerAbbreviation
		"UTC+1": 3600, "utc-3": -10800, "+05:30": 19800, "-0800": -28800, "GMT-3": -10800,
	} {
		z := Zone(name)
		if z == nil {
			t.Errorf("Zone(%q) = nil", name)
			continue
		}
		if _, off := time.Date(2023, 1, 1, 0, 0, 0, 0, z).Zone(); off != want {
			t.Errorf("Zone(%q) offset %d, want %d", name, off, want)
		}
	}
	// A region's time in any season: PST in January, PDT in July.
	for name, want := range map[string][2]int{"PT": {-28800, -25200}, "et": {-18000, -14400}, "CT": {-21600, -18000}, "MT": {-25200, -21600}} {
		z := Zone(name)
		if z == nil {
			t.Errorf("Zone(%q) = nil", name)
			continue
		}
		_, jan := time.Date(2023, 1, 1, 0, 0, 0, 0, z).Zone()
		_, jul := time.Date(2023, 7, 1, 0, 0, 0, 0, z).Zone()
		if [2]int{jan, jul} != want {
			t.Errorf("Zone(%q) offsets %d and %d, want %v", name, jan, jul, want)
		}
	}
	for _, name := range []string{"DNS", "Alert", "+25:00", "UTC+1:75", "", "Europe/Paris"} {
		if Zone(name) != nil {
			t.Errorf("Zone(%q) is not nil", name)
		}
	}
}

// TestMisread: a line of the section that starts with a time that does
// not exist is no entry, and is told, at its line and column; the lines
// around it stay entries, and a plain section does not end at it.
func TestMisread(t *testing.T) {
	body := "Timeline:\n\n" +
		"10:00 Paged\n" +
		"25:00 Rolled back\n" +
		"10:75 Looked again\n" +
		"- **2023-02-29 10:00** Leap day that is not\n" +
		"11:00 Resolved\n" +
		"10:30hrs read as no time, and not told\n"
	entries, _, misread := ParseStated([]byte(body), day, time.UTC)
	if got, want := format(entries), "3 2023-08-06T10:00:00Z Paged\n7 2023-08-06T11:00:00Z Resolved\n"; got != want {
		t.Errorf("entries:\n%swant:\n%s", got, want)
	}
	want := []Misread{{4, 1, "25:00"}, {5, 1, "10:75"}, {6, 5, "2023-02-29 10:00"}}
	if fmt.Sprint(misread) != fmt.Sprint(want) {
		t.Errorf("misread %v, want %v", misread, want)
	}

	// About a time, an hour of the 12-hour clock alone, and four digits
	// that may be a time or a year, which is told.
	body = "## Timeline\n\n" +
		"- ~11:05 — rolled back, about then\n" +
		"- 3pm — a customer wrote in\n" +
		"- 1610 — cache flushed\n" +
		"- 12 servers restarted, no time\n"
	entries, _, misread = ParseStated([]byte(body), day, time.UTC)
	if got, want := format(entries), "3 2023-08-06T11:05:00Z rolled back, about then\n4 2023-08-06T15:00:00Z a customer wrote in\n"; got != want {
		t.Errorf("entries:\n%swant:\n%s", got, want)
	}
	if want := []Misread{{5, 3, "1610"}}; fmt.Sprint(misread) != fmt.Sprint(want) {
		t.Errorf("misread %v, want %v", misread, want)
	}

	// A day named that its month does not have, a clock that does not
	// exist after a day named, and a day in numbers, which may be either
	// order, are told; a day named and a time that exist are read.
	body = "## Timeline\n\n" +
		"- 6 Aug 10:00 — paged\n" +
		"- 30 Feb 10:15 — no such day\n" +
		"- Aug 6 25:00 — no such hour\n" +
		"- 31/Apr/23 10:15 AM — no such day\n" +
		"- 06/05/2023 10:20 — either order\n" +
		"- 6 Aug 10:30 — resolved\n"
	entries, _, misread = ParseStated([]byte(body), day, time.UTC)
	if got, want := format(entries), "3 2023-08-06T10:00:00Z paged\n8 2023-08-06T10:30:00Z resolved\n"; got != want {
		t.Errorf("entries:\n%swant:\n%s", got, want)
	}
	if want := []Misread{{4, 3, "30 Feb 10:15"}, {5, 3, "Aug 6 25:00"}, {6, 3, "31/Apr/23 10:15"}, {7, 3, "06/05/2023 10:20"}}; fmt.Sprint(misread) != fmt.Sprint(want) {
		t.Errorf("misread %v, want %v", misread, want)
	}
}

// TestEntriesInTheirOwnZone: entries that name their zone are on the day
// of the entry before them in that zone, not in the section's.
func TestEntriesInTheirOwnZone(t *testing.T) {
	body := "## Timeline\n- 18:26 PDT push\n- 19:58 PDT ok\n"
	got := format(Parse([]byte(body), time.Date(2023, 5, 15, 0, 0, 0, 0, time.UTC), time.UTC))
	if want := "2 2023-05-16T01:26:00Z push\n3 2023-05-16T02:58:00Z ok\n"; got != want {
		t.Errorf("got:\n%swant:\n%s", got, want)
	}
}

// TestGenericZone: an entry written in PT is in Los Angeles's time of its
// day, and the zone is not left in its text.
func TestGenericZone(t *testing.T) {
	day := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
	got := Parse([]byte("## Timeline\n\n- 2:15pm PT — cert expired\n- 4:30pm PT — deployed\n"), day, time.UTC)
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2: %+v", len(got), got)
	}
	if want := time.Date(2024, 5, 2, 21, 15, 0, 0, time.UTC); !got[0].Time.Equal(want) || got[0].Time.Location().String() != "America/Los_Angeles" {
		t.Errorf("first entry at %v, want %v in America/Los_Angeles", got[0].Time, want)
	}
	if got[0].Text != "cert expired" {
		t.Errorf("first entry's text %q, want %q", got[0].Text, "cert expired")
	}
}

// TestLateLineFromTheDayBefore: a line noted late, from before midnight,
// below one from after it, is on the day before, out of order; the lines
// after it are not moved a day later.
func TestLateLineFromTheDayBefore(t *testing.T) {
	day := time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)
	got := Parse([]byte("## Timeline\n\n- 23:40 Paged\n- 23:52 Rolled back\n- 0:05 Still failing\n- 23:58 (noted late) Failover started\n- 0:35 Recovered\n- 1:10 All clear\n"), day, time.UTC)
	var times []string
	for _, e := range got {
		times = append(times, e.Time.Format("02 15:04"))
	}
	want := "03 23:40, 03 23:52, 04 00:05, 03 23:58, 04 00:35, 04 01:10"
	if strings.Join(times, ", ") != want {
		t.Errorf("times %s, want %s", strings.Join(times, ", "), want)
	}
	// A later line, undated, less than a day less LateNote after the one
	// above (17 h 30 min) is not moved.
	got = Parse([]byte("## Timeline\n\n- 01:00 Paged\n- 18:30 Fixed\n"), day, time.UTC)
	if len(got) != 2 || got[1].Time.Day() != 3 {
		t.Errorf("18:30 after 01:00 moved: %+v", got)
	}
}

// TestZoneColumn: a table's column of zones gives each row's time its zone.
func TestZoneColumn(t *testing.T) {
	day := time.Date(2026, 11, 18, 0, 0, 0, 0, time.UTC)
	got := Parse([]byte("## Timeline\n\n| Time | Zone | Event |\n|------|------|-------|\n| 14:00 | CET | Failover started |\n| 14:20 | CET | Replica warm |\n"), day, time.UTC)
	if len(got) != 2 {
		t.Fatalf("%d entries, want 2: %+v", len(got), got)
	}
	if want := time.Date(2026, 11, 18, 13, 0, 0, 0, time.UTC); !got[0].Time.Equal(want) || got[0].Text != "Failover started" {
		t.Errorf("first entry %v %q, want %v and the event alone", got[0].Time, got[0].Text, want)
	}
}

// TestNamedDayYear: a day written with its month's name and without its
// year is in the incident's year, or the one after or before it when
// that puts it nearer, across New Year; it is an entry with its date,
// never moved a day, and the undated entries after it are on its day.
func TestNamedDayYear(t *testing.T) {
	for _, tc := range []struct {
		name, day, body, want string
	}{
		{"the incident's year", "2023-10-25", "- 25 Oct 09:58 a\n- Oct 24 22:00 b\n- 23:50 c\n", "2023-10-25 09:58, 2023-10-24 22:00, 2023-10-24 23:50"},
		{"after New Year, the next", "2023-12-31", "- 31 Dec 23:50 a\n- 1 Jan 00:10 b\n- 00:20 c\n", "2023-12-31 23:50, 2024-01-01 00:10, 2024-01-01 00:20"},
		{"the first entry after New Year", "2023-12-31", "- Jan 1, 00:10 a\n", "2024-01-01 00:10"},
		{"before New Year, the one before", "2024-01-02", "- 30 Dec 22:00 deploy\n- 2 Jan 09:00 paged\n", "2023-12-30 22:00, 2024-01-02 09:00"},
		{"a year written wins", "2023-12-31", "- 1 Jan 2023 00:10 a\n", "2023-01-01 00:10"},
		{"a leap day", "2024-03-01", "- 29 Feb 23:00 a\n", "2024-02-29 23:00"},
		{"a leap day in the year after", "2023-12-01", "- 29 Feb 23:00 a\n", "2024-02-29 23:00"},
		{"a day its month does not have", "2023-03-01", "- 29 Feb 23:00 no\n- 30 Apr 10:00 a\n", "2023-04-30 10:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, _ := time.ParseInLocation(time.DateOnly, tc.day, paris)
			var got []string
			for _, e := range Parse([]byte("## Timeline\n"+tc.body), d, paris) {
				got = append(got, e.Time.In(paris).Format("2006-01-02 15:04"))
			}
			if strings.Join(got, ", ") != tc.want {
				t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), tc.want)
			}
		})
	}
}

// TestNamedDayDated: an entry that names its day gives its date, as one
// written 2023-10-25 does, and is never rolled; without its year, it
// gives none while the year is not known (the zero day, as the search for
// an incident's day gives), and is no entry then.
func TestNamedDayDated(t *testing.T) {
	body := []byte("## Timeline\n- 24 Oct 23:50 a\n- 00:10 b\n- 25 Oct 2023 00:05 c\n- 12/Jan/23 08:15 AM d\n")
	var got []string
	for _, e := range Parse(body, time.Date(2023, 10, 24, 0, 0, 0, 0, time.UTC), time.UTC) {
		got = append(got, fmt.Sprintf("%s %s dated=%v rolled=%v", e.Time.Format("2006-01-02 15:04"), e.Text, e.Dated, e.Rolled))
	}
	want := "2023-10-24 23:50 a dated=true rolled=false, 2023-10-25 00:10 b dated=false rolled=true, 2023-10-25 00:05 c dated=true rolled=false, 2023-01-12 08:15 d dated=true rolled=false"
	if strings.Join(got, ", ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, ", "), want)
	}
	got = nil
	for _, e := range Parse(body, time.Time{}, time.UTC) {
		got = append(got, fmt.Sprintf("%s %s dated=%v", e.Time.Format("2006-01-02 15:04"), e.Text, e.Dated))
	}
	if want := "0001-01-01 00:10 b dated=false, 2023-10-25 00:05 c dated=true, 2023-01-12 08:15 d dated=true"; strings.Join(got, ", ") != want {
		t.Errorf("on the zero day, got  %s\nwant %s", strings.Join(got, ", "), want)
	}
	if at, dated, ok := At("Oct 25, 2023 9:58 pm EDT", time.Time{}, time.UTC); !ok || !dated || !at.Equal(time.Date(2023, 10, 26, 1, 58, 0, 0, time.UTC)) {
		t.Errorf("At read %v, dated %v, ok %v", at, dated, ok)
	}
}

// TestFootnoteReferencesLeftOut: an entry reads without its references to
// the body's footnotes, which the drawn timeline would show as written;
// a bracket that names no footnote ("[^0-9]") is text.
func TestFootnoteReferencesLeftOut(t *testing.T) {
	day := time.Date(2023, 2, 9, 0, 0, 0, 0, time.UTC)
	got := Parse([]byte("## Timeline\n\n- 10:25 The DS record still carries the old key tag[^keytag].\n- 10:40 grep '[^0-9]' found the bad lines\n\n[^keytag]: A short number derived from a DNSSEC key.\n"), day, time.UTC)
	var texts []string
	for _, e := range got {
		texts = append(texts, e.Text)
	}
	want := []string{"The DS record still carries the old key tag.", "grep '[^0-9]' found the bad lines"}
	if !slices.Equal(texts, want) {
		t.Errorf("texts %q, want %q", texts, want)
	}
}
