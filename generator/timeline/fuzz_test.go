package timeline

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// datedRE is a date written in a line: "2023-08-06", "6 Aug", "Aug 6",
// "06/Aug/23".
var datedRE = regexp.MustCompile(`(?i)\d{4}[-/]\d{2}[-/]\d{2}|\d[\s/]+` + monthWord + `|` + monthWord + `\.?\s+\d`)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		seedBody,
		"## Timeline\n- 08:00 a\n- 07:00 b\n",
		"Timeline:\n    08:00 AM: x\n    11:30 PM: y\n",
		"## Timeline\n| 2020-02-03 11:21 | x |\n| 11:40 | y |\n",
		"## Timeline\n| Date | Time | Event |\n| 2020-02-03 | 23:55 | x |\n",
		"# Timeline (CET)\n- 2024-11-02 23:50 UTC — a\n- 00:10 b\n",
		"## Timeline\nAll times are UTC+14\n- 23:00 a\n- 00:00 -12:00 b\n- **00:01 (PDT)** c\n",
		"Timeline\n```\n# x\n10:00-11:00 a\n```\n",
		"## Timeline\n- 26 Mar 10:00 a\n- Mar 25, 09:00 b\n- 12/Jan/23 08:15 AM c\n- 00:10 d\n",
	} {
		f.Add(s, uint8(0))
	}
	zones := []*time.Location{time.UTC, lagos, paris, mustLoad("America/St_Johns"), mustLoad("Pacific/Kiritimati")}
	f.Fuzz(func(t *testing.T, body string, z uint8) {
		loc := zones[int(z)%len(zones)]
		d := time.Date(2023, 3, 26, 0, 0, 0, 0, loc) // a summer-time change in Europe
		entries := Parse([]byte(body), d, loc)
		lines := strings.Split(body, "\n")
		for i, e := range entries {
			if e.Line < 1 || e.Line > len(lines) {
				t.Fatalf("line %d out of range", e.Line)
			}
			if e.Text == "" {
				t.Fatalf("entry at line %d has no text", e.Line)
			}
			// Undated entries go back in time by OutOfOrder at most; only a
			// written date goes further.
			if i > 0 && entries[i-1].Time.Sub(e.Time) > OutOfOrder && !datedRE.MatchString(lines[e.Line-1]) {
				t.Fatalf("entry at line %d goes back in time: %v after %v", e.Line, e.Time, entries[i-1].Time)
			}
		}
	})
}

func FuzzParseDuration(f *testing.F) {
	f.Add("Duration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat)")
	f.Add("Duration: 23:10–00:40 CET")
	f.Add("| Duration | 2023-08-06T08:00Z - 11:00 +14:00 |")
	f.Fuzz(func(t *testing.T, body string) {
		s, e, ok := ParseDuration([]byte(body), day, time.UTC)
		if ok && e.Before(s) {
			t.Fatalf("end %v before start %v", e, s)
		}
		if !ok && (!s.IsZero() || !e.IsZero()) {
			t.Fatalf("not ok but got %v - %v", s, e)
		}
	})
}
