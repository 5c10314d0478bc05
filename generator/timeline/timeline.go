// Package timeline reads the timeline of a postmortem out of its Markdown body:
// list items, indented lines or table rows that start with a time.
package timeline

import "time"

// Entry is one timed line of a timeline.
type Entry struct {
	Time time.Time // absolute instant
	Text string    // the text after the time, trimmed
	Line int       // 1-based line within the body given to Parse
}

// Parse finds the timeline section of body and returns its entries in order.
// TODO(timeline helper): implement.
func Parse(body []byte, day time.Time, loc *time.Location) []Entry { return nil }

// ParseDuration reads a free-form span such as
// "Duration: August 6, 2023, 08:00 AM - August 6, 2023, 11:30 AM (wat)".
// TODO(timeline helper): implement.
func ParseDuration(body []byte, day time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	return time.Time{}, time.Time{}, false
}
