package postmortem

import (
	"path"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/timeline"
)

// derive renders body and fills what the front matter left out: the
// summary from the first paragraph, the times from the timeline, the slug.
func (d *decoder) derive(p *Postmortem, body []byte, md *markdown.Renderer) {
	// A public build reads nothing of internal blocks: not their text, nor
	// the facts, action items and times that lines of them would give.
	if l := markdown.Unclosed(body); l > 0 {
		d.diags.Warn(d.path, p.BodyLine+l-1, 1, "::: internal: no line ::: closes the block, which runs to the end of the postmortem: all of it is left out of the public build")
	}
	body = md.Visible(body)
	name, what := path.Base(p.Path), "file"
	if p.Dir != "" {
		name, what = path.Base(p.Dir), "folder"
	}
	// The title: the heading the body starts with, else the name. That
	// heading is the page's own, and not shown twice.
	h1, first, last, hasH1 := leadingH1(body)
	if p.Title == "" && d.lines.Of("title") == 0 {
		p.Inferred = append(p.Inferred, "title")
		if hasH1 {
			p.Title = h1
			d.lines.set("title", p.BodyLine+first-1)
		} else {
			p.Title = readableName(name)
			d.diags.Warn(d.path, d.start, 0, "%s: none given, and the body does not start with a # heading: named after the %s, %q", d.cfg.SourceKey("title"), what, p.Title)
		}
	}
	if hasH1 && strings.EqualFold(h1, p.Title) {
		body = blankLines(body, first, last)
	} else if n := leadingTitle(body, p.Title); n > 0 {
		body = blankLines(body, n, n) // nor taken as the summary
	}
	// Times are shown in the zone the postmortem states: its timezone, else
	// the one its body names (see below).
	stated := false
	var facts map[string]fact // see bodyFacts: read once a field needs them
	factOf := func(field string) (fact, bool) {
		if facts == nil {
			facts = bodyFacts(body)
			if facts == nil {
				facts = map[string]fact{}
			}
		}
		f, ok := facts[field]
		return f, ok
	}
	if p.Date.IsZero() && d.lines.Of("date") == 0 {
		if z := timeline.Stated(body); z != nil && d.lines.Of("timezone") == 0 && !d.zoned && z != p.Location {
			p.Location, stated = z, true // the day is the day there
			d.rezone(p, z)
		}
		d.inferTimes(p, factOf, false) // a dated one gives the day
		// The day is the incident's in the zone it states; where it states
		// none, the day a time was written on, in the zone written with it
		// ("Incident Start: 2021-02-11 22:30 PST" is of 11 February, the
		// zone the page then shows its times in: see below).
		zoneOf := func(t time.Time) *time.Location { return t.Location() }
		if stated || d.lines.Of("timezone") != 0 || d.zoned {
			zoneOf = func(time.Time) *time.Location { return p.Location }
		}
		d.inferDate(p, body, factOf, zoneOf)
	}
	d.inferTimes(p, factOf, true)
	d.inferFacts(p, factOf)
	defer func() { p.ZoneNotes = zoneNotes(p, stated) }()
	if d.lines.Of("action_items") == 0 {
		if items := bodyActionItems(body, p.Location, p.Date); len(items) > 0 {
			for i := range items {
				items[i].Line += p.BodyLine - 1
			}
			p.ActionItems = items
			p.Inferred = append(p.Inferred, "action_items")
		}
	} else if items := bodyActionItems(body, p.Location, p.Date); len(items) > 0 && !slices.EqualFunc(items, p.ActionItems, sameTitle) {
		d.diags.Warn(d.path, p.BodyLine+items[0].Line-1, 0, "%s: the body lists %s of its own, which the ledger and the completion figures leave out: move them into the front matter's %s, or delete the list",
			d.cfg.SourceKey("action_items"), diag.Count(len(items), "item"), d.cfg.SourceKey("action_items"))
	}
	slices.Sort(p.Inferred)
	if p.Slug == "" {
		if slug, err := PageName(NameBase(p.Path, p.Dir)); err != nil {
			// The name is at fault: there is no line to point at.
			d.diags.Add(d.path, 0, 0, "slug: the %s name %v: rename it, or set slug: in the front matter", what, err)
		} else {
			p.Slug = slug
		}
	}
	base := ""
	if p.Dir != "" {
		base = p.Slug // the page is incidents/SLUG.html, its files in incidents/SLUG/
	}
	res, err := md.Render(body, base)
	if err != nil {
		d.diags.Add(d.path, p.BodyLine, 0, "body: %v", err)
	}
	for _, w := range res.Warnings {
		d.diags.Warn(d.path, p.BodyLine+w.Line-1, w.Col, "%s", w.Msg)
	}
	p.body, p.Refs, p.Links = &heldBody{html: res.HTML}, res.Refs, res.Links
	for i := range p.Links {
		p.Links[i].Line += p.BodyLine - 1
	}
	for i := range p.Refs {
		r := &p.Refs[i]
		r.Line += p.BodyLine - 1
		if r.Path != "" {
			r.Written, r.Path = r.Path, path.Join(path.Dir(p.Path), r.Path)
		}
	}
	if p.Summary == "" {
		p.Summary, p.summaryRefs = shorten(res.FirstParagraph), res.FirstParagraphRefs
	}
	if p.Date.IsZero() {
		return
	}
	start, end, ok := timeline.ParseDuration(body, p.Date, p.Location)
	var hint *time.Location
	var misread []timeline.Misread
	p.Timeline, hint, misread = timeline.ParseStated(body, p.Date, p.Location)
	for _, m := range misread {
		d.diags.Warn(d.path, p.BodyLine+m.Line-1, m.Col, "timeline: %q is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline", m.Time)
	}
	if at := d.lines.Of("timezone"); at > 0 && hint != nil {
		// The zone given and the one the body states differ: the
		// timeline is read in the body's and shown in the given one.
		_, given := p.Date.In(p.Location).Zone()
		if abbr, body := p.Date.In(hint).Zone(); body != given {
			col := 0
			if v := d.values["timezone"]; v != nil {
				col = v.Column
			}
			d.diags.Warn(d.path, at, col, "%s: %s, but the body says its times are in %s: the timeline is read in %s and shown in %s (leave %s out to show them as written)",
				d.cfg.SourceKey("timezone"), p.Location, abbr, abbr, p.Location, d.cfg.SourceKey("timezone"))
		}
	}
	if d.lines.Of("timezone") == 0 && !stated && !d.zoned {
		// The body's zone: one a line states ("All times in CET", a
		// Duration line's "(wat)"), else a Duration line's ("10:00 - 10:20
		// CET"), else that of a fact line's start ("Impact start:
		// 2021-07-19 16:40 PDT"), else one written on every entry ("-
		// 10:00 CET Alert").
		z := hint
		if z == nil && ok && start.Location() != p.Location {
			z = start.Location()
		} else if z == nil && slices.Contains(p.FromTimeline, "started") && p.Started.Location() != p.Location {
			z = p.Started.Location()
		}
		if z != nil && z != hint {
			p.Timeline = timeline.Parse(body, rehome(p.Date, z), z) // its times without a zone are in it too
		}
		if n := len(p.Timeline); z == nil && n > 0 {
			first := p.Timeline[0].Time.Location()
			if !slices.ContainsFunc(p.Timeline, func(e timeline.Entry) bool { return e.Time.Location() != first }) {
				z = first
			}
		}
		if z != nil && z != p.Location {
			p.Location, p.Date, stated = z, rehome(p.Date, z), true
			d.rezone(p, z)
		}
	}
	for i := range p.Timeline {
		e := &p.Timeline[i]
		e.Line += p.BodyLine - 1
		if e.Skipped {
			d.diags.Warn(d.path, e.Line, 0, "timeline: the time written does not exist in %s on %s, as the clocks skip it going forward: read as %s",
				e.Time.Location(), e.Time.Format(time.DateOnly), e.Time.Format("15:04 MST"))
		}
	}
	fill := func(name string, t time.Time) {
		if f := p.timeField(name); f.IsZero() && !t.IsZero() {
			*f = t
			p.FromTimeline = append(p.FromTimeline, name)
		}
	}
	if ok {
		fill("started", start)
		fill("resolved", end)
	}
	defer func() {
		if ok || !p.Started.IsZero() && !p.Resolved.IsZero() {
			return
		}
		if line, value := timeline.DurationLine(body); line > 0 {
			d.diags.Warn(d.path, p.BodyLine+line-1, 0, "Duration: %q is not read: the duration is counted from started to resolved; write the span, such as 14:15 - 16:30 UTC, or give started: and resolved: in the front matter", value)
		}
	}()
	// The entries postmortem new wrote, untouched, give no time: a draft
	// in the preview would count them in the site's figures.
	placeholder := func(e timeline.Entry) bool { return slices.Contains(Placeholder.Timeline, e.Text) }
	entries := p.Timeline
	if slices.ContainsFunc(entries, placeholder) { // rarely: no copy of every timeline
		entries = slices.DeleteFunc(slices.Clone(entries), placeholder)
	}
	if n := len(entries); n > 0 {
		first, last := timeline.Span(entries) // should a line be out of order
		// The start is the entry that tells of the impact's start, when
		// one does: those before it are the lead-up (the deploy).
		at := -1
		for k, e := range entries {
			if startWords.MatchString(e.Text) {
				first, at = e.Time, k
				break
			}
		}
		fill("started", first)
		// The detection is the first entry that tells of one, other than
		// the start's, and not before the start: what came before is the
		// lead-up ("14:51 news reports ...").
		for k, e := range entries {
			if k != at && detectWords.MatchString(e.Text) && !startWords.MatchString(e.Text) && !e.Time.Before(p.Started) {
				fill("detected", e.Time)
				break
			}
		}
		// The end is the latest entry but those that close the timeline
		// with what came after the incident.
		k := n
		for k > 1 && afterWords.MatchString(entries[k-1].Text) {
			k--
		}
		if k < n {
			_, last = timeline.Span(entries[:k])
		}
		if k > 1 {
			fill("resolved", last)
		}
	}
	slices.Sort(p.FromTimeline)
}

