package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	wat   = time.FixedZone("WAT", 3600)
	day   = time.Date(2023, 8, 6, 0, 0, 0, 0, time.UTC)
	lagos = mustLoad("Africa/Lagos")
)

func mustLoad(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

func format(entries []Entry) string {
	var b strings.Builder
	for _, e := range entries {
		fmt.Fprintf(&b, "%d %s %s\n", e.Line, e.Time.UTC().Format("2006-01-02T15:04:05Z"), e.Text)
	}
	return b.String()
}

func TestParse(t *testing.T) {
	tests := []struct {
		name, body string
		loc        *time.Location
		want       string
	}{
		{name: "seed style: plain heading, indented lines, AM/PM, zone from the Duration line",
			body: "Issue Summary:\nDuration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat)\n\nTimeline:\n\n    08:00 AM: Alert on server errors.\n\n    08:05 AM: On-call paged.\n\n    11:30 AM: Change reverted.\n\nRoot Cause and Resolution: a bad setting.\n\n    12:00 PM: not a timeline line.\n",
			loc:  time.UTC,
			want: "6 2023-08-06T07:00:00Z Alert on server errors.\n8 2023-08-06T07:05:00Z On-call paged.\n10 2023-08-06T10:30:00Z Change reverted.\n"},
		{name: "list with dashes and the postmortem's zone",
			body: "## Timeline\n\n- 14:02 — Deploy starts\n- 14:05 - Errors rise\n* 14:07: Rollback\n1. 8:05pm – Closed\n\n## Root cause\n- 15:00 not here\n",
			loc:  lagos,
			want: "3 2023-08-06T13:02:00Z Deploy starts\n4 2023-08-06T13:05:00Z Errors rise\n5 2023-08-06T13:07:00Z Rollback\n6 2023-08-06T19:05:00Z Closed\n"},
		{name: "all times in CET, rolling past midnight",
			body: "### Timeline\n\nAll times in CET.\n\n- 23:50 Queue grows\n- 00:10 Pages fire\n- 01:00 Recovered\n",
			loc:  time.UTC,
			want: "5 2023-08-06T22:50:00Z Queue grows\n6 2023-08-06T23:10:00Z Pages fire\n7 2023-08-07T00:00:00Z Recovered\n"},
		{name: "table with the zone in the header",
			body: "## Timeline\n\n| Time (UTC) | Event |\n| --- | --- |\n| 2020-02-03 11:21 | CoreDNS pods crash-looping |\n| 11:40 | Rolled back | extra |\n",
			loc:  lagos,
			want: "5 2020-02-03T11:21:00Z CoreDNS pods crash-looping\n6 2020-02-03T11:40:00Z Rolled back | extra\n"},
		{name: "full timestamps with zones",
			body: "## Timeline (UTC)\n\n- 2024-11-02 23:50 UTC — Resolver latency rises\n- 2024-11-03T00:20:00Z Paged\n- **2024-11-03 01:05 CET**: Fixed\n- `02:00` Closed\n",
			loc:  lagos,
			want: "3 2024-11-02T23:50:00Z Resolver latency rises\n4 2024-11-03T00:20:00Z Paged\n5 2024-11-03T00:05:00Z Fixed\n6 2024-11-03T02:00:00Z Closed\n"},
		{name: "entry zone and seconds", body: "# Timeline\n- 08:00:30 PDT started\n- 11:15 a.m. EST noticed\n", loc: time.UTC,
			want: "2 2023-08-06T15:00:30Z started\n3 2023-08-06T16:15:00Z noticed\n"},
		{name: "numeric offsets", body: "## Timeline\nAll times are UTC+05:30\n- 10:00 x\n- 10:30 +01:00 y\n", loc: time.UTC,
			want: "3 2023-08-06T04:30:00Z x\n4 2023-08-06T09:30:00Z y\n"},
		{name: "no section", body: "- 08:00 an item\n", loc: time.UTC, want: ""},
		{name: "nonsense times are not entries", body: "## Timeline\n- 25:00 no\n- 13:00 PM no\n- 10:305 no\n- 1:2 no\n- 10:30am yes\n", loc: time.UTC,
			want: "6 2023-08-06T10:30:00Z yes\n"},
		{name: "word after the time is text, not a zone", body: "## Timeline\n- 10:00 DNS fails\n- 10:05 Alerts fire\n", loc: time.UTC,
			want: "2 2023-08-06T10:00:00Z DNS fails\n3 2023-08-06T10:05:00Z Alerts fire\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, tc.loc)
			if got := format(Parse([]byte(tc.body), d, tc.loc)); got != tc.want {
				t.Errorf("got:\n%swant:\n%s", got, tc.want)
			}
		})
	}
}

