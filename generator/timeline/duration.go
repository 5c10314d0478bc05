package timeline

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"time"
)

var (
	durationLineRE = regexp.MustCompile(`(?im)^[\s*_>#-]*duration[*_]*\s*:[*_]*\s*(.+)$`)
	rangeSepRE     = regexp.MustCompile(`\s+(?:-|–|—|to|until)\s+|\s*[–—]\s*`)
	// whenRE reads "August 6, 2023, 08:00 AM", "6 Aug 2023 08:00",
	// "2023-08-06 08:00" or "08:00".
	whenRE      = regexp.MustCompile(`(?i)^(?:(?:([a-z]{3,9})\.?\s+(\d{1,2})|(\d{1,2})\s+([a-z]{3,9})\.?),?\s+(\d{4}),?\s*(?:at\s+)?|(\d{4})-(\d{2})-(\d{2})(?:T|\s+|,\s*))?(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:([ap])\.?m\.?)?`)
	trailZoneRE = regexp.MustCompile(`(?i)\s*(?:\(\s*([a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?)\s*\)|\b([a-z]{1,5}(?:[+-]\d{1,2}(?::?\d{2})?)?))\s*\.?\s*$`)
)

var months = map[string]time.Month{}

func init() {
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		months[name] = m
		months[name[:3]] = m
	}
	months["sept"] = time.September
}

// ParseDuration reads a free-form span such as "Duration: August 6, 2023,
// 08:00 AM - August 6, 2023, 11:30 AM (wat)" or "Duration: 08:00–11:30 UTC".
// Sides without a date take the other side's date, or day; an end before its
// start rolls to the next day. The zone named at the end applies to both
// sides; without one the times are read in loc.
func ParseDuration(body []byte, day time.Time, loc *time.Location) (start, end time.Time, ok bool) {
	if !bytes.Contains(body, []byte("uration")) && !bytes.Contains(body, []byte("URATION")) {
		return time.Time{}, time.Time{}, false
	}
	m := durationLineRE.FindSubmatch(body)
	if m == nil {
		return time.Time{}, time.Time{}, false
	}
	line := strings.TrimSpace(strings.Trim(string(m[1]), "*_ "))
	zone := loc
	if z := trailZoneRE.FindStringSubmatchIndex(line); z != nil {
		name := ""
		for k := 2; k < len(z); k += 2 {
			if z[k] >= 0 {
				name = line[z[k]:z[k+1]]
			}
		}
		// "11:30 AM" ends in a word that is no zone: keep the line as it is.
		if l := Zone(name); l != nil {
			zone, line = l, line[:z[0]]
		}
	}
	parts := rangeSepRE.Split(line, 2)
	if len(parts) != 2 {
		return time.Time{}, time.Time{}, false
	}
	s, sDated, ok1 := when(strings.TrimSpace(parts[0]), day, zone)
	if !ok1 {
		return time.Time{}, time.Time{}, false
	}
	base := day
	if sDated {
		base = time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, zone)
	}
	e, eDated, ok2 := when(strings.TrimSpace(parts[1]), base, zone)
	if !ok2 {
		return time.Time{}, time.Time{}, false
	}
	if !eDated && e.Before(s) {
		e = e.AddDate(0, 0, 1)
	}
	if e.Before(s) {
		return time.Time{}, time.Time{}, false
	}
	return s, e, true
}

// when reads one side of a span; it reports whether the side gave a date.
func when(s string, day time.Time, zone *time.Location) (time.Time, bool, bool) {
	m := whenRE.FindStringSubmatch(s)
	if m == nil {
		return time.Time{}, false, false
	}
	y, mo, d := day.Date()
	dated := true
	switch {
	case m[1] != "" || m[4] != "":
		name, dd := m[1], m[2]
		if name == "" {
			name, dd = m[4], m[3]
		}
		month, ok := months[strings.ToLower(name)]
		if !ok {
			return time.Time{}, false, false
		}
		mo = month
		d, _ = strconv.Atoi(dd)
		y, _ = strconv.Atoi(m[5])
	case m[6] != "":
		y, _ = strconv.Atoi(m[6])
		mi, _ := strconv.Atoi(m[7])
		mo = time.Month(mi)
		d, _ = strconv.Atoi(m[8])
	default:
		dated = false
	}
	hour, _ := strconv.Atoi(m[9])
	minute, _ := strconv.Atoi(m[10])
	sec, _ := strconv.Atoi(m[11])
	if ap := strings.ToLower(m[12]); ap != "" {
		if hour < 1 || hour > 12 {
			return time.Time{}, false, false
		}
		hour %= 12
		if ap == "p" {
			hour += 12
		}
	}
	if hour > 23 || minute > 59 || sec > 59 || mo < 1 || mo > 12 || d < 1 || d > 31 {
		return time.Time{}, false, false
	}
	return time.Date(y, mo, d, hour, minute, sec, 0, zone), dated, true
}
