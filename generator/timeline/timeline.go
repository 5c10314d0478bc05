// Package timeline reads the timeline of a postmortem out of its Markdown
// body: the list items, indented lines or table rows of its Timeline section
// that start with a time, and a free-form "Duration:" line.
package timeline

import (
	"regexp"
	"strconv"
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
	headingRE = regexp.MustCompile(`^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$`)
	// plainHeadRE is a section title written as a line of its own: "Timeline:".
	plainHeadRE  = regexp.MustCompile(`(?i)^\s*(?:\*\*|__)?timeline(?:\s*\([^)]*\))?\s*:?\s*(?:\*\*|__)?\s*:?\s*$`)
	timelineWord = regexp.MustCompile(`(?i)^(?:\*\*|__)?timeline\b`)
	listMarkRE   = regexp.MustCompile(`^\s*(?:[-*+]|\d{1,3}[.)])\s+(?:\[[ xX]\]\s+)?`)
	// stampRE matches a time at the start of a line: an optional ISO date,
	// the clock, an optional AM/PM and an optional zone.
	stampRE = regexp.MustCompile(`^(?:(\d{4})-(\d{2})-(\d{2})(?:T|\s+))?(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(?:([AaPp])\.?[Mm]\.?)?(?:\s*(Z|[A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\b)?`)
	sepRE   = regexp.MustCompile(`^\s*(?:[:|\-–—]+\s*)?`)
)

// Parse finds the timeline section of body and returns its entries in order.
// day is the incident day, at midnight in loc, the postmortem's zone. Times
// without a date take day; a time earlier than the one before it rolls to
// the next day. A zone named on the entry wins, then one stated for the
// whole timeline ("All times in CET", "Time (UTC)", a "(WAT)" on the
// Duration line), then loc.
func Parse(body []byte, day time.Time, loc *time.Location) []Entry {
	lines := strings.Split(string(body), "\n")
	start, level := -1, 0
	zone := loc
	for i, l := range lines {
		if z := zoneHint(l); z != nil {
			zone = z
		}
		if !mentionsTimeline(l) {
			continue // the regular expressions below are costly, and most lines are not headings
		}
		if m := headingRE.FindStringSubmatch(l); m != nil && timelineWord.MatchString(m[2]) {
			start, level = i, len(m[1])
			break
		}
		if plainHeadRE.MatchString(l) {
			start, level = i, 0
			break
		}
	}
	if start < 0 {
		return nil
	}
	var entries []Entry
	var prev time.Time
	for i := start + 1; i < len(lines); i++ {
		l := strings.TrimRight(lines[i], " \t\r")
		if strings.HasPrefix(strings.TrimLeft(l, " "), "#") {
			if m := headingRE.FindStringSubmatch(l); m != nil && (level == 0 || len(m[1]) <= level) {
				break
			}
		}
		if strings.TrimSpace(l) == "" {
			continue
		}
		text, isTable := entryText(l)
		// Undated times are on the day of the entry before them.
		base := day
		if !prev.IsZero() {
			p := prev.In(zone)
			base = time.Date(p.Year(), p.Month(), p.Day(), 0, 0, 0, 0, zone)
		}
		t, rest, dated, ok := stamp(text, base, zone)
		if !ok {
			if z := zoneHint(l); z != nil {
				zone = z
			}
			// A plain "Timeline:" section ends at the first unindented line
			// that is not an entry, once it has entries.
			if level == 0 && len(entries) > 0 && !isTable && !startsIndented(l) && listMarkRE.FindString(l) == "" {
				break
			}
			continue
		}
		if !dated && !prev.IsZero() && t.Before(prev) {
			t = t.AddDate(0, 0, 1) // past midnight
		}
		prev = t
		entries = append(entries, Entry{Time: t, Text: rest, Line: i + 1})
	}
	return entries
}

// mentionsTimeline is a quick test for a line that may head the section.
func mentionsTimeline(l string) bool {
	return strings.Contains(l, "imeline") || strings.Contains(l, "IMELINE")
}

