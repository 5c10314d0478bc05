package timeline

import (
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

var (
	// clockRE matches a time at the start of a string: an optional ISO
	// date, the clock and an optional AM/PM.
	clockRE = regexp.MustCompile(`^(?:(\d{4})[-/](\d{2})[-/](\d{2})(?:T|,?\s+))?(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:\s*([AaPp])\.?[Mm]\b\.?)?`)
	// zoneAfterRE matches what may be a zone after the clock, maybe in
	// brackets: " UTC", "Z", " (wat)", "+01:00".
	zoneAfterRE = regexp.MustCompile(`^(\s*)(\()?\s*(` + zonePat + `)\b\s*(\))?`)
	// untilRE is the rest of a range: "10:00 - 11:30 window".
	untilRE = regexp.MustCompile(`^\s*(?:-{1,2}|–|—)\s*(\d{1,2}:\d{2})`)
	// dayRE matches a day written with its month's name at the start of a
	// string, then what parts it from the clock, if anything follows:
	// "25 Oct ", "Oct 25, ", "25 Oct 2023 ", "October 25th, 2023, at ",
	// and Jira's "12/Jan/23 " (day, month, year of two digits or four).
	// Its groups are those of namedDayPat, the year, then Jira's day,
	// month and year.
	dayRE = regexp.MustCompile(`^(?i:(?:` + namedDayPat + `)(?:,?\s+(\d{4}))?|(\d{1,2})/(` + monthPat + `)/(\d{2}(?:\d{2})?))(?:,?\s+(?:at\s+)?|$)`)
)

// openers are the marks that may wrap a time: "**08:00**", "`08:00`",
// "[08:00]"; closers are what ends them; wrappers are both.
const (
	openers  = "*_`[("
	closers  = "*_`])"
	wrappers = "*_`[(])"
)

// stamp reads the time at the start of s. Times without a date are on day
// (its year, month and day) in zone, unless s names its own zone; a day
// written with its month's name and without its year is in the year that
// puts it nearest to day (see dayOf). It returns the instant, the text
// after the time and its separator, whether s gave a date, and whether the
// clock time it gave does not exist in its zone that day, as the clocks
// skip it going forward (see InZone).
func stamp(s string, day time.Time, zone *time.Location) (t time.Time, text string, dated, skipped, ok bool) {
	body := strings.TrimLeft(s, openers)
	wrapped := len(body) < len(s)
	if rest, ok := strings.CutPrefix(body, "~"); ok {
		body = strings.TrimLeft(rest, " ") // about then: "~10:05"
	}
	y, mo, d := day.Date()
	if mayNameDay(body) {
		if m := dayRE.FindStringSubmatchIndex(body); m != nil {
			if y, mo, d, ok = dayOf(body, m, day); !ok {
				return time.Time{}, "", false, false, false
			}
			body, dated = body[m[1]:], true
		}
	}
	if body == "" || body[0] < '0' || body[0] > '9' {
		return time.Time{}, "", false, false, false
	}
	m := clockRE.FindStringSubmatchIndex(body)
	if h := hourRE.FindStringSubmatchIndex(body); m == nil && h != nil {
		// An hour of the 12-hour clock alone, "3pm": read as 3:00pm.
		body = body[:h[3]] + ":00" + body[h[3]:]
		m = clockRE.FindStringSubmatchIndex(body)
	}
	if m == nil {
		return time.Time{}, "", false, false, false
	}
	group := func(k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return body[m[2*k]:m[2*k+1]]
	}
	hour, minute, sec, ok := clock(group(4), group(5), group(6), group(7))
	if !ok {
		return time.Time{}, "", false, false, false
	}
	if group(1) != "" {
		if dated {
			return time.Time{}, "", false, false, false // two days: "25 Oct 2023-10-25 10:00"
		}
		dated = true
		y = atoi(group(1))
		mi := atoi(group(2))
		d = atoi(group(3))
		mo = time.Month(mi)
		if !validDate(y, mo, d) {
			return time.Time{}, "", false, false, false
		}
	}
	rest := body[m[1]:]
	// The time must stand alone: "10:30 —" or "10:30am", not "10:305",
	// "10:30:5" or "10:30.5".
	if rest != "" && (isDigit(rest[0]) || len(rest) > 1 && (rest[0] == ':' || rest[0] == '.') && isDigit(rest[1])) {
		return time.Time{}, "", false, false, false
	}
	// An offset stuck to the clock is a zone after an ISO date only: "25
	// Oct 10:00-11:00" is a range.
	if z, n := zoneAfter(rest, group(1) != ""); z != nil {
		zone, rest = z, rest[n:]
	} else if rest != "" && isLetter(rest[0]) && group(7) == "" {
		return time.Time{}, "", false, false, false // "10:30hrs", "10:30ish"
	}
	if mayUntil(rest) {
		if m := untilRE.FindStringSubmatchIndex(rest); m != nil {
			rest = "until " + rest[m[2]:] // "10:00–11:30 maintenance window"
		}
	}
	text = trimSep(rest)
	if wrapped {
		text = trimSep(strings.TrimLeft(text, closers))
	}
	t, skipped = InZone(time.Date(y, mo, d, hour, minute, sec, 0, time.UTC), zone)
	return t, strings.TrimSpace(text), dated, skipped, true
}

// dayOf returns the day dayRE matched in s, m the indexes of its groups.
// A day written without its year is in the year, near's or the one before
// or after it, that puts it nearest to near's day, and at most half a
// year from it: "1 Jan" near 31 December 2023 is in 2024, "30 Dec" near 2
// January 2024 in 2023, "29 Feb" near 6 August 2023 in none. ok is false
// for a day that does not exist, or a year not known: near in the year 1,
// as a time.Time's zero value is.
func dayOf(s string, m []int, near time.Time) (y int, mo time.Month, d int, ok bool) {
	g := func(k int) string {
		if m[2*k] < 0 {
			return ""
		}
		return s[m[2*k]:m[2*k+1]]
	}
	if g(6) != "" { // Jira's 12/Jan/23
		d, mo, y = atoi(g(6)), monthOf(g(7)), atoi(g(8))
		if len(g(8)) == 2 {
			y += 2000
		}
	} else {
		mo, d = namedDay(g(1), g(2), g(3), g(4))
		y = atoi(g(5))
	}
	if y == 0 {
		ny, nm, nd := near.Date()
		at := time.Date(ny, nm, nd, 0, 0, 0, 0, time.UTC)
		var gap time.Duration
		for _, c := range [...]int{ny, ny + 1, ny - 1} { // near's year first, on a tie
			if !validDate(c, mo, d) {
				continue
			}
			if g := time.Date(c, mo, d, 0, 0, 0, 0, time.UTC).Sub(at).Abs(); g <= halfYear && (y == 0 || g < gap) {
				y, gap = c, g
			}
		}
	}
	return y, mo, d, validDate(y, mo, d)
}

// halfYear is as far as a day written without its year may be from the
// day it is read near: 184 days, the most half a year can be.
const halfYear = 184 * 24 * time.Hour

// mayNameDay is a quick test for a string dayRE may match: it starts with
// the first three letters of a month's name, or with one or two digits
// and then neither a digit nor ":" (a clock's).
func mayNameDay(s string) bool {
	if monthOf(s) != 0 || strings.HasPrefix(s, "ſ") { // "ſ" is an "s" to (?i): "ſep"
		return true
	}
	i := 0
	for i < len(s) && i < 2 && isDigit(s[i]) {
		i++
	}
	return i > 0 && i < len(s) && !isDigit(s[i]) && s[i] != ':'
}

// At reads s as one time, as a timeline entry's is read: "2021-07-19
// 16:40 PDT", "16:40" (on day, in zone), "4:40 pm UTC". dated says that s
// gave its date; ok is false when s is anything more or else.
func At(s string, day time.Time, zone *time.Location) (t time.Time, dated, ok bool) {
	t, rest, dated, _, ok := stamp(strings.TrimSpace(s), day, zone)
	return t, dated, ok && rest == ""
}

// hourRE is an hour of the 12-hour clock without its minutes: "3pm",
// "11 a.m.".
var hourRE = regexp.MustCompile(`^(\d{1,2})\s*[AaPp]\.?[Mm]\b`)

// militaryRE is a time written as four digits before a dash, "1610 —",
// which may be a year as well: not read, but told.
var militaryRE = regexp.MustCompile(`^([01]\d[0-5]\d|2[0-3][0-5]\d)\s+[-–—:]\s`)

// otherTimeRE matches times written in ways stamp does not read, "9.35",
// "9h40", "3/4 10:15", "3 Mar 10.15", and those written with a month's
// name that it reads only on a day that exists and at a time that does:
// "30 Feb 10:15", "Mar 3 25:00", "31/Apr/23 10:15".
var otherTimeRE = regexp.MustCompile(`(?i)^(?:\d{1,2}[.h]\d{2}\b|\d{1,2}/(?:\d{1,2}|` + monthWord + `)(?:/\d{2,4})?,?\s+\d{1,2}[:.]\d{2}|` +
	monthWord + `\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+(?:\d{4},?\s+)?\d{1,2}[:.]\d{2}|` +
	`\d{1,2}(?:st|nd|rd|th)?\s+` + monthWord + `\.?,?\s+(?:\d{4},?\s+)?\d{1,2}[:.]\d{2})`)

// monthWord is a word that starts as a month's name does, spelt right or
// not: "Oct", "Octobre".
const monthWord = `(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*`

// badTime returns the time s starts with when stamp does not read it as
// one: an hour past 23 (12 with AM or PM), a minute or second past 59, a
// day its month does not have, or a time written as otherTimeRE matches.
// It returns "" for anything else.
func badTime(s string) string {
	body := strings.TrimLeft(s, openers)
	if body == "" || !isDigit(body[0]) && !isLetter(body[0]) {
		return ""
	}
	if m := militaryRE.FindStringSubmatch(body); m != nil {
		return m[1] // "1610 — cache flushed"
	}
	if m := clockRE.FindStringSubmatch(body); m != nil {
		if _, _, _, ok := clock(m[4], m[5], m[6], m[7]); ok && (m[1] == "" || validDate(atoi(m[1]), time.Month(atoi(m[2])), atoi(m[3]))) {
			return ""
		}
		return m[0]
	}
	return otherTimeRE.FindString(body)
}

// mayUntil is a quick test for a rest untilRE may match, after blanks:
// a dash, maybe blanks, and a digit.
func mayUntil(rest string) bool {
	t := strings.TrimLeft(rest, " \t")
	u := strings.TrimLeft(t, "-–—\t\n\f\r ")
	return strings.ContainsRune("-–—", firstRune(t)) && u != "" && isDigit(u[0])
}

// zoneAfter reads the zone, if any, at the start of rest, the text after a
// clock. It returns the zone and the length of its text. Numeric offsets
// stuck to the clock count only after a date ("2023-08-06T08:00+01:00") so
// that "10:00-11:00" stays a range; a word that is a zone abbreviation
// followed by more words counts only when it is upper case and not also a
// common word.
func zoneAfter(rest string, dated bool) (*time.Location, int) {
	t := strings.TrimLeft(rest, " \t")
	if t == "" || !isLetter(t[0]) && t[0] != '(' && (t[0] != '+' && t[0] != '-' || len(t) < 2 || !isDigit(t[1])) {
		return nil, 0
	}
	m := zoneAfterRE.FindStringSubmatchIndex(rest)
	if m == nil {
		return nil, 0
	}
	name := rest[m[6]:m[7]]
	z := Zone(name)
	if z == nil {
		return nil, 0
	}
	spaced := m[3] > m[2]
	open, shut := m[4] >= 0, m[8] >= 0
	switch {
	case open && !shut:
		return nil, 0
	case open:
		return z, m[1]
	case shut:
		m[1] = m[8] // "(10:00 UTC) text": the bracket closes the wrapping
	case name[0] == '+' || name[0] == '-':
		if !spaced && !dated {
			return nil, 0
		}
		return z, m[1]
	}
	after := strings.TrimLeft(rest[m[1]:], closers+" \t")
	if after == "" || strings.ContainsRune(":|-–—→,", firstRune(after)) {
		return z, m[1]
	}
	up := strings.ToUpper(name)
	if name == up && !wordlike[up] {
		return z, m[1]
	}
	return nil, 0
}

// trimSep trims the spaces and the separator between a time and its text:
// ":", "|", "-", "–", "—" or "→", or a run of them.
func trimSep(s string) string {
	s = strings.TrimLeft(s, " \t")
	t := strings.TrimLeft(s, ":|-–—→")
	if len(t) < len(s) {
		s = strings.TrimLeft(t, " \t")
	}
	return s
}

func validDate(y int, mo time.Month, d int) bool {
	if y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 {
		return false
	}
	return d <= time.Date(y, mo+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// atoi returns the number s writes in digits, as the groups of the
// regular expressions capture it, or 0 for "". Unlike strconv.Atoi, it
// allocates no error for "".
func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// clock reads a time of day from its digits and an optional "a" or "p"
// (of AM or PM, in any case): hour 1 to 12 with one, 0 to 23 without. It
// reports whether the time exists.
func clock(hour, minute, second, ampm string) (h, m, s int, ok bool) {
	h, m, s = atoi(hour), atoi(minute), atoi(second)
	if ampm != "" {
		if h, ok = Hour24(h, strings.EqualFold(ampm, "p")); !ok {
			return 0, 0, 0, false
		}
	}
	return h, m, s, h <= 23 && m <= 59 && s <= 59
}

// Hour24 returns hour, of the 12-hour clock, on the 24-hour clock, in
// the afternoon (pm) or not; ok is false for an hour not from 1 to 12.
func Hour24(hour int, pm bool) (int, bool) {
	if hour < 1 || hour > 12 {
		return 0, false
	}
	if pm {
		return hour%12 + 12, true
	}
	return hour % 12, true
}
