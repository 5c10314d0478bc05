package postmortem

import (
	"bytes"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/postmortem/postmortem/generator/timeline"
)

// Inference: what a postmortem written without (all of its) front matter
// says in its body and its name.

var (
	// atxH1RE is a level-one ATX heading: "# Title", "# Title #".
	atxH1RE = regexp.MustCompile(`^ {0,3}#[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$`)
	// setextH1RE underlines a level-one Setext heading.
	setextH1RE = regexp.MustCompile(`^ {0,3}=+[ \t]*$`)
	// nameDateRE is a date that starts a file or folder name:
	// "2024-03-02-disk-full", "2024-03-02 Disk full", "2024_03_02".
	nameDateRE = regexp.MustCompile(`^(\d{4})[-_](\d{2})[-_](\d{2})(?:$|[-_ .])`)
	// dateLikeRE is what looks like a date in a table row or list item,
	// right or wrong: "2020-02-03", "20202-01-16", "2020/2/30".
	dateLikeRE = regexp.MustCompile(`^\s*(?:[-*+]\s+|\|\s*)?[*_` + "`" + `]*(\d{3,6}[-/]\d{1,2}[-/]\d{1,2})\b`)
	// actionHeadRE is the text of a heading that opens the action items:
	// "Action items", "Action Items:", "**Action items**", and the names
	// other templates give them: "Follow-ups", "Follow-up actions",
	// "Corrective actions", "Corrective and preventive actions", "Next
	// steps". Not "Remediation", which tells as often what was done.
	actionHeadRE = regexp.MustCompile(`(?i)^(?:\*\*|__)?(?:action[ -]items?|follow[ -]?ups?(?:[ -](?:items|actions|tasks))?|(?:corrective|prevent(?:at)?ive|corrective and prevent(?:at)?ive) (?:actions?|measures)|tasks to address(?: the issue)?|next steps|action plan)\b[^a-z]*$`)
	// taskRE is a list item, maybe a task: "- [ ] text", "* [x] text", "1. text".
	taskRE = regexp.MustCompile(`^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(?:\[([ xX])\]\s+)?(.*\S)\s*$`)
	// markedItemRE is an item written as a line of its own with a mark:
	// "AI: text", "TODO: text", "Action: text".
	markedItemRE = regexp.MustCompile(`^\s{0,3}` + itemMark + `()(.*\S)\s*$`)
	// itemMarkRE is the same mark at the start of a list item's text.
	itemMarkRE = regexp.MustCompile(`^` + itemMark)
)

// itemMark is the mark of an action item written as one: "AI: ".
const itemMark = `(?:AI|TODO|(?i:action(?: item)?))\s*:\s+`

// leadingH1 finds a level-one heading that is the first thing in body
// (see firstLine). It returns its text and the 1-based lines of body it
// takes (first and last), and false when body starts with anything else.
func leadingH1(body []byte) (text string, first, last int, ok bool) {
	l, n, rest, ok := firstLine(body)
	if !ok {
		return "", 0, 0, false
	}
	if m := atxH1RE.FindStringSubmatch(l); m != nil && strings.TrimSpace(m[1]) != "" {
		return strings.TrimSpace(m[1]), n, n, true
	}
	under, _, _ := bytes.Cut(rest, []byte("\n"))
	if !strings.HasPrefix(l, "    ") && setextH1RE.Match(bytes.TrimRight(under, "\r")) {
		return strings.TrimSpace(l), n, n + 1, true
	}
	return "", 0, 0, false
}

// leadingTitle finds the line that starts body when it is a paragraph of
// its own that says title and nothing else, in any case and maybe in
// bold, as a file of plain text starts: its 1-based line, or 0.
func leadingTitle(body []byte, title string) int {
	l, n, rest, ok := firstLine(body)
	next, _, _ := bytes.Cut(rest, []byte("\n"))
	if !ok || len(bytes.TrimSpace(next)) > 0 || title == "" {
		return 0
	}
	if strings.EqualFold(strings.Trim(l, " \t*_.:"), strings.Trim(title, " \t*_.:")) {
		return n
	}
	return 0
}

// firstLine returns the first line of body that is not blank, its 1-based
// number and what follows it, skipping a YAML code block of metadata
// before it (see bodyFacts); false when body has none, or starts with
// another code block.
func firstLine(body []byte) (l string, n int, rest []byte, ok bool) {
	fenced, seen := false, false
	for rest = body; len(rest) > 0; {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		rest = next
		n++
		l = strings.TrimRight(string(line), "\r")
		if t := strings.TrimSpace(l); isFence(t) {
			if !fenced && (seen || !isYAMLInfo(t[3:])) {
				return "", 0, nil, false
			}
			fenced, seen = !fenced, true
			continue
		}
		if fenced || strings.TrimSpace(l) == "" {
			continue
		}
		return l, n, rest, true
	}
	return "", 0, nil, false
}

// blankLines returns body with its lines first to last (1-based) emptied,
// so that the lines after them keep their numbers.
func blankLines(body []byte, first, last int) []byte {
	out := make([]byte, 0, len(body))
	n := 0
	for rest := body; len(rest) > 0; {
		line, next, found := bytes.Cut(rest, []byte("\n"))
		rest = next
		n++
		if n < first || n > last {
			out = append(out, line...)
		}
		if found {
			out = append(out, '\n')
		}
	}
	return out
}

