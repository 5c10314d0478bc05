package postmortem

import (
	"html"
	"regexp"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/timeline"
	"gopkg.in/yaml.v3"
)

// Facts written in the body: a postmortem without front matter often gives
// them as lines of their own near its top, "**Date:** March 3, 2024",
// "Severity: SEV2", "- Root cause: replication lag", or as rows of a
// table, "| Services | api, web |".

// ordinalRE is the suffix of a day written as an ordinal: "3rd".
var ordinalRE = regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)\b`)

// factNames are the names such a line gives a field by, in lower case.
var factNames = map[string]string{
	"date": "date", "incident date": "date", "date of incident": "date",
	"severity": "severity", "sev": "severity", "severity level": "severity",
	"root cause": "root_causes", "root causes": "root_causes", "cause": "root_causes", "causes": "root_causes",
	"service": "services", "services": "services", "affected service": "services", "affected services": "services",
	"services affected": "services", "impacted services": "services", "services impacted": "services",
	"systems affected": "services", "affected systems": "services",
	"author": "authors", "authors": "authors", "written by": "authors",
	"started": "started", "impact start": "started", "impact started": "started", "start time": "started", "incident start": "started",
	"detected": "detected", "detection time": "detected", "time detected": "detected",
	"mitigated": "mitigated", "mitigation time": "mitigated", "time mitigated": "mitigated",
	"resolved": "resolved", "impact end": "resolved", "impact ended": "resolved", "end time": "resolved", "incident end": "resolved",
	"resolution time": "resolved", "time resolved": "resolved",
}

// factLines is how many lines from its top a body's facts are looked for
// in: past them, such a line is more likely prose.
const factLines = 40

// fact is a field's value as a line of the body gives it.
type fact struct {
	value     string
	line, col int // in the body, 1-based
}

// bodyFacts returns the facts the first lines of body give, by field,
// the first of each. A YAML code block that opens the body is read too:
// the metadata of a document exported from elsewhere ("```yaml",
// "severity: SEV2", "services: [cdn, web]").
func bodyFacts(body []byte) map[string]fact {
	var out map[string]fact
	fenced, leading, started := false, false, false
	rest := string(body)
	for n := 1; n <= factLines && rest != ""; n++ {
		var line string
		line, rest, _ = strings.Cut(rest, "\n")
		line = strings.TrimRight(line, "\r")
		t := strings.TrimSpace(line)
		if isFence(t) {
			fenced = !fenced
			leading = fenced && !started && isYAMLInfo(t[3:])
			started = true
			continue
		}
		started = started || t != ""
		if fenced && !leading {
			continue
		}
		field, value, col, ok := factLine(line)
		if _, seen := out[field]; !ok || seen {
			continue
		}
		if out == nil {
			out = map[string]fact{}
		}
		out[field] = fact{value, n, col}
	}
	return out
}

