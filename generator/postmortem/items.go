package postmortem

import (
	"cmp"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The action items a postmortem's body lists, for one written without
// them in its front matter.

// bodyActionItems reads the list under a heading "Action items" of body:
// each item open, or done when it is a task ticked "- [x]"; or the rows of
// a table there (see itemTable). Lines are 1-based lines of body. A due
// day written without its year is the first after from (see dueDay).
func bodyActionItems(body []byte, loc *time.Location, from time.Time) []ActionItem {
	var items []ActionItem
	var table itemTable
	level := -1     // the heading level of the section, 0 for a plain line; -1 before it
	listed := false // a list item of the section was read
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
		// A heading, or a plain line, that names a section of items opens
		// one: the first, or the next, when it ends the one before (a
		// heading as high, or a line at the margin: "Corrective
		// measures:" then "Tasks to Address the Issue:").
		newSection := level < 0 || hl == 0 && !startsBlank(l) || hl > 0 && (level == 0 || hl <= level)
		if newSection && (hl > 0 && actionHeadRE.MatchString(htext) || hl == 0 && mentionsAction(t) && actionHeadRE.MatchString(strings.TrimSuffix(t, ":"))) {
			level, listed = hl, false
			continue
		}
		if level < 0 {
			continue
		}
		if hl > 0 && (level == 0 || hl <= level) {
			break
		}
		if strings.HasPrefix(t, "|") {
			if it, ok := table.row(t, loc, from); ok {
				it.Line = n
				items = append(items, it)
			}
			continue
		}
		m := taskRE.FindStringSubmatch(l)
		if m == nil {
			m = markedItemRE.FindStringSubmatch(l)
		}
		if m == nil && level == 0 && !listed && startsBlank(l) {
			// Under a line that names the section, its indented
			// paragraphs, one item each, as plain-text documents write
			// them: "    Improve Code Review Process: Strengthen ...".
			items = append(items, ActionItem{Status: "open", Line: n, Title: leadOf(t)})
			continue
		}
		if m == nil {
			if level == 0 && len(items) > 0 && !startsBlank(l) {
				break
			}
			continue
		}
		listed = true
		if startsBlank(l) && len(l)-len(strings.TrimLeft(l, " \t")) > 3 {
			continue // a nested item belongs to the one above
		}
		if noneRE.MatchString(m[2]) {
			continue // "- None recorded.": a section that says it has none
		}
		it := ActionItem{Status: "open", Line: n}
		text := m[2]
		if mk := itemMarkRE.FindStringIndex(text); mk != nil {
			text = text[mk[1]:] // "- TODO: Raise the limit"
		}
		it.Title, it.Owner, it.Due = itemFacts(text, loc, from)
		if m[1] == "x" || m[1] == "X" {
			it.Status = "done"
		}
		items = append(items, it)
	}
	return items
}

// noneRE is an item that says there is none: "None recorded.", "N/A",
// "No action items", "Nothing yet".
var noneRE = regexp.MustCompile(`(?i)^[*_]*(?:none|n/?a|nothing|no (?:action items?|actions?|follow-?ups?|items?))(?: (?:recorded|identified|needed|required|planned|yet|so far|at this time))?[.!]?[*_]*$`)

// leadOf returns the title of an item written as a paragraph: its lead,
// the words before a colon ("Improve Code Review Process: Strengthen
// ..."), when they are few; else the paragraph.
func leadOf(p string) string {
	if lead, _, ok := strings.Cut(p, ": "); ok && len(strings.Fields(lead)) <= 8 {
		return lead
	}
	return p
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
	"type": "type", "kind": "type",
	"bug": "ticket", "ticket": "ticket", "issue": "ticket", "jira": "ticket",
}