// readableName turns a file or folder name into a title: without its
// extension and a leading date, dashes and underscores as spaces when it
// has none, the first letter upper-case ("web-stack-outage.md" is "Web
// stack outage").
func readableName(name string) string {
	name = strings.TrimSuffix(name, path.Ext(name))
	if m := nameDateRE.FindStringIndex(name); m != nil {
		name = name[m[1]:]
	}
	if !strings.Contains(name, " ") {
		name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	}
	name = strings.Join(strings.Fields(name), " ")
	r, size := utf8.DecodeRuneInString(name)
	if size == 0 {
		return ""
	}
	return string(unicode.ToUpper(r)) + name[size:]
}

// nameDate finds the day of the incident in a source path: a name that
// starts with a date ("2024-03-02-dns.md", "2024-03-02-dns/index.md"), or
// the folders YEAR/MONTH/DAY above it ("2024/03/02/dns.md"). A number in
// the middle of a name is not a date.
func nameDate(p, dir string, loc *time.Location) (time.Time, bool) {
	base := path.Base(p)
	if dir != "" {
		base = path.Base(dir)
	}
	if m := nameDateRE.FindStringSubmatch(base); m != nil {
		return validDay(m[1], m[2], m[3], loc)
	}
	folders := strings.Split(path.Dir(p), "/")
	if dir != "" {
		folders = strings.Split(path.Dir(dir), "/")
	}
	for i := 0; i+2 < len(folders); i++ {
		y, m, d := folders[i], folders[i+1], folders[i+2]
		if len(y) == 4 && len(m) == 2 && len(d) == 2 {
			if t, ok := validDay(y, m, d, loc); ok {
				return t, true
			}
		}
	}
	return time.Time{}, false
}

// validDay returns the day of the year, month and day given in digits,
// when it exists.
func validDay(y, m, d string, loc *time.Location) (time.Time, bool) {
	t, err := ParseTime(y+"-"+m+"-"+d, loc)
	return t, err == nil && !t.IsZero()
}

// datedEntry returns the day of the first timeline entry that gives its
// date.
func datedEntry(body []byte, loc *time.Location, zoneOf func(time.Time) *time.Location) (time.Time, bool) {
	for _, e := range timeline.Parse(body, time.Time{}.In(loc), loc) {
		if e.Dated {
			return dayIn(e.Time, zoneOf(e.Time)), true
		}
	}
	return time.Time{}, false
}

// datedSpan returns the day the "Duration:" line of body starts on, when
// that line gives a date.
func datedSpan(body []byte, loc *time.Location, zoneOf func(time.Time) *time.Location) (time.Time, bool) {
	start, _, ok := timeline.ParseDuration(body, time.Time{}.In(loc), loc)
	if !ok || start.Year() <= 1 { // undated: on the zero day given
		return time.Time{}, false
	}
	return dayIn(start, zoneOf(start)), true
}

// notDates lists the lines of body (1-based) with a table row or a list
// item that starts with what looks like a date and is none, and the text.
func notDates(body []byte) (lines []int, texts []string) {
	n := 0
	for rest := body; len(rest) > 0; {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		rest = next
		n++
		m := dateLikeRE.FindSubmatch(line)
		if m == nil {
			continue
		}
		s := strings.ReplaceAll(string(m[1]), "/", "-")
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			lines, texts = append(lines, n), append(texts, string(m[1]))
		}
	}
	return lines, texts
}

// headingOf returns the level and text of an ATX heading, or 0.
func headingOf(t string) (int, string) {
	n := 0
	for n < len(t) && t[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || (n < len(t) && t[n] != ' ' && t[n] != '\t') {
		return 0, ""
	}
	return n, strings.TrimSpace(strings.TrimRight(t[n:], "#"))
}

// zoneNotes says in which zone the times of p are shown, when its body
// states the zone, and how each abbreviation of standard time written for
// a day of summer was read.
func zoneNotes(p *Postmortem, stated bool) []ZoneNote {
	var notes []ZoneNote
	where := func(t time.Time) string {
		abbr, _ := t.Zone()
		if name := t.Location().String(); name != abbr {
			return name + ", " + t.Format("UTC-07:00")
		}
		return t.Format("UTC-07:00")
	}
	if stated {
		at := p.Started
		if at.IsZero() {
			at = p.Date
		}
		at = at.In(p.Location)
		abbr, _ := at.Zone()
		notes = append(notes, ZoneNote{Shown: abbr, Where: where(at)})
	}
	times := []time.Time{p.Started, p.Detected, p.Acknowledged, p.Mitigated, p.Resolved}
	for _, e := range p.Timeline {
		times = append(times, e.Time)
	}
	for _, t := range times {
		w, ok := timeline.Written(t.Location())
		if !ok || t.IsZero() {
			continue
		}
		if a, _ := t.Zone(); a != w {
			n := ZoneNote{Written: w, Shown: a, Where: where(t), Day: rehome(t, t.Location())}
			if !slices.ContainsFunc(notes, func(o ZoneNote) bool { return o.Written == n.Written && o.Shown == n.Shown }) {
				notes = append(notes, n)
			}
		}
	}
	return notes
}