// rehome returns the same day as day, at midnight in loc.
func rehome(day time.Time, loc *time.Location) time.Time {
	t, _ := timeline.InZone(time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC), loc) // a skipped midnight is the day's first minute, not the day before
	return t
}

// dayIn returns the day t falls on in loc, at midnight there.
func dayIn(t time.Time, loc *time.Location) time.Time { return rehome(t.In(loc), loc) }

// inferDate finds the day of an incident whose front matter gives none: the
// day of its start, a date its name starts with, the day its "Duration:"
// line or its timeline gives, a time's day in the zone zoneOf gives for
// it. When there is none, it reports what it looked for, and the lines
// that look like dates and are not.
func (d *decoder) inferDate(p *Postmortem, body []byte, factOf func(string) (fact, bool), zoneOf func(time.Time) *time.Location) {
	day, ok := time.Time{}, false
	if !p.Started.IsZero() {
		day, ok = dayIn(p.Started, zoneOf(p.Started)), true
	}
	f, given := factOf("date")
	if !ok && given {
		day, ok = factDay(f.value, p.Location)
	}
	if !ok {
		day, ok = nameDate(p.Path, p.Dir, p.Location)
	}
	if !ok {
		day, ok = datedSpan(body, p.Location, zoneOf)
	}
	if !ok {
		day, ok = datedEntry(body, p.Location, zoneOf)
	}
	if ok {
		p.Date = rehome(day, p.Location)
		p.Inferred = append(p.Inferred, "date")
		return
	}
	key := d.cfg.SourceKey("date")
	dateLine := "no Date: line near the top of the body"
	if given {
		dateLine = "a Date: line not read as a day (below)"
	}
	d.mark("date")
	d.diags.Add(d.path, d.start, 0, "%s: required field is missing: the day of the incident, such as %s: 2023-08-06; found no %s: time, %s, no date that starts the file or folder name (2023-08-06-NAME), no dated Duration: line and no dated timeline entry", key, key, d.cfg.SourceKey("started"), dateLine)
	if given {
		// Named by the field the line fills, not by the front matter's key
		// of a mapping, which the line does not use.
		d.diags.Add(d.path, p.BodyLine+f.line-1, f.col, "date: %q is not read as a day (write it 2023-08-06, or August 6, 2023)", f.value)
	}
	lines, texts := notDates(body)
	for k, l := range lines {
		d.diags.Add(d.path, p.BodyLine+l-1, 0, "%s: %q looks like a date but is not one (want YEAR-MONTH-DAY, such as 2023-08-06)", key, texts[k])
	}
}

