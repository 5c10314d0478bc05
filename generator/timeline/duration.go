package timeline

import (
	"bytes"
	"iter"
	"regexp"
	"strings"
	"time"
)

const (
	monthPat = `jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?`
	// namedDayPat is a day written with its month's name, in lower case,
	// either way round: "Oct 25", "August 6th", "25 Oct.", "6th August".
	// Its four groups are the name and the day, or the day and the name
	// (see namedDay).
	namedDayPat = `\b(` + monthPat + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?|(\d{1,2})(?:st|nd|rd|th)?\s+(` + monthPat + `)\.?`
	// whenPat is one side of a span: "August 6, 2023, 08:00 AM",
	// "6 Aug 2023 08:00", "2023-08-06 08:00", "08:00 (wat)", "11:30 UTC".
	whenPat = `(?:(?:` + namedDayPat + `),?\s+(\d{4}),?\s*(?:at\s+)?|(\d{4})[-/](\d{2})[-/](\d{2})(?:T|,?\s+)|\b)` +
		`(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([ap])\.?m\b\.?)?(?:\s*\(?\s*(z|[a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})\b\s*\)?)?`
	// whenGroups is the number of groups in whenPat.
	whenGroups = 13
)

var (
	durationLineRE = regexp.MustCompile(`(?im)^[ \t]*\|?[ \t]*[>*_#+-]*[ \t]*[*_]*duration[*_]*[ \t]*[:|][*_]*[ \t]*(.+)$`)
	spanRE         = regexp.MustCompile(`(?i)` + whenPat + `\s*(?:-{1,2}|–|—|to|until|till|through|thru)\s*` + whenPat)
)

// ParseDuration reads the span of a line such as "Duration: August 6, 2023,
// 08:00 AM - August 6, 2023, 11:30 AM (wat)", "Duration: 2023-08-06 08:00 -
// 11:30 UTC" or "Duration: 08:00–11:30 WAT". A side without a date takes
// the start's date, or day; an end before its start rolls to the next day.
// A side without a zone takes the other side's, then one stated on the line,
// then loc. ok is false when there is no such line or none can be read.
func ParseDuration(body []byte, day time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	if loc == nil {
		loc = day.Location()
	}
	if !bytes.Contains(body, []byte("uration")) && !bytes.Contains(body, []byte("URATION")) {
		return time.Time{}, time.Time{}, false
	}
	for _, v := range durationValues(body) {
		if start, end, ok = span(string(v), day, loc); ok {
			return start, end, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// durationMarks are the characters durationLineRE allows before "duration".
const durationMarks = " \t|>*_#+-"

// DurationLine returns the first line of body that gives the incident's
// duration ("Duration: ..."), counted from 1, and its value, trimmed of
// the marks of a table cell or of emphasis; 0 when there is none. A
// postmortem tells of one ParseDuration cannot read.
func DurationLine(body []byte) (line int, value string) {
	for n, v := range durationValues(body) {
		return n, strings.Trim(strings.TrimSpace(string(v)), "|*_ \t")
	}
	return 0, ""
}

// durationValues yields the line, counted from 1, and the value (the
// group) of each line of body that durationLineRE matches, in order, as
// durationLineRE.FindAllSubmatch(body, -1) would. It runs the expression
// only on the lines that start with "duration", in any case, after
// durationMarks: running it over the whole body cost more than all the
// rest of the package.
func durationValues(body []byte) iter.Seq2[int, []byte] {
	return func(yield func(int, []byte) bool) {
		n := 0
		for rest := body; len(rest) > 0; {
			n++
			line := rest
			if i := bytes.IndexByte(rest, '\n'); i >= 0 {
				line, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			t := line
			for len(t) > 0 && strings.IndexByte(durationMarks, t[0]) >= 0 {
				t = t[1:]
			}
			if len(t) < 8 || !bytes.EqualFold(t[:8], []byte("duration")) {
				continue
			}
			if m := durationLineRE.FindSubmatch(line); m != nil && !yield(n, m[1]) {
				return
			}
		}
	}
}

// span reads the first span of line.
func span(line string, day time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	if !maySpan(line) {
		return time.Time{}, time.Time{}, false // spanRE costs microseconds even on a short line
	}
	m := spanRE.FindStringSubmatch(line)
	if m == nil {
		return time.Time{}, time.Time{}, false
	}
	a, b := m[1:1+whenGroups], m[1+whenGroups:]
	za, zb := Zone(a[whenGroups-1]), Zone(b[whenGroups-1])
	stated := zoneHint(line)
	if stated == nil {
		stated = loc
	}
	za, zb = first(za, zb, stated), first(zb, za, stated)
	start, sDated, ok := when(a, day, za)
	if !ok {
		return time.Time{}, time.Time{}, false
	}
	base := day
	if sDated {
		s := start.In(zb)
		base = time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, zb)
	}
	end, eDated, ok := when(b, base, zb)
	if !ok {
		return time.Time{}, time.Time{}, false
	}
	for k := 0; !eDated && k < 3 && end.Before(start); k++ {
		end = end.AddDate(0, 0, 1)
	}
	if end.Before(start) {
		return time.Time{}, time.Time{}, false
	}
	return start, end, true
}

// maySpan is a quick test for a line spanRE may match: it has two clocks,
// a digit, ":" and two digits.
func maySpan(line string) bool {
	clocks := 0
	for i := 1; i+2 < len(line); i++ {
		if line[i] == ':' && isDigit(line[i-1]) && isDigit(line[i+1]) && isDigit(line[i+2]) {
			if clocks++; clocks == 2 {
				return true
			}
		}
	}
	return false
}

func first(zones ...*time.Location) *time.Location {
	for _, z := range zones {
		if z != nil {
			return z
		}
	}
	return nil
}

// when reads one side of a span from the groups of whenPat; it reports
// whether the side gave a date.
func when(g []string, day time.Time, zone *time.Location) (time.Time, bool, bool) {
	y, mo, d := day.Date()
	dated := true
	switch {
	case g[0] != "" || g[3] != "":
		mo, d = namedDay(g[0], g[1], g[2], g[3])
		y = atoi(g[4])
	case g[5] != "":
		y = atoi(g[5])
		mi := atoi(g[6])
		mo = time.Month(mi)
		d = atoi(g[7])
	default:
		dated = false
	}
	if !validDate(y, mo, d) {
		return time.Time{}, false, false
	}
	hour, minute, sec, ok := clock(g[8], g[9], g[10], g[11])
	if !ok {
		return time.Time{}, false, false
	}
	t, _ := InZone(time.Date(y, mo, d, hour, minute, sec, 0, time.UTC), zone)
	return t, dated, true
}

// namedDay reads the groups of namedDayPat: the month's name and the
// day written after it, or the day and the name written after it.
func namedDay(name, day, dayFirst, nameAfter string) (time.Month, int) {
	if name == "" {
		name, day = nameAfter, dayFirst
	}
	return monthOf(name), atoi(day)
}

// monthOf returns the month whose name, or its first three letters, s
// starts with, in any case ("Oct", "october", "OCT."); 0 for none.
func monthOf(s string) time.Month {
	if len(s) < 3 {
		return 0
	}
	var b [3]byte
	for i := range b {
		b[i] = s[i] | 0x20 // a letter in lower case; no other byte becomes one
	}
	i := strings.Index("janfebmaraprmayjunjulaugsepoctnovdec", string(b[:]))
	if i < 0 || i%3 != 0 {
		return 0
	}
	return time.Month(i/3 + 1)
}