func startsIndented(l string) bool { return strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") }

// entryText strips a list marker, or takes a table row apart: the text to
// read a time from, and whether the line is a table row.
func entryText(l string) (string, bool) {
	t := strings.TrimSpace(l)
	if strings.HasPrefix(t, "|") {
		cells := strings.Split(strings.Trim(t, "|"), "|")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if len(cells) < 2 {
			return "", true
		}
		return cells[0] + " | " + strings.Join(cells[1:], " | "), true
	}
	return strings.TrimSpace(listMarkRE.ReplaceAllString(l, "")), false
}

// stamp reads the time at the start of s. It returns the instant, the text
// after it, and whether s gave a date.
func stamp(s string, day time.Time, zone *time.Location) (time.Time, string, bool, bool) {
	s = strings.TrimLeft(s, "*_`")
	if s == "" || s[0] < '0' || s[0] > '9' {
		return time.Time{}, "", false, false
	}
	m := stampRE.FindStringSubmatchIndex(s)
	if m == nil {
		return time.Time{}, "", false, false
	}
	group := func(k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return s[m[2*k]:m[2*k+1]]
	}
	end := m[1]
	hour, _ := strconv.Atoi(group(4))
	minute, _ := strconv.Atoi(group(5))
	sec, _ := strconv.Atoi(group(6))
	if ampm := strings.ToLower(group(7)); ampm != "" {
		if hour < 1 || hour > 12 {
			return time.Time{}, "", false, false
		}
		hour %= 12
		if ampm == "p" {
			hour += 12
		}
	}
	if hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, "", false, false
	}
	if z := group(8); z != "" {
		if loc := Zone(z); loc != nil {
			zone = loc
		} else {
			end = m[2*8] // not a zone: a word of the text
		}
	}
	y, mo, d := day.Date()
	dated := group(1) != ""
	if dated {
		y, _ = strconv.Atoi(group(1))
		mi, _ := strconv.Atoi(group(2))
		d, _ = strconv.Atoi(group(3))
		if mi < 1 || mi > 12 || d < 1 || d > 31 {
			return time.Time{}, "", false, false
		}
		mo = time.Month(mi)
	}
	rest := s[end:]
	// The time must stand alone: "10:30am" or "10:30 —", not "10:305".
	if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
		return time.Time{}, "", false, false
	}
	rest = strings.TrimLeft(rest, "*_` ")
	rest = strings.TrimSpace(sepRE.ReplaceAllString(rest, ""))
	return time.Date(y, mo, d, hour, minute, sec, 0, zone), rest, dated, true
}

var (
	allTimesRE = regexp.MustCompile(`(?i)\ball times\b[^.\n]*?\b(?:in|are)\s+(?:in\s+)?([a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\b`)
	parenRE    = regexp.MustCompile(`\(\s*([A-Za-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)\s*\)`)
)

// zoneHint returns the zone a line states for the times around it, or nil.
func zoneHint(l string) *time.Location {
	if !strings.Contains(l, "(") && !strings.Contains(l, "times") && !strings.Contains(l, "Times") && !strings.Contains(l, "TIMES") {
		return nil
	}
	if m := allTimesRE.FindStringSubmatch(l); m != nil {
		if z := Zone(m[1]); z != nil {
			return z
		}
	}
	for _, m := range parenRE.FindAllStringSubmatch(l, -1) {
		if z := Zone(m[1]); z != nil {
			return z
		}
	}
	return nil
}

// offsets are the zone abbreviations a timeline may use, in minutes east of UTC.
var offsets = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "WAT": 60, "CET": 60, "CEST": 120,
	"EET": 120, "EEST": 180, "CAT": 120, "EAT": 180, "SAST": 120, "MSK": 180, "GST": 240, "PKT": 300,
	"ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480, "AWST": 480, "JST": 540, "KST": 540, "ACST": 570,
	"AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
	"MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
	"BRT": -180, "ART": -180, "NST": -210, "AST": -240, "ADT": -180,
}

var numericZoneRE = regexp.MustCompile(`^(?i:(UTC|GMT))?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// Zone returns the fixed zone a common abbreviation ("WAT", "cest", "Z") or
// offset ("UTC+1", "+05:30") names, or nil.
func Zone(name string) *time.Location {
	up := strings.ToUpper(name)
	if off, ok := offsets[up]; ok {
		if off == 0 {
			return time.UTC
		}
		return time.FixedZone(up, off*60)
	}
	m := numericZoneRE.FindStringSubmatch(name)
	if m == nil {
		return nil
	}
	h, _ := strconv.Atoi(m[3])
	mins, _ := strconv.Atoi(m[4])
	if h > 14 || mins > 59 {
		return nil
	}
	off := h*3600 + mins*60
	if m[2] == "-" {
		off = -off
	}
	if off == 0 {
		return time.UTC
	}
	return time.FixedZone(strings.ToUpper(name), off)
}