// sameTitle reports whether a and b have the same title: the body's
// items, when import copied them into the front matter.
func sameTitle(a, b ActionItem) bool { return a.Title == b.Title }

// loosely returns the rank of the level of levels that s writes in
// another way than the front matter takes ("Sev 2", "SEV-2" for SEV2), or
// 0.
func loosely(levels []string, s string) int {
	folded := strings.ReplaceAll(Slugify(s), "-", "")
	for i, level := range levels {
		if folded != "" && folded == strings.ReplaceAll(Slugify(level), "-", "") {
			return i + 1
		}
	}
	return 0
}

// inferTimes fills the times the front matter does not give from the
// facts of the body that give them ("Impact start: 2021-07-19 16:40 PDT",
// "**Resolved:** 18:05"), read as a timeline entry's time is: one without
// a date is on the incident's day, and is left for later while it is not
// known. They are noted as read from the body, as the timeline's are. Once
// the day is known (last), a fact not read as a time is warned of.
func (d *decoder) inferTimes(p *Postmortem, factOf func(string) (fact, bool), last bool) {
	for _, field := range []string{"started", "detected", "mitigated", "resolved"} {
		if d.lines.Of(field) != 0 || !p.timeField(field).IsZero() {
			continue
		}
		f, ok := factOf(field)
		if !ok {
			continue
		}
		t, dated, ok := timeline.At(f.value, p.Date, p.Location)
		if ok && (dated || !p.Date.IsZero()) {
			*p.timeField(field) = t
			p.FromTimeline = append(p.FromTimeline, field)
		} else if !ok && last {
			d.diags.Warn(d.path, p.BodyLine+f.line-1, f.col, "%s: %q is not read as a time (write 14:05 CET, 2:05 pm PST or 2023-03-04 14:05 +01:00): left out; set %s: in the front matter",
				d.cfg.SourceKey(field), f.value, d.cfg.SourceKey(field))
		}
	}
}

