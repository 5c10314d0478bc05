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
	actionHeadRE = regexp.MustCompile(`(?i)^(?:\*\*|__)?(?:action[ -]items?|follow[ -]?ups?(?:[ -](?:items|actions|tasks))?|(?:corrective|preventive|corrective and preventive) actions?|next steps|action plan)\b[^a-z]*$`)
	// taskRE is a list item, maybe a task: "- [ ] text", "* [x] text", "1. text".
	taskRE = regexp.MustCompile(`^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+(?:\[([ xX])\]\s+)?(.*\S)\s*$`)
)

// leadingH1 finds a level-one heading that is the first thing in body
// (blank lines aside, and a YAML code block of metadata before it: see
// bodyFacts). It returns its text and the 1-based lines of body it takes
// (first and last), and false when body starts with anything else.
func leadingH1(body []byte) (text string, first, last int, ok bool) {
	n, fenced, seen := 0, false, false
	for rest := body; len(rest) > 0; {
		line, next, _ := bytes.Cut(rest, []byte("\n"))
		rest = next
		n++
		l := strings.TrimRight(string(line), "\r")
		if t := strings.TrimSpace(l); isFence(t) {
			if !fenced && (seen || !isYAMLInfo(t[3:])) {
				return "", 0, 0, false
			}
			fenced, seen = !fenced, true
			continue
		}
		if fenced || strings.TrimSpace(l) == "" {
			continue
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
	return "", 0, 0, false
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
func datedEntry(body []byte, loc *time.Location) (time.Time, bool) {
	for _, e := range timeline.Parse(body, time.Time{}.In(loc), loc) {
		if e.Dated {
			return dayIn(e.Time, loc), true
		}
	}
	return time.Time{}, false
}

// datedSpan returns the day the "Duration:" line of body starts on, when
// that line gives a date.
func datedSpan(body []byte, loc *time.Location) (time.Time, bool) {
	start, _, ok := timeline.ParseDuration(body, time.Time{}.In(loc), loc)
	if !ok || start.Year() <= 1 { // undated: on the zero day given
		return time.Time{}, false
	}
	return dayIn(start, loc), true
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

// bodyActionItems reads the list under a heading "Action items" of body:
// each item open, or done when it is a task ticked "- [x]"; or the rows of
// a table there (see itemTable). Lines are 1-based lines of body.
func bodyActionItems(body []byte, loc *time.Location) []ActionItem {
	var items []ActionItem
	var table itemTable
	level := -1 // the heading level of the section, 0 for a plain line; -1 before it
	fenced := false
	n := 0
	for rest := string(body); len(rest) > 0; {
		line, next, _ := strings.Cut(rest, "\n")
		rest = next
		n++
		l := strings.TrimRight(line, "\r")
		t := strings.TrimSpace(l)
		if isFence(t) {
			fenced = !fenced
			continue
		}
		if fenced || t == "" {
			continue
		}
		hl, htext := headingOf(t)
		if level < 0 {
			if hl > 0 && actionHeadRE.MatchString(htext) {
				level = hl
			} else if hl == 0 && mentionsAction(t) && actionHeadRE.MatchString(strings.TrimSuffix(t, ":")) {
				level = 0
			}
			continue
		}
		if hl > 0 && (level == 0 || hl <= level) {
			break
		}
		if strings.HasPrefix(t, "|") {
			if it, ok := table.row(t, loc); ok {
				it.Line = n
				items = append(items, it)
			}
			continue
		}
		m := taskRE.FindStringSubmatch(l)
		if m == nil {
			if level == 0 && len(items) > 0 && !startsBlank(l) {
				break
			}
			continue
		}
		if startsBlank(l) && len(l)-len(strings.TrimLeft(l, " \t")) > 3 {
			continue // a nested item belongs to the one above
		}
		it := ActionItem{Status: "open", Line: n}
		it.Title, it.Owner, it.Due = itemFacts(m[2], loc)
		if m[1] == "x" || m[1] == "X" {
			it.Status = "done"
		}
		items = append(items, it)
	}
	return items
}

// itemTable reads a table of action items, | Action | Owner | Due |
// Status |: its header row names its columns, in any order and case.
type itemTable struct {
	cols  map[string]int // by field: title, owner, due, status
	ready bool           // the header and the line under it were read
}

// tableColumns are the names a header gives the fields of an item by.
var tableColumns = map[string]string{
	"action": "title", "action item": "title", "item": "title", "title": "title", "task": "title", "description": "title", "what": "title",
	"owner": "owner", "owners": "owner", "assignee": "owner", "assigned to": "owner", "who": "owner",
	"due": "due", "due date": "due", "deadline": "due", "by": "due", "target date": "due",
	"status": "status", "state": "status",
}

// row reads line, a row of the table: the header, the line under it, or
// an item, which it returns.
func (x *itemTable) row(line string, loc *time.Location) (ActionItem, bool) {
	cells := strings.Split(strings.Trim(line, "| "), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	switch {
	case x.cols == nil:
		x.cols = map[string]int{}
		for i, c := range cells {
			if f, ok := tableColumns[strings.ToLower(strings.Trim(c, "*_ "))]; ok {
				if _, seen := x.cols[f]; !seen {
					x.cols[f] = i
				}
			}
		}
		if _, ok := x.cols["title"]; !ok {
			x.cols["title"] = 0
		}
		return ActionItem{}, false
	case !x.ready:
		x.ready = true
		return ActionItem{}, false
	}
	cell := func(f string) string {
		if i, ok := x.cols[f]; ok && i < len(cells) {
			return strings.Trim(cells[i], "*_` ")
		}
		return ""
	}
	it := ActionItem{Title: cell("title"), Owner: strings.TrimPrefix(cell("owner"), "@"), Status: "open"}
	if it.Title == "" {
		return ActionItem{}, false
	}
	if d, ok := factDay(cell("due"), loc); ok {
		it.Due = d
	}
	if st := statusNamed(cell("status")); st != "" {
		it.Status = st
	}
	return it, true
}

// statusNamed returns the status of an action item that s names in other
// words than ours ("closed", "won't fix", "in progress"), or ours, in any
// case; "" for none.
func statusNamed(s string) string {
	switch s = strings.ToLower(strings.TrimSpace(s)); {
	case slices.Contains(ActionStatuses, s):
		return s
	case s == "closed" || s == "complete" || s == "completed" || s == "fixed" || s == "resolved" || s == "[x]":
		return "done"
	case strings.HasPrefix(s, "won") || s == "dropped" || s == "cancelled" || s == "canceled" || s == "rejected":
		return "wontfix"
	case s == "todo" || s == "to do" || s == "in progress" || s == "pending" || s == "planned" || s == "[ ]":
		return "open"
	}
	return ""
}

var (
	// itemFactsRE is what ends an action item's line to give its owner or
	// due day: "(owner: @maria, due 2020-03-01)", "(@sam)".
	itemFactsRE = regexp.MustCompile(`\s*[(\[]([^()\[\]]*)[)\]]\s*$`)
	// itemOwnerRE is an owner named at the end of the line: "— @sam".
	itemOwnerRE = regexp.MustCompile(`\s+(?:[-–—]\s+)?@([\w.-]+)\s*$`)
	// itemFactStartRE is how a fact in the brackets starts.
	itemFactStartRE = regexp.MustCompile(`(?i)^\s*(?:owner|assigned to|assignee|due|by|@)`)
	// itemFactRE is one fact in the brackets: "owner: @maria", "due
	// 2020-03-01", "assigned to Mo".
	itemFactRE = regexp.MustCompile(`(?i)^(owner|assigned to|assignee|due|by)?\s*:?\s*(.+)$`)
)

// itemFacts takes the owner and due day, in loc, that the text of an
// action item of the body ends with (see itemFactsRE and itemOwnerRE), off
// its title.
func itemFacts(text string, loc *time.Location) (title, owner string, due time.Time) {
	title = text
	if m := itemFactsRE.FindStringSubmatchIndex(title); m != nil {
		found := false
		// Split at commas and semicolons before a fact's name, not within
		// a day written "March 5, 2020".
		var parts []string
		for _, part := range strings.FieldsFunc(title[m[2]:m[3]], func(r rune) bool { return r == ',' || r == ';' }) {
			if _, day := factDay(part, loc); len(parts) > 0 && !itemFactStartRE.MatchString(part) && !day {
				parts[len(parts)-1] += "," + part
				continue
			}
			parts = append(parts, part)
		}
		for _, part := range parts {
			f := itemFactRE.FindStringSubmatch(strings.TrimSpace(part))
			if f == nil {
				continue
			}
			name, v := strings.ToLower(f[1]), strings.TrimSpace(f[2])
			if name == "assigned to" || name == "assignee" {
				name = "owner"
			}
			switch {
			case (name == "owner" || name == "") && strings.HasPrefix(v, "@") || name == "owner":
				owner, found = strings.TrimPrefix(v, "@"), true
			case name == "due" || name == "by" || name == "":
				if d, ok := factDay(v, loc); ok {
					due, found = d, true
				}
			}
		}
		if found {
			title = strings.TrimSpace(title[:m[0]])
		}
	}
	if m := itemOwnerRE.FindStringSubmatchIndex(title); m != nil && owner == "" {
		owner, title = title[m[2]:m[3]], strings.TrimSpace(title[:m[0]])
	}
	return title, owner, due
}

// mentionsAction is a quick test for a line that may open the action
// items (see actionHeadRE).
func mentionsAction(l string) bool {
	for _, w := range [...]string{"ction", "CTION", "ollow", "OLLOW", "teps", "TEPS"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func startsBlank(l string) bool { return strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") }

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
