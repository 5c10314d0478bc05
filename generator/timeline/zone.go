package timeline

import (
	"regexp"
	"strings"
	"time"
)

// offsets are the zone abbreviations a timeline may use, in minutes east of
// UTC. They are fixed: "CET" is always UTC+1, whatever the date.
var offsets = map[string]int{
	"UTC": 0, "GMT": 0, "Z": 0, "WET": 0, "WEST": 60, "BST": 60, "IST": 330, "WAT": 60, "CET": 60, "CEST": 120,
	"EET": 120, "EEST": 180, "CAT": 120, "EAT": 180, "SAST": 120, "MSK": 180, "GST": 240, "PKT": 300,
	"ICT": 420, "WIB": 420, "SGT": 480, "HKT": 480, "AWST": 480, "JST": 540, "KST": 540, "ACST": 570,
	"AEST": 600, "AEDT": 660, "NZST": 720, "NZDT": 780, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
	"MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "AKST": -540, "AKDT": -480, "HST": -600,
	"BRT": -180, "ART": -180, "NST": -210, "AST": -240, "ADT": -180,
}

// wordlike are abbreviations that are also common words in incident notes
// ("cat /etc/hosts", "AST rewrite"). Right after an entry's time they count
// as a zone only when a separator follows them or they are in brackets.
var wordlike = map[string]bool{"ADT": true, "ART": true, "AST": true, "CAT": true, "EAT": true, "WET": true, "GST": true}

var numericZoneRE = regexp.MustCompile(`^(?i:(UTC|GMT))?([+-])(\d{1,2})(?::?(\d{2}))?$`)

// Zone returns the fixed zone a common abbreviation ("WAT", "cest", "Z") or
// offset ("UTC+1", "GMT-3", "+05:30") names, in any case, or nil.
func Zone(name string) *time.Location {
	if len(name) > 12 {
		return nil
	}
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
