package postmortem

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/postmortem/postmortem/generator/timeline"
)

var detectWords = regexp.MustCompile(`(?i)\b(detect|alert|page[sd]?|paging|notic|report|fired)`)

// startWords tell that an entry is the start of the impact ("14:09 5xx
// start climbing"): the incident's start, the entries before it its
// lead-up; and one that names an alert only to say that nobody saw it
// ("Impact began: our alerts fired, but nobody looked"): no detection.
var startWords = regexp.MustCompile(`(?i)\b(?:impact|outage|incident|errors?|5xx|failures?|degradation)\s+(?:began|begins|start|starts|started|starting)\b|\bstart of (?:the )?(?:impact|outage|incident)`)

// afterWords tell of what came after an incident, at the end of its
// timeline: the entries are not its end ("09:05 Handed over to the day
// shift", "Postmortem scheduled").
var afterWords = regexp.MustCompile(`(?i)\b(hand(?:ed|ing)?[- ]?over|hand-?off|post-?mortem|retro(?:spective)?|review (?:meeting|scheduled|booked)|follow[- ]?ups?\b|ticket (?:filed|opened|created)|stood down)`)

var timeLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339, true},
	{"2006-01-02T15:04Z07:00", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02 15:04Z07:00", true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04 -0700", true},
	{"2006-01-02T15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02 15:04", false},
	{time.DateOnly, false},
}

// ParseTime reads a date or a timestamp: RFC 3339, or "2006-01-02 15:04"
// and "2006-01-02" read in loc, a clock time loc skips as timeline.InZone
// reads it.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	t, _, err := parseTime(s, loc)
	return t, err
}

// parseTime is ParseTime, and reports whether s writes a clock time that
// loc skips.
func parseTime(s string, loc *time.Location) (t time.Time, skipped bool, err error) {
	s = strings.TrimSpace(s)
	if t, skipped, ok := readTime(s, loc); ok {
		return t, skipped, nil
	}
	return time.Time{}, false, fmt.Errorf("cannot read %q as a time%s (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)", s, timeHint(s))
}

// readTime is parseTime without its error, for callers that try other
// ways of reading s when it fails: s is trimmed.
func readTime(s string, loc *time.Location) (t time.Time, skipped, ok bool) {
	layouts := timeLayouts
	if len(s) == len(time.DateOnly) {
		layouts = layouts[len(layouts)-1:] // the other layouts are longer: skip their errors
	}
	for _, l := range layouts {
		var err error
		if t, err = time.Parse(l.layout, s); err != nil {
			continue
		}
		if !l.zoned {
			t, skipped = timeline.InZone(t, loc)
		}
		return t, skipped, true
	}
	return time.Time{}, false, false
}

