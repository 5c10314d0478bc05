package render

import (
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/timeline"
)

// TestDrawnTimelineOutOfOrder: an entry written above an earlier one is
// drawn at its place from the earliest entry, as the incident's start is
// read, not from the first line written.
func TestDrawnTimelineOutOfOrder(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2024, 5, 1, h, m, 0, 0, time.UTC) }
	words := config.Default().Labels
	got := drawTimeline([]timeline.Entry{{Time: at(10, 30), Text: "Rollback finished"}, {Time: at(10, 2), Text: "Deploy starts"}, {Time: at(10, 9), Text: "Alert"}}, time.Time{}, time.UTC, words)
	want := []struct {
		offset  string
		percent int
	}{{"+28 min", 100}, {"+0 min", 0}, {"+7 min", 25}}
	for i, w := range want {
		if got[i].Offset != w.offset || got[i].Percent != w.percent {
			t.Errorf("entry %d: %s at %d %%, want %s at %d %%", i, got[i].Offset, got[i].Percent, w.offset, w.percent)
		}
	}
}

// TestOffsetsFromTheStart: offsets count from the incident's start, not
// from the deploy of its lead-up that the timeline opens with, so that the
// resolution's is the duration the page states; the lead-up's is negative.
// The entries are still drawn from the first to the last.
func TestOffsetsFromTheStart(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2024, 5, 14, h, m, 0, 0, time.UTC) }
	words := config.Default().Labels
	got := drawTimeline([]timeline.Entry{{Time: at(7, 58), Text: "Deploy"}, {Time: at(8, 2), Text: "Errors start"}, {Time: at(8, 49), Text: "Resolved"}}, at(8, 2), time.UTC, words)
	want := []struct {
		offset  string
		percent int
	}{{"−4 min", 0}, {"+0 min", 7}, {"+47 min", 100}}
	for i, w := range want {
		if got[i].Offset != w.offset || got[i].Percent != w.percent {
			t.Errorf("entry %d: %s at %d %%, want %s at %d %%", i, got[i].Offset, got[i].Percent, w.offset, w.percent)
		}
	}
}
