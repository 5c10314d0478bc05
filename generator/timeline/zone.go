package timeline

import (
	"regexp"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // the zones of regions, the same on every machine
)

// offsets are the zone abbreviations a timeline may use, in minutes east of
// UTC.
var offsets = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "WAT": 60, "CET": 60, "CEST": 120,
	"EET": 120, "EEST": 180, "CAT": 120, "EAT": 180, "SAST": 120, "MSK": 180, "GST": 240, "PKT": 300,
	"ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480, "AWST": 480, "JST": 540, "KST": 540, "ACST": 570,
	"AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
	"MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
	"BRT": -180, "ART": -180, "NST": -210, "AST": -240, "ADT": -180,
}

// regions are the places whose standard time an abbreviation names. Such an
// abbreviation reads as the place's local time: "10:00 CET" on a day of
// July is 10:00 CEST, as people write CET all year round. An abbreviation
// of summer time (CEST, EDT) says what it means, and stays fixed. A region
// whose own abbreviation for its standard time is not the one written
// (the zone database has none for some) is not used: the abbreviation
// stays fixed.
var regions = map[string]string{
	"WET": "Europe/Lisbon", "IST": "Asia/Kolkata", "WAT": "Africa/Lagos", "CET": "Europe/Berlin",
	"EET": "Europe/Athens", "CAT": "Africa/Maputo", "EAT": "Africa/Nairobi", "SAST": "Africa/Johannesburg",
	"MSK": "Europe/Moscow", "PKT": "Asia/Karachi", "WIB": "Asia/Jakarta", "HKT": "Asia/Hong_Kong",
	"AWST": "Australia/Perth", "JST": "Asia/Tokyo", "KST": "Asia/Seoul", "ACST": "Australia/Darwin",
	"AEST": "Australia/Sydney", "NZST": "Pacific/Auckland", "EST": "America/New_York",
	"CST": "America/Chicago", "MST": "America/Denver", "PST": "America/Los_Angeles",
	"AKST": "America/Anchorage", "HST": "Pacific/Honolulu", "NST": "America/St_Johns", "AST": "America/Halifax",
}

// generic are the abbreviations of a region's time whatever the season,
// as teams in North America write it ("14:15 PT"): each reads as the
// region's local time, PDT in summer and PST in winter.
var generic = map[string]string{
	"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver", "PT": "America/Los_Angeles",
}

// zones holds the location of each abbreviation, loaded once, and which
// abbreviation each region location was loaded for.
var zones = sync.OnceValue(func() (z struct {
	byName  map[string]*time.Location
	written map[*time.Location]string
}) {
	z.byName = make(map[string]*time.Location, len(offsets))
	z.written = make(map[*time.Location]string, len(regions))
	for name, off := range offsets {
		if off == 0 {
			z.byName[name] = time.UTC
			continue
		}
		z.byName[name] = time.FixedZone(name, off*60)
		region, ok := regions[name]
		if !ok {
			continue
		}
		loc, err := time.LoadLocation(region) // a new location each call: one per abbreviation
		if err != nil {
			continue
		}
		// The region's standard time must be the abbreviation, at its offset.
		std := time.Date(2023, 1, 15, 12, 0, 0, 0, loc)
		if std.Location().String() != region {
			continue
		}
		// Standard time is the smaller offset: July's in the south.
		july := time.Date(2023, 7, 15, 12, 0, 0, 0, loc)
		if _, jo := july.Zone(); jo < offset(std) {
			std = july
		}
		if a, o := std.Zone(); a != name || o != off*60 {
			continue
		}
		z.byName[name], z.written[loc] = loc, name
	}
	for name, region := range generic {
		if loc, err := time.LoadLocation(region); err == nil {
			z.byName[name], z.written[loc] = loc, name
		}
	}
	return z
})

func offset(t time.Time) int {
	_, o := t.Zone()
	return o
}

// Written returns the abbreviation a location of Zone was read from, when
// it is the local time of a region ("CET" for Europe/Berlin as Zone("CET")
// gives it), so that a page can say that 10:00 CET in July was read as
// 10:00 CEST.
func Written(loc *time.Location) (string, bool) {
	a, ok := zones().written[loc]
	return a, ok
}

// wordlike are abbreviations that are also common words in incident notes
// ("cat /etc/hosts", "AST rewrite"). Right after an entry's time they count
// as a zone only when a separator follows them or they are in brackets.
var wordlike = map[string]bool{"ADT": true, "ART": true, "AST": true, "CAT": true, "EAT": true, "WET": true, "GST": true}