// writtenTimeRE matches a time written as ParseTime reads one, or nearly:
// its date, its clock and what follows.
var writtenTimeRE = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*(.*)$`)

// timeHint says what is wrong with s, which ParseTime cannot read, when it
// is nearly a time it reads: a day its month lacks, an hour past 23, a
// zone written by name.
func timeHint(s string) string {
	m := writtenTimeRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	y, mo, d := atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3])
	switch last := time.Date(y, mo+1, 0, 0, 0, 0, 0, time.UTC).Day(); {
	case mo < 1 || mo > 12:
		return fmt.Sprintf(": there is no month %d", mo)
	case d < 1 || d > last:
		return fmt.Sprintf(": %s %d has %d days", mo, y, last)
	case m[4] != "" && (atoi(m[4]) > 23 || atoi(m[5]) > 59 || atoi(m[6]) > 59):
		return ": hours go from 0 to 23, minutes and seconds from 0 to 59"
	case m[4] != "" && strings.IndexFunc(m[7], unicode.IsLetter) >= 0:
		if h, zone, ok := meridiem(atoi(m[4]), m[7]); ok {
			at := time.Date(y, mo, d, h, atoi(m[5]), atoi(m[6]), 0, time.UTC)
			if zone == "" {
				return ": write the time on the 24-hour clock, " + at.Format("2006-01-02 15:04")
			}
			if z := timeline.Zone(zone); z != nil {
				at = time.Date(y, mo, d, h, atoi(m[5]), atoi(m[6]), 0, z)
				return ": write the time on the 24-hour clock, and its zone as an offset: " + at.Format("2006-01-02T15:04-07:00")
			}
			return fmt.Sprintf(": write the time on the 24-hour clock, %s, and the zone (%s) as an offset, or set timezone:", at.Format("2006-01-02 15:04"), zone)
		}
		z := timeline.Zone(m[7])
		if z == nil {
			return fmt.Sprintf(": a zone is not read by its name (%s): write its offset, or set timezone:", m[7])
		}
		at := time.Date(y, mo, d, atoi(m[4]), atoi(m[5]), atoi(m[6]), 0, z)
		return fmt.Sprintf(": a zone is not read by its name (%s): write its offset, %s, or set timezone:", m[7], at.Format("2006-01-02T15:04-07:00"))
	}
	return ""
}

// meridiem reads rest, what follows a clock time of hour h, as "pm",
// "a.m." or such, and a zone after it: it returns the hour on the 24-hour
// clock and the zone as written ("" for none).
func meridiem(h int, rest string) (hour int, zone string, ok bool) {
	word, zone, _ := strings.Cut(strings.TrimSpace(rest), " ")
	switch w := strings.ToLower(strings.ReplaceAll(word, ".", "")); w {
	case "am", "pm":
		hour, ok = timeline.Hour24(h, w == "pm")
		return hour, strings.TrimSpace(zone), ok
	}
	return 0, "", false
}

// atoi returns the number s writes in digits, 0 for "".
func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}

// Slugify turns a name into a URL path segment and a tag value into its
// canonical kebab-case form: lower-case letters and digits, each run of
// spaces, underscores and punctuation one dash.
func Slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	return b.String()
}

// TermPath turns a root cause into its canonical form: each part of a
// path written with slashes, configuration/api-integration, as Slugify
// makes it, empty parts dropped. A part is the child of those before it.
func TermPath(s string) string {
	parts := strings.Split(s, "/")
	out := parts[:0]
	for _, p := range parts {
		if p = Slugify(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, "/")
}

// Ancestors returns the terms above term, nearest last: a, a/b for a/b/c.
func Ancestors(term string) []string {
	var out []string
	for i := range len(term) {
		if term[i] == '/' {
			out = append(out, term[:i])
		}
	}
	return out
}

// WithAncestors returns terms with the terms above each, sorted and
// unique: an incident of configuration/api-integration is one of
// configuration too, as the page of configuration lists and counts it.
func WithAncestors(terms []string) []string {
	if !slices.ContainsFunc(terms, func(t string) bool { return strings.Contains(t, "/") }) {
		return terms
	}
	out := slices.Clone(terms)
	for _, t := range terms {
		out = append(out, Ancestors(t)...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// MaxSlug is the longest slug in bytes: the page SLUG.html, and page N of
// its list, SLUG.N.html (render.PageURL), must fit the 255 bytes of a file
// name, for N up to 999,999.
const MaxSlug = 255 - len(".999999.html")

// PageName returns the slug that names the page of name: a postmortem, a
// term, a severity level. A name with no letter or digit, or too long a
// slug, is an error.
func PageName(name string) (string, error) {
	slug := Slugify(name)
	if slug == "" {
		return "", errors.New("has no letter or digit to name a page with")
	}
	if len(slug) > MaxSlug {
		return "", fmt.Errorf("makes a page name of %d bytes, over the %d a file name allows", len(slug), MaxSlug)
	}
	return slug, nil
}

// invalidUTF8 finds the first byte of src that is not UTF-8, and returns
// its line and column (in characters), and the byte.
func invalidUTF8(src []byte) (line, col int, b byte, ok bool) {
	if utf8.Valid(src) {
		return 0, 0, 0, false
	}
	line, start := 1, 0
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return line, utf8.RuneCount(src[start:i]) + 1, src[i], true
		}
		if r == '\n' {
			line, start = line+1, i+1
		}
		i += n
	}
	return 0, 0, 0, false
}
