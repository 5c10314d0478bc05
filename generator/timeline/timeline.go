// Package timeline reads the timeline of a postmortem out of its Markdown
// body: the list items, indented lines or table rows of its Timeline section
// that start with a time, and a free-form "Duration:" line.
package timeline

import (
	"regexp"
	"strings"
	"time"
)

// Entry is one timed line of a timeline.
type Entry struct {
	Time time.Time // absolute instant
	Text string    // the text after the time, trimmed
	Line int       // 1-based line within the body given to Parse
}

var (
	headingRE = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+(.*?))?[ \t]*#*[ \t]*$`)
	// titleRE is the text of a heading that opens the section: "Timeline",
	// "Incident timeline:", "**Timeline** (UTC)", "Chronology".
	titleRE = regexp.MustCompile(`(?i)^(?:\*\*|__)?(?:(?:[a-z]+\s+){0,2}timeline|chronology)\b`)
	// plainHeadRE is the title written as a line of its own: "Timeline:".
	plainHeadRE = regexp.MustCompile(`(?i)^\s*(?:\*\*|__)?(?:(?:[a-z]+\s+){0,2}timeline|chronology)(?:\s*\([^)]*\))?\s*:?\s*(?:\*\*|__)?\s*:?\s*$`)
	listMarkRE  = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?`)
	fenceRE     = regexp.MustCompile("^ {0,3}(?:```|~~~)")
)

// Parse finds the timeline section of body and returns its entries in order.
// day is the incident day, at midnight in loc, the postmortem's zone. Times
// without a date take day; a time earlier than the one before it rolls to
// the next day. A zone named on the entry wins, then one stated for the
// whole timeline ("All times in CET", "Time (UTC)", a "(WAT)" on the
// Duration line), then loc.
func Parse(body []byte, day time.Time, loc *time.Location) []Entry {
	if loc == nil {
		loc = day.Location()
	}
	lines := strings.Split(string(body), "\n")
	start, level, zone := findSection(lines, loc)
	if start < 0 {
		return nil
	}
	var (
		entries []Entry
		prev    time.Time
		fenced  bool
		joined  = -1 // the line a continuation would join the last entry on
	)
	for i := start + 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if fenceRE.MatchString(l) {
			fenced = !fenced
			continue
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		if !fenced && isHeading(l) {
			if m := headingRE.FindStringSubmatch(l); level == 0 || len(m[1]) <= level {
				break
			}
		}
		text, kind := entryText(l, level, fenced)
		base := day // undated times are on the day of the entry before them
		if !prev.IsZero() {
			p := prev.In(zone)
			base = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, zone)
		}
		t, rest, dated, ok := stamp(text, base, zone)
		if ok && rest == "" {
			continue // a time with nothing to say
		}
		if !ok {
			z := zoneHint(l)
			if z != nil {
				zone = z
			}
			// A plain "Timeline:" section ends at the first unindented
			// line that is not an entry, once it has entries.
			if level == 0 && !fenced && kind == plain && !startsIndented(l) && (len(entries) > 0 || z == nil) {
				break
			}
			// A line right below an entry, not a list item or table row
			// of its own, continues the entry's text.
			if i == joined && kind == plain && z == nil && !strings.HasPrefix(strings.TrimSpace(l), "#") {
				n := len(entries) - 1
				entries[n].Text += " " + strings.TrimSpace(l)
				joined = i + 1
			}
			continue
		}
		for k := 0; !dated && k < 4 && t.Before(prev); k++ {
			t = t.AddDate(0, 0, 1) // past midnight
		}
		prev = t
		entries = append(entries, Entry{Time: t, Text: rest, Line: i + 1})
		joined = i + 1
	}
	return entries
}

// findSection returns the index of the line that opens the timeline
// section, the level of its heading (0 for a plain "Timeline:" line) and the
// zone last stated before it, or loc. It returns -1 when there is none.
func findSection(lines []string, loc *time.Location) (start, level int, zone *time.Location) {
	zone = loc
	fenced := false
	for i, l := range lines {
		if fenceRE.MatchString(l) {
			fenced = !fenced
			continue
		}
		if z := zoneHint(l); z != nil {
			zone = z
		}
		if fenced || !mentionsTitle(l) {
			continue // the regular expressions below are costly, and most lines are no title
		}
		if isHeading(l) {
			if m := headingRE.FindStringSubmatch(l); m != nil && titleRE.MatchString(m[2]) {
				return i, len(m[1]), zone
			}
			continue
		}
		if plainHeadRE.MatchString(l) {
			if i+1 < len(lines) && isUnderline(lines[i+1]) {
				i++ // a Setext heading: the section starts below the line
			}
			return i, 0, zone
		}
	}
	return -1, 0, zone
}

// mentionsTitle is a quick test for a line that may open the section.
func mentionsTitle(l string) bool {
	return strings.Contains(l, "imeline") || strings.Contains(l, "IMELINE") ||
		strings.Contains(l, "hronolog") || strings.Contains(l, "HRONOLOG")
}

// isHeading reports whether l is an ATX heading line.
func isHeading(l string) bool {
	t := strings.TrimLeft(l, " ")
	return len(l)-len(t) <= 3 && strings.HasPrefix(t, "#") && headingRE.MatchString(l)
}

// isUnderline reports whether l underlines a Setext heading: "=====",
// "-----".
func isUnderline(l string) bool {
	t := strings.TrimSpace(l)
	return len(t) >= 2 && (strings.Trim(t, "=") == "" || strings.Trim(t, "-") == "")
}

func startsIndented(l string) bool { return strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") }

// Kinds of line in the section.
const (
	plain = iota
	listItem
	tableRow
	subHeading
)

// entryText returns the text of line l to read a time from, and what kind
// of line it is. It strips a list marker or the marks of a heading below
// the section's level ("### 10:02 UTC Paged"), and takes a table row apart:
// "| 2020-02-03 11:21 | CoreDNS down |" and "| 2020-02-03 | 11:21 | CoreDNS
// down |" both read as "2020-02-03 11:21 | CoreDNS down".
func entryText(l string, level int, fenced bool) (string, int) {
	t := strings.TrimSpace(l)
	switch {
	case fenced:
		return t, plain
	case strings.HasPrefix(t, "|"):
		cells := strings.Split(strings.Trim(t, "|"), "|")
		var kept []string
		for _, c := range cells {
			if c = strings.TrimSpace(c); c != "" {
				kept = append(kept, c)
			}
		}
		if len(kept) < 2 {
			return "", tableRow
		}
		if len(kept) > 2 && isDate(kept[0]) {
			kept = append([]string{kept[0] + " " + strings.Trim(kept[1], openers+closers)}, kept[2:]...)
		}
		return kept[0] + " | " + strings.Join(kept[1:], " | "), tableRow
	case strings.HasPrefix(t, "#"):
		if m := headingRE.FindStringSubmatch(l); m != nil && level > 0 && len(m[1]) > level {
			return m[2], subHeading
		}
		return t, plain
	}
	if mark := listMarkRE.FindString(l); mark != "" {
		return strings.TrimSpace(l[len(mark):]), listItem
	}
	return t, plain
}

var dateRE = regexp.MustCompile(`^\d{4}[-/]\d{2}[-/]\d{2}$`)

func isDate(s string) bool { return dateRE.MatchString(strings.Trim(s, openers+closers)) }
