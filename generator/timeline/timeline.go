// Package timeline reads the timeline of a postmortem out of its Markdown
// body: the list items, indented lines or table rows of its Timeline section
// that start with a time, and a free-form "Duration:" line.
package timeline

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"time"
)

// Entry is one timed line of a timeline.
type Entry struct {
	_    [0]func() // not comparable: eq in a template would compare Line
	Time time.Time // absolute instant
	Text string    // the text after the time, trimmed
	Line int       // 1-based line within the body given to Parse
	// Rolled tells that the entry had no date and a clock time more than
	// OutOfOrder earlier than the entry above, so it was read as on a
	// later day.
	Rolled bool
	// Dated tells that the entry gave its date ("2020-02-03 11:21").
	Dated bool
	// Skipped tells that the clock time written does not exist in its
	// zone that day, as the clocks skip it going forward: Time is as long
	// after the skip (see InZone).
	Skipped bool
}

// String returns the entry's time, as RFC 3339, and its text: what a
// template shows of an entry printed whole, without its line.
func (e Entry) String() string { return e.Time.Format(time.RFC3339) + " " + e.Text }

// MarshalJSON writes the entry as encoding/json would, without its line:
// what a template writes of it into a script.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Time          time.Time
		Text          string
		Rolled, Dated bool
	}{e.Time, e.Text, e.Rolled, e.Dated})
}