// row reads line, a row of the table: the header, the line under it, or
// an item, which it returns.
func (x *itemTable) row(line string, loc *time.Location, from time.Time) (ActionItem, bool) {
	cells := strings.Split(strings.Trim(line, "| "), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	switch {
	case x.cols == nil:
		x.cols = map[string]int{}
		for i, c := range cells {
			if f, ok := tableColumns[strings.ToLower(unentity(strings.Trim(c, "*_ ")))]; ok {
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
			return unentity(strings.Trim(cells[i], "*_` "))
		}
		return ""
	}
	it := ActionItem{Title: cell("title"), Owner: person(cell("owner")), Status: "open"}
	if it.Title == "" {
		return ActionItem{}, false
	}
	if d, ok := dueDay(cell("due"), loc, from); ok {
		it.Due = d
	}
	if st := statusNamed(cell("status")); st != "" {
		it.Status = st
	} else if doneRE.MatchString(cell("ticket")) {
		it.Status = "done" // the SRE book's table: "Bug 12345 **DONE**"
	}
	if t := strings.ToLower(cell("type")); slices.Contains(ActionTypes, t) {
		it.Type = t
	}
	return it, true
}

// doneRE is a ticket's cell that says the item is done.
var doneRE = regexp.MustCompile(`\b(?:DONE|FIXED|Done|Fixed)\b`)

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
	// due day: "(owner: @maria, due 2020-03-01)", "(@sam)", "(Dana, by
	// Dec 15)".
	itemFactsRE = regexp.MustCompile(`\s*[(\[]([^()\[\]]*)[)\]]\s*$`)
	// itemTailRE is what follows a dash at the end of an action item's
	// line: "— @sam", "– Dana, by Dec 15", " - Dana".
	itemTailRE = regexp.MustCompile(`\s+(?:[–—]|--?)\s+([^–—]+?)\s*$`)
	// itemOwnerRE is an owner named at the end of the line: "@sam".
	itemOwnerRE = regexp.MustCompile(`\s+@([\w.-]+)\s*$`)
	// itemFactStartRE is how a fact in the brackets starts.
	itemFactStartRE = regexp.MustCompile(`(?i)^\s*(?:(?:owner|assigned to|assignee|due|by)\b|@)`)
	// itemFactRE is one fact in the brackets: "owner: @maria", "due
	// 2020-03-01", "assigned to Mo".
	itemFactRE = regexp.MustCompile(`(?i)^(?:(owner|assigned to|assignee|due|by)\b)?\s*:?\s*(.+)$`)
)

// itemFacts takes the owner and due day, in loc, that the text of an
// action item of the body ends with (see itemFactsRE, itemTailRE and
// itemOwnerRE), off its title. A day without its year is the first after
// from.
func itemFacts(text string, loc *time.Location, from time.Time) (title, owner string, due time.Time) {
	title = text
	if m := itemFactsRE.FindStringSubmatchIndex(title); m != nil {
		if o, d, ok := factsOf(title[m[2]:m[3]], false, loc, from); ok {
			title, owner, due = strings.TrimSpace(title[:m[0]]), o, d
		}
	}
	// After each dash from the end: "— owner: Bob — due: 2026-12-10".
	for m := itemTailRE.FindStringSubmatchIndex(title); m != nil; m = itemTailRE.FindStringSubmatchIndex(title) {
		o, d, ok := factsOf(title[m[2]:m[3]], true, loc, from)
		if !ok {
			break
		}
		title = strings.TrimSpace(title[:m[0]])
		owner, due = cmp.Or(owner, o), cmp.Or(due, d)
	}
	if m := itemOwnerRE.FindStringSubmatchIndex(title); m != nil && owner == "" {
		owner, title = title[m[2]:m[3]], strings.TrimSpace(title[:m[0]])
	}
	return title, owner, due
}

// UnreadTail returns how the title of an action item read from the body
// ends when that looks like an owner or due day that could not be read
// ("— jörg — EOW", "(Tom, 3/4)"), for a message to quote; "" when it
// does not.
func UnreadTail(title string) string {
	if m := itemFactsRE.FindStringIndex(title); m != nil {
		return strings.TrimSpace(title[m[0]:])
	}
	if m := dashedRE.FindStringIndex(title); m != nil {
		return strings.TrimSpace(title[m[0]:]) // from the first dash
	}
	return ""
}

// dashedRE is the first dash between words of a title, and what follows.
var dashedRE = regexp.MustCompile(`\s(?:[–—]|--?)\s.*$`)

// factsOf reads the owner and due day of s, the facts at the end of an
// action item's line, parted by commas or semicolons. In brackets (all
// false), one fact is enough, and a name alone ("Dana") is the owner
// beside another; after a dash (all true), every part must be a fact or a
// name.
func factsOf(s string, all bool, loc *time.Location, from time.Time) (owner string, due time.Time, ok bool) {
	// Split at commas and semicolons before a fact's name, not within a
	// day written "March 5, 2020".
	var parts []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' }) {
		if len(parts) > 0 && !itemFactStartRE.MatchString(part) && !isDueDay(part, loc, from) {
			parts[len(parts)-1] += "," + part
			continue
		}
		parts = append(parts, part)
	}
	var names, handles []string
	for _, part := range parts {
		f := itemFactRE.FindStringSubmatch(strings.TrimSpace(part))
		if f == nil {
			continue
		}
		name, v := strings.ToLower(f[1]), strings.TrimSpace(f[2])
		switch {
		case name == "owner" || name == "assigned to" || name == "assignee" || name == "" && strings.HasPrefix(v, "@"):
			owner, ok = person(v), true
			continue
		case name == "due" || name == "by" || name == "":
			if d, day := dueDay(v, loc, from); day {
				due, ok = d, true
				continue
			}
			if name == "due" {
				// A due day that cannot be read ("due 06/05/2023", either
				// order): the facts stay in the title, for check to quote,
				// rather than lose the day.
				return "", time.Time{}, false
			}
		}
		switch {
		case name == "" && isName(v):
			names = append(names, v)
		case name == "" && isHandle(v):
			handles = append(handles, v)
		case all:
			return "", time.Time{}, false
		}
	}
	// A name in lower case ("jörg") only after a dash and beside another
	// fact: alone, or in brackets, it may be any word ("urgent").
	switch {
	case owner != "":
	case len(names) == 1 && len(handles) == 0 && (ok || all):
		owner, ok = names[0], true
	case len(handles) == 1 && len(names) == 0 && ok && all:
		owner = handles[0]
	case len(handles) > 0 && all:
		return "", time.Time{}, false
	}
	return owner, due, ok
}

