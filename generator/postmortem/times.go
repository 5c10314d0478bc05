package postmortem

import (
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// validate checks what needs the whole front matter: required fields and the
// order of the times.
func (d *decoder) validate(p *Postmortem) {
	if len(p.RootCauses) == 0 && !d.erred["root_causes"] { // not when the causes given are at fault
		d.diags.Warn(d.path, max(d.lines.Of("root_causes"), d.blank["root_causes"], d.start), 0, "%s: no root causes: the incident will not be cross-linked", d.cfg.SourceKey("root_causes"))
	}
	// A date given that another day contradicts: most often the front
	// matter of an older postmortem, copied.
	if at := d.lines.Of("date"); at > 0 && !p.Date.IsZero() {
		key, day, col := d.cfg.SourceKey("date"), p.Date.Format(time.DateOnly), d.values["date"].Column
		if !p.Started.IsZero() && d.lines.Of("started") > 0 {
			if s := dayIn(p.Started, p.Location); !s.Equal(p.Date) {
				d.diags.Warn(d.path, at, col, "%s: %s is not the day of %s: (%s): the incident is listed under its date", key, day, d.cfg.SourceKey("started"), s.Format(time.DateOnly))
			}
		} else if n, ok := nameDate(p.Path, p.Dir, p.Location); ok && !n.Equal(p.Date) {
			d.diags.Warn(d.path, at, col, "%s: %s is not the day its name starts with (%s): the incident is listed under its date", key, day, n.Format(time.DateOnly))
		}
	}
	// A due day before the incident is a slip of the year or the month.
	for i, v := range d.dues {
		if due := dayIn(p.ActionItems[i].Due, p.Location); !p.Date.IsZero() && due.Before(p.Date) {
			d.diags.Warn(d.path, v.Line, v.Column, "action_items[%d].due: %s is before the day of the incident (%s)", i+1, due.Format(time.DateOnly), p.Date.Format(time.DateOnly))
		}
	}
	// Each given time must not come before an earlier phase given in the front matter.
	var prevName string
	var prev time.Time
	for _, name := range timeFields {
		t := *p.timeField(name)
		if t.IsZero() || d.lines.Of(name) == 0 {
			continue
		}
		if !prev.IsZero() && t.Before(prev) {
			d.errorf(d.values[name], d.cfg.SourceKey(name), "%s is before %s (%s)",
				t.In(p.Location).Format("2006-01-02 15:04 MST"), d.cfg.SourceKey(prevName), prev.In(p.Location).Format("2006-01-02 15:04 MST"))
			continue
		}
		prev, prevName = t, name
	}
}

// rezone reads again in loc the times of the front matter written without
// an offset, and the action items' due days: they were read in the zone
// the front matter gave, which the one the body states replaces.
func (d *decoder) rezone(p *Postmortem, loc *time.Location) {
	again := func(v *yaml.Node, t *time.Time) {
		if t.IsZero() || writtenOffset.MatchString(strings.TrimSpace(v.Value)) {
			return
		}
		if r, _, err := parseTime(v.Value, loc); err == nil {
			*t = r
		}
	}
	for _, name := range timeFields {
		if v := d.values[name]; v != nil {
			again(v, p.timeField(name))
		}
	}
	for i, v := range d.dues {
		again(v, &p.ActionItems[i].Due)
	}
	for i := range p.ActionItems { // the body's, whose due days name no zone
		if a := &p.ActionItems[i]; d.dues[i] == nil && !a.Due.IsZero() {
			a.Due = rehome(a.Due, loc)
		}
	}
}

// writtenOffset matches the end of a time written with its offset.
var writtenOffset = regexp.MustCompile(`(Z|[+-][0-9]{2}:?[0-9]{2})$`)

// writtenZone returns the zone of the first of the date and times of
// values written with an offset ("2024-01-10T23:30:00-08:00"), as a fixed
// zone named after it, or nil when that offset is loc's there, or none is
// written: without a timezone:, the offset the author wrote says the day
// of the incident and how its times read.
func writtenZone(values map[string]*yaml.Node, loc *time.Location) *time.Location {
	for _, f := range append([]string{"date"}, timeFields...) {
		v := values[f]
		if v == nil || v.Kind != yaml.ScalarNode || !writtenOffset.MatchString(strings.TrimSpace(v.Value)) {
			continue
		}
		t, err := ParseTime(v.Value, loc)
		if err != nil {
			continue
		}
		_, off := t.Zone()
		if _, at := t.In(loc).Zone(); at == off {
			return nil // the zone's own offset: its name is kept
		}
		name := "UTC"
		if off != 0 {
			name = "UTC" + t.Format("-07:00")
		}
		return time.FixedZone(name, off)
	}
	return nil
}