func TestParseDuration(t *testing.T) {
	tests := []struct {
		body       string
		start, end string // UTC; "" when not ok
	}{
		{"Duration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat) \n", "2023-08-06T07:00:00Z", "2023-08-06T10:30:00Z"},
		{"**Duration:** 2023-08-06 08:00 - 11:30 UTC", "2023-08-06T08:00:00Z", "2023-08-06T11:30:00Z"},
		{"Duration: 23:10–00:40 CET", "2023-08-06T22:10:00Z", "2023-08-06T23:40:00Z"},
		{"Duration: 6 Aug 2023 10:00 to 7 Aug 2023 09:00", "2023-08-06T10:00:00Z", "2023-08-07T09:00:00Z"},
		{"Duration: 08:00 AM - 11:30 AM", "2023-08-06T08:00:00Z", "2023-08-06T11:30:00Z"},
		{"Duration: about three hours", "", ""},
		{"Duration: August 7, 2023, 08:00 - August 6, 2023, 07:00", "", ""},
		{"No duration here", "", ""},
	}
	for _, tc := range tests {
		s, e, ok := ParseDuration([]byte(tc.body), day, time.UTC)
		if tc.start == "" {
			if ok {
				t.Errorf("%q: got %v - %v, want nothing", tc.body, s, e)
			}
			continue
		}
		if !ok || s.UTC().Format(time.RFC3339) != tc.start || e.UTC().Format(time.RFC3339) != tc.end {
			t.Errorf("%q: got %v - %v (%v), want %s - %s", tc.body, s.UTC(), e.UTC(), ok, tc.start, tc.end)
		}
	}
}

func TestZone(t *testing.T) {
	for name, want := range map[string]int{"wat": 3600, "UTC": 0, "Z": 0, "CEST": 7200, "UTC+1": 3600, "+05:30": 19800, "GMT-3": -10800, "IST": 19800} {
		z := Zone(name)
		if z == nil {
			t.Errorf("Zone(%q) = nil", name)
			continue
		}
		if _, off := time.Date(2023, 1, 1, 0, 0, 0, 0, z).Zone(); off != want {
			t.Errorf("Zone(%q) offset %d, want %d", name, off, want)
		}
	}
	for _, name := range []string{"DNS", "Alert", "+25:00", ""} {
		if Zone(name) != nil {
			t.Errorf("Zone(%q) is not nil", name)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"## Timeline\n- 08:00 a\n- 07:00 b\n",
		"Timeline:\n    08:00 AM: x\n    11:30 PM: y\n",
		"## Timeline\n| 2020-02-03 11:21 | x |\n| 11:40 | y |\n",
		"# Timeline (CET)\n- 2024-11-02 23:50 UTC — a\n- 00:10 b\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, body string) {
		entries := Parse([]byte(body), day, time.UTC)
		var prev time.Time
		for _, e := range entries {
			if e.Line < 1 || e.Line > strings.Count(body, "\n")+1 {
				t.Fatalf("line %d out of range", e.Line)
			}
			// Undated entries never go back in time; only a written date can.
			if !prev.IsZero() && e.Time.Before(prev) && !strings.Contains(body, "-") {
				t.Fatalf("entry at line %d goes back in time: %v after %v", e.Line, e.Time, prev)
			}
			prev = e.Time
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	f.Add("Duration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat)")
	f.Add("Duration: 23:10–00:40 CET")
	f.Fuzz(func(t *testing.T, body string) {
		s, e, ok := ParseDuration([]byte(body), day, time.UTC)
		if ok && e.Before(s) {
			t.Fatalf("end %v before start %v", e, s)
		}
	})
}