// isFence reports whether t, a line trimmed of blanks, opens or closes a
// fenced code block.
func isFence(t string) bool { return strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") }

// isYAMLInfo reports whether info, what follows a code fence, names YAML.
func isYAMLInfo(info string) bool {
	switch strings.ToLower(strings.TrimSpace(strings.TrimLeft(info, "`~"))) {
	case "yaml", "yml":
		return true
	}
	return false
}

// IsFactLine reports whether line gives a fact of the incident as the
// body's first lines may (see factLine), or the zone of its times:
// markdown.FactLines takes it.
func IsFactLine(line string) bool {
	line = strings.TrimRight(line, "\r\n")
	_, _, _, ok := factLine(line)
	return ok || timeline.StatesZone(line)
}

// FactField returns the field that line, a line of the body, gives a fact
// of as the body's first lines may (see factLine): "date" for "**Date:**
// March 3, 2024"; "" for a line that gives none.
func FactField(line string) string {
	field, _, _, ok := factLine(strings.TrimRight(line, "\r\n"))
	if !ok {
		return ""
	}
	return field
}

// factLine reads a line that gives a fact: a name of factNames, maybe in
// bold and after a list marker, a colon and the value ("**Date:** March
// 3, 2024", "- Severity: SEV2"), or a table row of the name and the value
// ("| Services | api, web |"). It returns the field, the value and its
// 1-based column. It reads most lines, which are none, in a few steps:
// they fail at their first letters.
func factLine(line string) (field, value string, col int, ok bool) {
	at := len(line) - len(strings.TrimLeft(line, " "))
	t := line[at:]
	row := strings.HasPrefix(t, "|")
	switch {
	case row:
		t = strings.TrimLeft(t[1:], " ")
	case len(t) > 2 && strings.ContainsRune("-*+", rune(t[0])) && t[1] == ' ':
		t = strings.TrimLeft(t[2:], " ")
	}
	t = strings.TrimLeft(t, "*_")
	sep := ":"
	if row {
		sep = "|"
	}
	end := strings.Index(t, sep)
	if end < 2 || end > 30 || !isLetterByte(t[0]) {
		return "", "", 0, false
	}
	field, ok = factNames[strings.ReplaceAll(strings.ToLower(unentity(strings.TrimRight(t[:end], "*_: "))), "_", " ")]
	if !ok {
		return "", "", 0, false
	}
	v := strings.TrimLeft(t[end+1:], "*_ ")
	if row {
		v, _, ok = strings.Cut(v, "|")
		if !ok {
			return "", "", 0, false
		}
	}
	value = strings.Trim(v, "*_` ")
	if strings.HasPrefix(value, "[") && strings.HasSuffix(value, "]") {
		value = strings.TrimSpace(value[1 : len(value)-1]) // a YAML list: [cdn, web]
	}
	if value == "" {
		return "", "", 0, false
	}
	col = strings.Index(line, value) + 1
	value = unentity(value)
	return field, value, col, value != ""
}

// unentity returns s, a value of the body's text, with the entities an
// export writes ("payments-api,&nbsp;checkout") as the characters they
// stand for, a no-break space as a space, trimmed.
func unentity(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.TrimSpace(strings.ReplaceAll(html.UnescapeString(s), "\u00a0", " "))
}

func isLetterByte(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// factList is the value of f as a YAML list of its parts, split at commas
// and semicolons, at f's place in the file (the body's starting at
// bodyLine), for the decoder to read as the front matter's; nil when a
// part is more words than a term is (a sentence, not a list).
func factList(f fact, bodyLine int) *yaml.Node {
	list := &yaml.Node{Kind: yaml.SequenceNode, Line: bodyLine + f.line - 1, Column: f.col}
	col := f.col
	for _, part := range strings.FieldsFunc(f.value, func(r rune) bool { return r == ',' || r == ';' }) {
		t := strings.TrimSpace(part)
		if len(strings.Fields(t)) > 4 || strings.HasSuffix(t, ".") {
			return nil
		}
		if t != "" {
			list.Content = append(list.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: t, Line: list.Line, Column: col + strings.Index(part, t)})
		}
		col += len(part) + 1
	}
	if len(list.Content) == 0 {
		return nil
	}
	return list
}

// factDayLayouts are the ways a fact's day is written that ParseTime does
// not read.
var factDayLayouts = []string{"January 2, 2006", "January 2 2006", "Jan 2, 2006", "Jan 2 2006", "2 January 2006", "2 Jan 2006",
	"Monday, January 2, 2006", "Mon, January 2, 2006", "Monday, 2 January 2006", "2006/01/02"}

// mayBeDay reports whether s may write a day: every way of writing one,
// with its year or without, has the day's number.
func mayBeDay(s string) bool { return strings.ContainsAny(s, "0123456789") }

// factDay reads the day a fact gives, in loc.
func factDay(s string, loc *time.Location) (time.Time, bool) {
	if !mayBeDay(s) {
		return time.Time{}, false
	}
	s = strings.TrimSpace(ordinalRE.ReplaceAllString(s, "$1"))
	if t, _, ok := readTime(s, loc); ok {
		return dayIn(t, loc), true
	}
	for _, l := range factDayLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return rehome(t, loc), true
		}
	}
	if month, day, year, ok := numericDay(s); ok && year > 0 {
		if t := time.Date(year, month, day, 0, 0, 0, 0, loc); t.Day() == day {
			return t, true
		}
	}
	return time.Time{}, false
}