var (
	// titleRE is the text of a heading that opens the section: "Timeline",
	// "Incident timeline:", "**Timeline** (UTC)", "Chronology".
	titleRE = regexp.MustCompile(`(?i)^(?:\*\*|__)?(?:(?:[a-z]+\s+){0,2}timeline|chronology)\b`)
	// plainHeadRE is the title written as a line of its own: "Timeline:".
	plainHeadRE = regexp.MustCompile(`(?i)^\s*(?:\*\*|__)?(?:(?:[a-z]+\s+){0,2}timeline|chronology)(?:\s*\([^)]*\))?\s*:?\s*(?:\*\*|__)?\s*:?\s*$`)
	listMarkRE  = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?`)
)

// Parse finds the timeline section of body and returns its entries in order.
// day is the incident day, at midnight in loc, the postmortem's zone. Times
// without a date take day; a time more than OutOfOrder earlier than the
// one before it rolls to the next day (past midnight), and one less
// earlier is a line out of order, left on its day; one less than LateNote
// short of a day later is a line out of order from the day before
// ("00:05", then "23:58", noted late). A zone named on the entry wins, then one stated for the
// whole timeline ("All times in CET", "Time (UTC)", a "(WAT)" on the
// Duration line), then loc.
func Parse(body []byte, day time.Time, loc *time.Location) []Entry {
	entries, _, _ := ParseStated(body, day, loc)
	return entries
}

// OutOfOrder is how much earlier than the entry above an entry without a
// date may be and still be read on the day of that entry, as a line out of
// order ("10:10 Rolled back", then "09:55 Config merged", noted later):
// further back, it is read as past midnight ("23:50", then "00:20").
const OutOfOrder = 6 * time.Hour

// LateNote is how much earlier than the entry above, across midnight, an
// entry without a date may be and still be read as on the day before, a
// line out of order ("00:05 Still failing", then "23:58 Failover
// started", noted late), rather than as nearly a day later: further back,
// it is read on the day of the entry above ("00:10", then "22:00 Still
// degraded", that evening).
const LateNote = time.Hour

// Span returns the earliest and the latest time of entries, whose lines
// may be out of order (see OutOfOrder); zero times for none.
func Span(entries []Entry) (first, last time.Time) {
	for i, e := range entries {
		if i == 0 || e.Time.Before(first) {
			first = e.Time
		}
		if i == 0 || e.Time.After(last) {
			last = e.Time
		}
	}
	return first, last
}

// Misread is a line of the timeline section that starts with a time that
// is not read as one, "25:00", "2023-02-30 10:00" or "9.35": it is no
// entry.
type Misread struct {
	Line int    // 1-based line within the body given to ParseStated
	Col  int    // 1-based byte column of the time in the line
	Time string // the time as written
}

// ParseStated is Parse, and returns too the zone body states for its
// times before its timeline section ends ("All times in CET", a "(WAT)" on
// the Duration line, "Time (UTC)" in a table's head), the last one above
// the section if any, else the first one in it; nil when it states none;
// and the lines of the section that start with a time not read as one.
func ParseStated(body []byte, day time.Time, loc *time.Location) ([]Entry, *time.Location, []Misread) {
	if loc == nil {
		loc = day.Location()
	}
	lines := &lineReader{text: string(body)}
	level, zone, found := findSection(lines, nil)
	stated := zone
	if zone == nil {
		zone = loc
	}
	if !found {
		return nil, stated, nil
	}
	var (
		misread []Misread
		entries []Entry
		prev    time.Time
		fenced  bool
		quoted  bool // in a code block after the entries
		joined  = -1 // the line a continuation would join the last entry on
	)
	for {
		l, i, ok := lines.read()
		if !ok {
			break
		}
		l = strings.TrimRight(l, " \t\r")
		if isFence(l) {
			// A code block is the timeline written as one, unless the
			// section has entries already: then it quotes logs, whose
			// times are not the incident's steps.
			fenced, quoted = !fenced, !fenced && len(entries) > 0
			continue
		}
		if strings.TrimSpace(l) == "" || quoted {
			continue
		}
		if n, _, ok := heading(l); ok && !fenced && (level == 0 || n <= level) {
			break
		}
		text, kind := entryText(l, level, fenced)
		base := day // undated times are on the day of the entry before them
		if !prev.IsZero() {
			p := prev.In(zone)
			base = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, zone)
		}
		t, rest, dated, skipped, ok := stamp(text, base, zone)
		if ok && !dated && !prev.IsZero() && t.Location() != zone {
			// An entry that names its own zone is on the day of the one
			// before it there: 18:26 PDT, then 19:58 PDT, is one day,
			// though the first is the next day in UTC.
			p := prev.In(t.Location())
			t, rest, dated, skipped, ok = stamp(text, time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, t.Location()), zone)
		}
		if ok && rest == "" {
			continue // a time with nothing to say
		}
		if !ok {
			if w := badTime(text); w != "" {
				misread = append(misread, Misread{i + 1, strings.Index(l, w) + 1, w})
				continue
			}
			z := zoneHint(l)
			if z != nil {
				zone = z
				if stated == nil {
					stated = z
				}
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
		rolled := false
		switch {
		case !dated && prev.Sub(t) > OutOfOrder:
			for k := 0; k < 4 && t.Before(prev); k++ {
				t, rolled = t.AddDate(0, 0, 1), true // past midnight
			}
		case !dated && !prev.IsZero() && t.Sub(prev) > 24*time.Hour-LateNote:
			// Nearly a day later on the day of the entry above, so a line
			// out of order from the day before: 23:58, noted late, after
			// 00:05.
			t = t.AddDate(0, 0, -1)
		}
		prev = t
		entries = append(entries, Entry{Time: t, Text: rest, Line: i + 1, Rolled: rolled, Dated: dated, Skipped: skipped && !rolled})
		joined = i + 1
	}
	// The texts are parts of a copy of the whole body: a site keeps its
	// timelines, not its bodies. A reference to a footnote the body
	// defines ("tag[^keytag]") is its page's: the entry reads without it.
	notes := footnotes(body)
	for i := range entries {
		entries[i].Text = strings.Clone(dropRefs(entries[i].Text, notes))
	}
	return entries, stated, misread
}

// footnoteRE is the line that defines a footnote: "[^label]: text".
var footnoteRE = regexp.MustCompile(`(?m)^ {0,3}\[\^([^\]\s]+)\]:`)

// footnotes returns the labels of the footnotes body defines.
func footnotes(body []byte) []string {
	if !bytes.Contains(body, []byte("[^")) {
		return nil
	}
	var labels []string
	for _, m := range footnoteRE.FindAllSubmatch(body, -1) {
		labels = append(labels, string(m[1]))
	}
	return labels
}

// dropRefs returns text without its references to the footnotes labels
// name; others ("[^0-9]" in a pattern) are text.
func dropRefs(text string, labels []string) string {
	for _, l := range labels {
		text = strings.ReplaceAll(text, "[^"+l+"]", "")
	}
	return text
}

// findSection reads lines up to the one that opens the timeline section,
// and its underline if it has one. It returns the level of its heading (0
// for a plain "Timeline:" line) and the zone last stated before it, or loc;
// found is false when there is no such line. zone is nil when no line
// states one and loc is nil.
func findSection(lines *lineReader, loc *time.Location) (level int, zone *time.Location, found bool) {
	zone = loc
	fenced := false
	for {
		l, _, ok := lines.read()
		if !ok {
			return 0, zone, false
		}
		if isFence(l) {
			fenced = !fenced
			continue
		}
		if z := zoneHint(l); z != nil {
			zone = z
		}
		if fenced || !mentionsTitle(l) {
			continue // the regular expressions below are costly, and most lines are no title
		}
		if n, text, ok := heading(l); ok {
			if titleRE.MatchString(text) {
				return n, zone, true
			}
			continue
		}
		if plainHeadRE.MatchString(l) {
			if next, ok := lines.peek(); ok && isUnderline(next) {
				lines.read() // a Setext heading: the section starts below the line
			}
			return 0, zone, true
		}
	}
}

// mentionsTitle is a quick test for a line that may open the section.
func mentionsTitle(l string) bool {
	return strings.Contains(l, "imeline") || strings.Contains(l, "IMELINE") ||
		strings.Contains(l, "hronolog") || strings.Contains(l, "HRONOLOG")
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
			kept = append([]string{strings.Trim(kept[0], wrappers) + " " + strings.Trim(kept[1], wrappers)}, kept[2:]...)
		}
		// A column of zones: | 14:00 | CET | Failover started |. Not an
		// abbreviation that is also a word, which a column may hold.
		if z := strings.Trim(kept[1], wrappers); len(kept) > 2 && Zone(z) != nil && !wordlike[strings.ToUpper(z)] {
			kept = append([]string{kept[0] + " " + z}, kept[2:]...)
		}
		return kept[0] + " | " + strings.Join(kept[1:], " | "), tableRow
	case strings.HasPrefix(t, "#"):
		if n, text, ok := heading(l); ok && level > 0 && n > level {
			return text, subHeading
		}
		return t, plain
	}
	if mark := listMarkRE.FindString(l); mark != "" {
		return strings.TrimSpace(l[len(mark):]), listItem
	}
	return t, plain
}

var dateRE = regexp.MustCompile(`^\d{4}[-/]\d{2}[-/]\d{2}$`)

// isDate reports whether s, a table's cell, is a day and nothing else:
// "2020-02-03", "25 Oct 2023", "Oct 25".
func isDate(s string) bool {
	s = strings.Trim(s, wrappers)
	if dateRE.MatchString(s) {
		return true
	}
	if !mayNameDay(s) {
		return false
	}
	m := dayRE.FindStringIndex(s)
	return m != nil && m[1] == len(s)
}
