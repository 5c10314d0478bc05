package timeline

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// The regular expressions that lineReader, isFence and heading replace;
// durationValues, maySpan, mayUntil, mayState, mayParen and mayNameDay
// short-cut others.
var (
	headingRE = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$`)
	fenceRE   = regexp.MustCompile("^ {0,3}(?:```|~~~)")
)

// FuzzFastPaths checks that the hand-written readers of lines agree with
// the regular expressions they stand for, on any text.
func FuzzFastPaths(f *testing.F) {
	for _, s := range []string{
		seedBody, corpusBody, durationBody, "", "\n", "a\n\nb", "a\r\nb\r\n",
		"#", "#######", "######## x", "#x", "   # x", "    # x", "## x ##", "## x#", "# C# #", "## #", "#\t\tx\t#\t", "  ###   ", "# x \\#",
		"```", "   ~~~go", "    ```", "``", " \t```", "~~~~",
		"Duration: 08:00 - 09:00\r\n", "| Duration | 1 |\n> **duration**: x", "DURATION: a\n  dUrAtIoN| b", " - _duration_ :", "duration:", "xduration: a", "# saturation: 1",
		"8:00-9:00", "1:2 - 3:45", "08:00 to 09:00", "Aug 6, 2023, 10:00 AM EDT until 1:15 PM PDT", "08:00 UTC", ":00 - 1:00",
		" — 11:30 x", "\t-- 1:30", "-x", "–\f\r1:00", "\f- 10:00", "- — 10:00", "—",
		"25 Oct 09:58", "Oct 25, 09:58", "25th October 2023, at 09:58", "12/Jan/23 08:15 AM", "ſep 3", "3ſt Sep", "Sept. 3", "3 oct.", "1 Mayday", "1\tjan",
		"All times in CET", "TIMEſ in CET", "Time zone: EST", "timezone is UTC", "time \t zone: EST", "Timestamps shown in UTC+2", "timeline (UTC)", "( wat )", ")(utc", "(UTC",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want [][]byte
		for _, m := range durationLineRE.FindAllSubmatch([]byte(s), -1) {
			want = append(want, m[1])
		}
		var got [][]byte
		for n, v := range durationValues([]byte(s)) {
			got = append(got, v)
			// The line given is the one the value is on.
			if lines := strings.Split(s, "\n"); n < 1 || n > len(lines) || !strings.Contains(lines[n-1], string(v)) {
				t.Fatalf("durationValues(%q): value %q given on line %d", s, v, n)
			}
		}
		if len(got) != len(want) {
			t.Fatalf("durationValues(%q) = %q, want %q", s, got, want)
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("durationValues(%q) = %q, want %q", s, got, want)
			}
		}
		r := lineReader{text: s}
		for i, l := range strings.Split(s, "\n") {
			if got, n, ok := r.read(); !ok || n != i || got != l {
				t.Fatalf("line %d of %q: read %q, %d, %v; want %q", i, s, got, n, ok, l)
			}
			if got, want := isFence(l), fenceRE.MatchString(l); got != want {
				t.Errorf("isFence(%q) = %v, want %v", l, got, want)
			}
			m := headingRE.FindStringSubmatch(l)
			if n, text, ok := heading(l); ok != (m != nil) || ok && (n != len(m[1]) || text != m[2]) {
				t.Errorf("heading(%q) = %d, %q, %v; want %q", l, n, text, ok, m)
			}
			if spanRE.MatchString(l) && !maySpan(l) {
				t.Errorf("maySpan(%q) is false, but spanRE matches", l)
			}
			if untilRE.MatchString(l) && strings.ContainsRune("-–—", firstRune(strings.TrimLeft(l, " \t"))) && !mayUntil(l) {
				t.Errorf("mayUntil(%q) is false, but untilRE matches after a dash", l)
			}
			if statedRE.MatchString(l) && !mayState(l) {
				t.Errorf("mayState(%q) is false, but statedRE matches", l)
			}
			if parenRE.MatchString(l) && !mayParen(l) {
				t.Errorf("mayParen(%q) is false, but parenRE matches", l)
			}
			if dayRE.MatchString(l) && !mayNameDay(l) {
				t.Errorf("mayNameDay(%q) is false, but dayRE matches", l)
			}
		}
		if l, n, ok := r.read(); ok {
			t.Fatalf("read %q, %d after the last line of %q", l, n, s)
		}
	})
}