var numericZoneRE = regexp.MustCompile(`^(?i:(UTC|GMT))?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// Zone returns the zone a common abbreviation ("WAT", "cest", "Z", "PT")
// or offset ("UTC+1", "GMT-3", "+05:30") names, in any case, or nil: the
// local time of its region for the abbreviation of a standard time (see
// regions) or of a region's time in any season (see generic), else a
// fixed offset.
func Zone(name string) *time.Location {
	if len(name) > 12 {
		return nil
	}
	up := strings.ToUpper(name)
	if z, ok := zones().byName[up]; ok {
		return z
	}
	m := numericZoneRE.FindStringSubmatch(name)
	if m == nil {
		return nil
	}
	h := atoi(m[3])
	mins := atoi(m[4])
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
	return time.FixedZone(up, off)
}

// zonePat is a zone abbreviation or offset, checked afterwards with Zone.
const zonePat = `[a-zA-Z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2}`

var (
	// statedRE finds "All times in CET", "times are UTC", "Timestamps in
	// UTC+2", "Time zone: EST".
	statedRE = regexp.MustCompile(`(?i)\b(?:(?:all\s+)?(?:times|timestamps)(?:\s+(?:are|shown|listed|given|below|here))*(?:\s+in)?|time\s*zone\s*(?:is|:)?)\s+(` + zonePat + `)\b`)
	// parenRE finds a zone in brackets: "(wat)", "(UTC)", "(UTC+1)".
	parenRE = regexp.MustCompile(`\(\s*(` + zonePat + `)\s*\)`)
)

// Stated returns the zone body states for its times: the first zone a
// line names for the times around it ("All times in CET", "Duration:
// 08:00 - 11:30 (wat)", "Time (UTC)"), or nil.
func Stated(body []byte) *time.Location {
	lines := &lineReader{text: string(body)}
	for {
		l, _, ok := lines.read()
		if !ok {
			return nil
		}
		if z := zoneHint(l); z != nil {
			return z
		}
	}
}

// StatesZone reports whether line says only in which zone the times are
// ("All times in CET.", "*(times are UTC)*"), as a body's first lines may.
func StatesZone(line string) bool {
	if !mayState(line) {
		return false
	}
	for _, m := range statedRE.FindAllStringSubmatchIndex(line, -1) {
		if Zone(line[m[2]:m[3]]) != nil && strings.Trim(line[:m[0]]+line[m[1]:], " \t*_.:;()[]-") == "" {
			return true
		}
	}
	return false
}

// zoneHint returns the zone a line states for the times around it, or nil.
func zoneHint(l string) *time.Location {
	if !strings.Contains(l, "(") && !strings.Contains(l, "ime") && !strings.Contains(l, "IME") {
		return nil // most lines: skip the regular expressions
	}
	if mayState(l) {
		for _, m := range statedRE.FindAllStringSubmatch(l, -1) {
			if z := Zone(m[1]); z != nil {
				return z
			}
		}
	}
	if mayParen(l) {
		for _, m := range parenRE.FindAllStringSubmatch(l, -1) {
			if z := Zone(m[1]); z != nil {
				return z
			}
		}
	}
	return nil
}

// mayParen is a quick test for a line parenRE may match: it has a ")"
// after a "(".
func mayParen(l string) bool {
	i := strings.IndexByte(l, '(')
	return i >= 0 && strings.IndexByte(l[i:], ')') > 0
}

// mayState is a quick test for a line statedRE may match: it has "time", in
// any case, followed by "s" ("times", "timestamps") or by blanks and "zone".
func mayState(l string) bool {
	for i := 0; i+4 <= len(l); i++ {
		if l[i]|0x20 != 't' || l[i+1]|0x20 != 'i' || l[i+2]|0x20 != 'm' || l[i+3]|0x20 != 'e' {
			continue
		}
		rest := l[i+4:]
		// "ſ" is an "s" to (?i).
		if strings.HasPrefix(rest, "s") || strings.HasPrefix(rest, "S") || strings.HasPrefix(rest, "ſ") {
			return true
		}
		if z := strings.TrimLeft(rest, "\t\n\f\r "); len(z) >= 4 && strings.EqualFold(z[:4], "zone") {
			return true
		}
	}
	return false
}

// InZone returns the instant at which the clocks of loc read the clock
// time that w holds in its fields (its year to its nanosecond, whatever
// its own zone), and whether loc skips that clock time, as its clocks go
// forward past it. A skipped time reads at the offset before the skip, as
// a clock not yet put forward would show it: 02:30 where 02:00 becomes
// 03:00 is 03:30. time.Date, which InZone is otherwise, may move it back
// instead, to 01:30, and a skipped midnight to the day before.
func InZone(w time.Time, loc *time.Location) (time.Time, bool) {
	t := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), loc)
	if sameClock(t, w) {
		return t, false
	}
	_, before := t.Add(-2 * time.Hour).Zone()
	_, after := t.Add(2 * time.Hour).Zone()
	wall := time.Date(w.Year(), w.Month(), w.Day(), w.Hour(), w.Minute(), w.Second(), w.Nanosecond(), time.UTC)
	return wall.Add(-time.Duration(min(before, after)) * time.Second).In(loc), true
}

// sameClock reports whether a and b read the same date and clock time,
// to the minute.
func sameClock(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	return ay == by && am == bm && ad == bd && a.Hour() == b.Hour() && a.Minute() == b.Minute()
}
