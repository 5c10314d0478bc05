package timeline

import "testing"

// TestStatesZone: a line that gives only the zone of the times is told
// from one that says more.
func TestStatesZone(t *testing.T) {
	for line, want := range map[string]bool{
		"All times in CET.":                      true,
		"*(Times are UTC)*":                      true,
		"Time zone: UTC":                         true,
		"All times in CET, except the graphs.":   false,
		"The deploy went out at 14:00 UTC.":      false,
		"Times below are in PDT unless noted":    false,
		"All times in the local time of the DC.": false,
	} {
		if got := StatesZone(line); got != want {
			t.Errorf("StatesZone(%q) = %v, want %v", line, got, want)
		}
	}
}