// isName reports whether s reads as the name of a person or a team
// written without @: one to three words, each of letters and starting
// with a capital ("Dana", "Mo Salah", "SRE"), but not a word that stands
// for no one or for a day ("TBD", "EOW").
func isName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 3 || notNames[strings.ToUpper(s)] {
		return false
	}
	for _, w := range words {
		if r, _ := utf8.DecodeRuneInString(w); !unicode.IsUpper(r) {
			return false
		}
		for _, r := range w {
			if !unicode.IsLetter(r) && r != '.' && r != '\'' && r != '-' {
				return false
			}
		}
	}
	return true
}

// person returns the name of a person or team as written, without the @
// of a handle: "@maria" is maria.
func person(s string) string { return strings.TrimPrefix(s, "@") }

// notNames are words in capitals that end an action item's line without
// naming its owner.
var notNames = map[string]bool{"TBD": true, "TBA": true, "TODO": true, "ASAP": true, "EOD": true, "EOW": true, "EOM": true, "EOQ": true, "EOY": true, "WIP": true, "N/A": true, "NA": true}

// isHandle reports whether s is one word of letters, digits, dots, dashes
// or underscores in lower case: "jörg", "ops-team".
func isHandle(s string) bool {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsLower(r) && !unicode.IsDigit(r) && r != '.' && r != '-' && r != '_'
	}) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r)
}

// yearlessLayouts are the ways a due day is written without its year.
var yearlessLayouts = []string{"January 2", "Jan 2", "2 January", "2 Jan", "Monday, January 2", "Mon, Jan 2", "Mon Jan 2"}

// dueDay reads the due day of an action item, in loc: as factDay does,
// or written without its year ("by Dec 15", "12/18"), the first such day
// on or after from, the incident's day, when it is known.
func dueDay(s string, loc *time.Location, from time.Time) (time.Time, bool) {
	if d, ok := factDay(s, loc); ok || from.IsZero() || !mayBeDay(s) {
		return d, ok
	}
	s = strings.TrimSpace(ordinalRE.ReplaceAllString(s, "$1"))
	month, day, year, ok := numericDay(s)
	ok = ok && year == 0 // with a year, factDay read it
	for i := 0; !ok && i < len(yearlessLayouts); i++ {
		if t, err := time.Parse(yearlessLayouts[i], s); err == nil {
			month, day, ok = t.Month(), t.Day(), true
		}
	}
	if !ok {
		return time.Time{}, false
	}
	for y := from.Year(); y <= from.Year()+1; y++ {
		d := time.Date(y, month, day, 0, 0, 0, 0, loc)
		if d.Day() == day && !d.Before(time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc)) {
			return d, true
		}
	}
	return time.Time{}, false
}

// isDueDay reports whether dueDay reads s.
func isDueDay(s string, loc *time.Location, from time.Time) bool {
	_, ok := dueDay(s, loc, from)
	return ok
}

// numericDayRE is a day written in numbers, with its year or without:
// "12/18", "18/12/2023".
var numericDayRE = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})(?:/(\d{4}))?$`)

// numericDay reads a day written in numbers, its year 0 when not written,
// when only one order of month and day can be meant: "12/18" and "18/12"
// are 18 December, "3/4" may be either and is not read.
func numericDay(s string) (month time.Month, day, year int, ok bool) {
	m := numericDayRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, 0, false
	}
	a, _ := strconv.Atoi(m[1])
	b, _ := strconv.Atoi(m[2])
	year, _ = strconv.Atoi(m[3]) // 0 when not written
	switch {
	case a < 1 || b < 1 || a > 31 || b > 31:
		return 0, 0, 0, false
	case a == b || b > 12 && a <= 12:
		return time.Month(a), b, year, true
	case a > 12 && b <= 12:
		return time.Month(b), a, year, true
	}
	return 0, 0, 0, false
}

// mentionsAction is a quick test for a line that may open the action
// items (see actionHeadRE).
func mentionsAction(l string) bool {
	for _, w := range [...]string{"ction", "CTION", "ollow", "OLLOW", "teps", "TEPS", "easures", "EASURES", "ddress", "DDRESS"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func startsBlank(l string) bool { return strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") }