// inferFacts fills the severity, root causes, services and authors the
// front matter does not give from the facts the body's first lines give
// (see bodyFacts), read as the front matter's would be.
func (d *decoder) inferFacts(p *Postmortem, factOf func(string) (fact, bool)) {
	missing := func(field string) bool { return d.lines.Of(field) == 0 && d.blank[field] == 0 }
	if missing("severity") && p.Severity == "" {
		f, ok := factOf("severity") // read only for a field left out
		r := d.level(f.value)
		if r == 0 {
			r = loosely(d.cfg.Severities, f.value)
		}
		if ok && r > 0 {
			p.Severity, p.SeverityRank = d.cfg.Severities[r-1], r
			p.Inferred = append(p.Inferred, "severity")
		} else if ok {
			key := d.cfg.SourceKey("severity")
			d.diags.Warn(d.path, p.BodyLine+f.line-1, f.col, "%s: %q is not a level (want one of %s): left out; set %s: in the front matter", key, f.value, strings.Join(d.cfg.Severities, ", "), key)
		}
	}
	for _, field := range []string{"root_causes", "services", "authors"} {
		if !missing(field) {
			continue
		}
		f, ok := factOf(field)
		if !ok {
			continue
		}
		list := factList(f, p.BodyLine)
		if list == nil {
			continue
		}
		key := d.cfg.SourceKey(field)
		switch field {
		case "root_causes":
			p.RootCauses = d.terms(list, key, TermPath)
		case "services":
			p.Services = d.tags(list, key)
		case "authors":
			p.Authors = d.people(list, key)
		}
		p.Inferred = append(p.Inferred, field)
	}
}

// NameBase returns what names the postmortem of the file file, in the
// bundle folder dir ("" for none), when its front matter gives no slug:
// the file's name without its extension, or the bundle folder's name.
func NameBase(file, dir string) string {
	if dir != "" {
		return path.Base(dir)
	}
	base := path.Base(file)
	return strings.TrimSuffix(base, path.Ext(base))
}
