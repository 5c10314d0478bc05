// Package review holds the rules that postmortem check applies on top of
// what a build validates: what a reviewer of a postmortem would point out in
// a pull request. Each rule has a name, which its diagnostics carry and by
// which postmortem.yaml turns it off or changes its severity (rules:).
package review

import (
	"cmp"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/parallel"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// Rule is one check of a postmortem or of the whole site.
type Rule struct {
	Name     string
	Doc      string        // what it reports, for the README
	Severity diag.Severity // unless the config says otherwise
	// Reads names the fields of the front matter it reads: a postmortem
	// with an error in one of them (postmortem.Erred) is not checked by
	// it, which would report what the error left out.
	Reads []string
}

// Rules lists every rule, sorted by name.
var Rules = []Rule{
	{"action-due", "an open action item of a SEV1 or SEV2 incident has no due date", diag.Warning, []string{"action_items", "severity"}},
	{"action-missing", "a SEV1 or SEV2 incident has no action item", diag.Warning, []string{"action_items", "severity"}},
	{"action-overdue", "an open action item is past its due date, or its severity's deadline (against --now); drafts' too, which the ledger leaves out", diag.Warning, []string{"action_items", "severity", "date"}},
	{"action-owner", "an open action item has no owner", diag.Warning, []string{"action_items"}},
	{"empty-section", "a heading of a postmortem out of draft has nothing under it, as postmortem new writes them", diag.Warning, []string{"status", "draft"}},
	{"future-date", "the incident's date is later than the day of the check (--now, or today)", diag.Warning, []string{"date"}},
	{"missing-file", "a link or image leads to no file of the built site", diag.Error, nil},
	{"near-duplicate", "two terms of one taxonomy differ only by a plural, a few letters or an abbreviation", diag.Warning, nil},
	{"placeholder", "a postmortem out of draft still holds text postmortem new wrote for its author to replace", diag.Error, []string{"status", "draft"}},
	{"required-section", "a heading listed in required_sections is missing", diag.Error, nil},
	{"timeline-before-start", "a timeline entry is more than a day earlier than the started time of the front matter (a shorter lead-up, such as the deploy that set it off, is not reported)", diag.Warning, []string{"started"}},
	{"timeline-order", "a timeline entry is earlier than the one above it, or read as the next day more than 12 hours after it", diag.Warning, nil},
	{"vocabulary", "a root cause is not in the vocabulary of postmortem.yaml", diag.Error, []string{"root_causes"}},
}

// Input is what the rules read.
type Input struct {
	FS          fs.FS // the site root, for the bodies
	Config      *config.Config
	Postmortems []*postmortem.Postmortem // drafts included
	Now         time.Time                // the day overdue is measured against
	// Output reports whether the built site has a file at an output
	// path, where links lead; nil leaves links unchecked.
	Output func(path string) bool
	// Unbuilt says that the build stopped before it wrote the site:
	// Output then holds only the files copied from static/, and a link
	// into what the build makes from the postmortems and the theme is not
	// checked (see made).
	Unbuilt bool
	// Failed counts the postmortems that failed to parse, which
	// Postmortems lacks: the rules over the whole site are then skipped.
	Failed int
	// Partial says that Postmortems are some of the site's alone, as the
	// live preview reviews those just edited: the rules over the whole
	// site (see SiteWide) are then skipped, as they would count the terms
	// of those few.
	Partial bool
}

// SiteWide reports whether the rule named rule reads every postmortem of
// the site at once, so that Check runs it only on all of them.
func SiteWide(rule string) bool { return rule == "near-duplicate" }

// Check applies every rule the config does not turn off, and returns what
// they found, sorted.
func Check(in Input) diag.List {
	severity, diags := severities(in.Config)
	c := &checker{in: in, severity: severity, diags: diags}
	// Each postmortem on its own checker, on all cores: most rules read
	// its file again.
	found := make([]diag.List, len(in.Postmortems))
	parallel.For(len(in.Postmortems), func(i int) {
		p := in.Postmortems[i]
		pc := &checker{in: in, severity: severity, p: p}
		pc.future(p)
		pc.timeline(p)
		pc.actions(p)
		pc.placeholders(p)
		pc.sections(p)
		pc.vocabulary(p)
		pc.links(p)
		found[i] = pc.diags
	})
	for _, d := range found {
		c.diags = append(c.diags, d...)
	}
	if in.Failed == 0 && !in.Partial {
		// It counts the incidents of each term, and picks the rarer of
		// two: without the postmortems that failed, both may be wrong.
		c.nearDuplicates()
	}
	return c.diags.Sort()
}

// RuleErrors reports what is wrong in the rules: option of the config,
// as Check does: for a check that stops at other errors of the config
// before Check runs, so that all of the config's are told at once.
func RuleErrors(cfg *config.Config) diag.List {
	_, diags := severities(cfg)
	return diags
}

// severities reads the rules: option of the config, and reports what is
// wrong in it.
func severities(cfg *config.Config) (map[string]diag.Severity, diag.List) {
	var diags diag.List
	out := make(map[string]diag.Severity, len(Rules))
	for _, r := range Rules {
		out[r.Name] = r.Severity
	}
	file := cmp.Or(cfg.File, config.File)
	for _, name := range slices.Sorted(maps.Keys(cfg.Rules)) {
		if _, ok := out[name]; !ok {
			diags.Add(file, cfg.RuleLine(name), 0, "rules: unknown rule %q (known: %s)", name, strings.Join(names(), ", "))
			continue
		}
		switch cfg.Rules[name] {
		case "off":
			delete(out, name)
		case "warning":
			out[name] = diag.Warning
		case "error":
			out[name] = diag.Error
		default:
			diags.Add(file, cfg.RuleLine(name), 0, "rules: %s: want off, warning or error, got %q", name, cfg.Rules[name])
		}
	}
	return out, diags
}

func names() []string {
	var out []string
	for _, r := range Rules {
		out = append(out, r.Name)
	}
	return out
}

type checker struct {
	in       Input
	severity map[string]diag.Severity
	diags    diag.List
	p        *postmortem.Postmortem // the one checked, nil for the whole site
}

// report adds a diagnostic of rule, unless the rule is off.
func (c *checker) report(rule, path string, line int, format string, args ...any) {
	c.reportAt(rule, path, line, 0, format, args...)
}

// reportAt is report with a column.
func (c *checker) reportAt(rule, path string, line, col int, format string, args ...any) {
	sev, on := c.severity[rule]
	if !on || c.p != nil && c.misread(rule) {
		return
	}
	c.diags = append(c.diags, diag.Diagnostic{Path: path, Line: line, Col: col, Severity: sev, Rule: rule, Msg: fmt.Sprintf(format, args...)})
}

// misread reports whether rule reads a field of the postmortem checked
// that has an error.
func (c *checker) misread(rule string) bool {
	i := slices.IndexFunc(Rules, func(r Rule) bool { return r.Name == rule })
	return i >= 0 && slices.ContainsFunc(Rules[i].Reads, func(f string) bool { return postmortem.Erred(c.p, f) })
}

// future reports a date of p after the day of the check: a slip of the
// year or the month, which would put the incident first in every list. A
// day ahead is allowed, for zones east of the check's.
func (c *checker) future(p *postmortem.Postmortem) {
	if c.in.Now.IsZero() || p.Date.IsZero() {
		return
	}
	y, m, d := c.in.Now.Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	y, m, d = p.Date.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if !day.After(today.AddDate(0, 0, 1)) {
		return
	}
	line := p.Lines.Of("date")
	if line == 0 {
		line = max(p.Lines.Of("started"), 1)
	}
	c.report("future-date", p.Path, line, "date: %s is later than the day of the check (%s): is the year or the month right?",
		day.Format(time.DateOnly), today.Format(time.DateOnly))
}

func (c *checker) timeline(p *postmortem.Postmortem) {
	started := !p.Started.IsZero() && !slices.Contains(p.FromTimeline, "started")
	for i, e := range p.Timeline {
		// An entry above at a time the clocks skipped was moved an hour
		// on, as its own warning says: the next is not out of order for it.
		if i > 0 && e.Time.Before(p.Timeline[i-1].Time) && !p.Timeline[i-1].Skipped {
			above, hint := p.Timeline[i-1].Time, ""
			if !e.Dated {
				hint = "; if it is a later day, write its date"
			}
			c.report("timeline-order", p.Path, e.Line, "timeline: %s is earlier than the entry above it (%s)%s",
				clock(e.Time, p.Location, above), clock(above, p.Location, e.Time), hint)
			continue // one finding of a line is enough
		}
		if i > 0 && e.Rolled && e.Time.Sub(p.Timeline[i-1].Time) > longNight {
			// "11:00" then "03:00": past midnight by the rule that reads
			// "23:50" then "00:20", but most of a day later: a typo of
			// 13:00 as often as a night.
			above := p.Timeline[i-1].Time
			c.report("timeline-order", p.Path, e.Line, "timeline: %s is read as the next day, %s after the entry above it (%s): if it is the same day, it is out of order; if it is the next, write its date",
				clock(e.Time, p.Location, above), hours(e.Time.Sub(above)), clock(above, p.Location, e.Time))
			continue
		}
		if started && p.Started.Sub(e.Time) > leadUp {
			c.report("timeline-before-start", p.Path, e.Line, "timeline: %s is more than a day before started (%s): is its day right, or started's?",
				clock(e.Time, p.Location, p.Started), clock(p.Started, p.Location, e.Time))
		}
	}
}

// hours writes d as "16 h" or "16 h 20 min".
func hours(d time.Duration) string {
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	if m == 0 {
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// longNight is the longest time from one timeline entry to the next that
// passing midnight makes without the rule timeline-order asking about it.
const longNight = 12 * time.Hour

// leadUp is how long before started a timeline entry may be without the
// rule timeline-before-start reporting it: the change that set the
// incident off often comes minutes or hours before its impact.
const leadUp = 24 * time.Hour

// clock writes t for a message that sets it beside other: its clock time
// in loc, with its day when other is on another; or, when either is written
// in another zone, in its own with the zone's abbreviation, as the
// postmortem wrote it.
func clock(t time.Time, loc *time.Location, other time.Time) string {
	t, other = sameClocks(t, loc), sameClocks(other, loc)
	switch {
	case t.Location() != loc || other.Location() != loc:
		return t.Format("2006-01-02 15:04 MST")
	case t.YearDay() != other.YearDay() || t.Year() != other.Year():
		return t.Format("2006-01-02 15:04")
	}
	return t.Format("15:04")
}

// sameClocks returns t in loc when its clocks read the same there: a time
// written with an offset (+02:00) is then told as the postmortem's others,
// not as "15:12 +0200" beside "15:10 CEST".
func sameClocks(t time.Time, loc *time.Location) time.Time {
	if _, off := t.Zone(); t.Location() != loc {
		if _, there := t.In(loc).Zone(); there == off {
			return t.In(loc)
		}
	}
	return t
}

// closeIt says how an overdue item is closed, for the messages of
// action-overdue.
const closeIt = "set its status: done if it is, wontfix if it will not be"

// serious reports whether p is a SEV1 or SEV2 incident (of the site's
// levels, the two worst).
func serious(p *postmortem.Postmortem) bool { return p.SeverityRank == 1 || p.SeverityRank == 2 }

func (c *checker) actions(p *postmortem.Postmortem) {
	if serious(p) && len(p.ActionItems) == 0 {
		c.report("action-missing", p.Path, max(p.Lines.Of("severity"), 1), "%s incident with no action item: what will stop it happening again?", p.Severity)
	}
	for i, a := range p.ActionItems {
		if a.Title == postmortem.Placeholder.Action && a.Owner == postmortem.Placeholder.Owner {
			// The item postmortem new wrote, untouched: the rule
			// placeholder reports it, not as overdue on a draft dated
			// weeks back.
			continue
		}
		name := fmt.Sprintf("action_items[%d] %q", i+1, a.Title)
		// An item of the body whose line ends in what may be its owner or
		// due day, not read: say so, lest a second owner be written.
		unread := ""
		if tail := postmortem.UnreadTail(a.Title); tail != "" && slices.Contains(p.Inferred, "action_items") {
			unread = fmt.Sprintf(" (its line ends with %q, not read as an owner or a due day: write — @name, by 2024-12-18, or (owner: name, due 2024-12-18))", tail)
		}
		if a.Owner == "" && a.Status == "open" {
			c.report("action-owner", p.Path, a.Line, "%s has no owner%s", name, unread)
		}
		if a.Status != "open" {
			continue
		}
		if a.Due.IsZero() && serious(p) {
			c.report("action-due", p.Path, a.Line, "%s of a %s incident has no due date%s", name, p.Severity, unread)
		}
		if ledger.IsOverdue(p, &a, c.in.Now, c.in.Config.ActionItemDeadlines) {
			day, _ := ledger.Deadline(p, &a, c.in.Config.ActionItemDeadlines)
			if a.Due.IsZero() {
				c.report("action-overdue", p.Path, a.Line, "%s is open and past the %s deadline of action_item_deadlines, %s: %s, or give it a due: day", name, p.Severity, day.Format(time.DateOnly), closeIt)
			} else {
				c.report("action-overdue", p.Path, a.Line, "%s is open and was due %s: %s, or move its due: day", name, day.Format(time.DateOnly), closeIt)
			}
		}
	}
}
