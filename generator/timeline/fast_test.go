package timeline

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzFastPaths checks that the quick tests agree with the regular
// expressions they short-cut, on any text.
func FuzzFastPaths(f *testing.F) {
	for _, s := range []string{
		seedBody, corpusBody, durationBody, "", "\n", "a\n\nb", "a\r\nb\r\n",
		"Duration: 08:00 - 09:00\r\n", "| Duration | 1 |\n> **duration**: x", "DURATION: a\n  dUrAtIoN| b", " - _duration_ :", "duration:", "xduration: a", "# saturation: 1",
		"8:00-9:00", "1:2 - 3:45", "08:00 to 09:00", "Aug 6, 2023, 10:00 AM EDT until 1:15 PM PDT", "08:00 UTC", ":00 - 1:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want [][]byte
		for _, m := range durationLineRE.FindAllSubmatch([]byte(s), -1) {
			want = append(want, m[1])
		}
		var got [][]byte
		for v := range durationValues([]byte(s)) {
			got = append(got, v)
		}
		if len(got) != len(want) {
			t.Fatalf("durationValues(%q) = %q, want %q", s, got, want)
		}
		for i := range got {
			if !bytes.Equal(got[i], want[i]) {
				t.Fatalf("durationValues(%q) = %q, want %q", s, got, want)
			}
		}
		for _, l := range strings.Split(s, "\n") {
			if spanRE.MatchString(l) && !maySpan(l) {
				t.Errorf("maySpan(%q) is false, but spanRE matches", l)
			}
		}
	})
}
