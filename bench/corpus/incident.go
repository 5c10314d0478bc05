package corpus

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// shape is how a postmortem's front matter is written.
type shape int

const (
	plain  shape = iota // one-line values, lists in brackets, RFC 3339 times
	byNew               // as `postmortem new` writes it, then filled in
	folded              // plain, with folded text and more fields
	inTOML
	inJSON
)

// incident holds the facts of one postmortem, drawn from its seed.
type incident struct {
	i                                    int
	shape                                shape
	bundle                               bool
	zone                                 string // "" for times in UTC with a Z
	knownTimes                           bool   // the times are in the front matter, not only in the timeline
	day                                  time.Time
	began, detected, mitigated, resolved time.Time // clock times in zone, held as UTC
	services, causes, factors, tags      []string
	authors                              []string
	severity, status                     string
	thing, failed, kind                  string
	title, slug                          string
	trigger, detection                   string
	items                                []actionItem
	r                                    rng // for the body's text, after the facts
}

type actionItem struct {
	title, owner, status, kind, url string
	due                             time.Time
}

var epoch = time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)

func newIncident(seed uint64, i int) *incident {
	r := newRNG(seed, i)
	c := &incident{i: i, r: r, knownTimes: true}
	switch n := r.intn(100); {
	case n < 55:
		c.shape = plain
	case n < 85:
		c.shape = byNew
	case n < 93:
		c.shape = folded
	case n < 97:
		c.shape = inTOML
	default:
		c.shape = inJSON
	}
	c.bundle = r.chance(3)
	if c.shape == byNew {
		c.zone = pick(r, zones)
		c.knownTimes = r.chance(50)
	}
	c.day = epoch.AddDate(0, 0, r.intn(6*365))
	c.began = c.day.Add(time.Duration(r.intn(24*60)) * time.Minute)
	c.detected = c.began.Add(time.Duration(r.between(1, 90)) * time.Minute)
	c.resolved = c.detected.Add(time.Duration(r.between(5, 600)) * time.Minute)
	if r.chance(60) {
		c.mitigated = c.detected.Add(c.resolved.Sub(c.detected) / time.Duration(r.between(2, 4))).Truncate(time.Minute)
	}
	c.services = some(r, services, r.between(1, 3))
	c.causes = skewed(r, rootCauses, r.between(1, 3))
	c.factors = some(r, factors, r.between(0, 2))
	c.tags = some(r, tags, r.between(0, 2))
	c.authors = some(r, people, r.between(1, 3))
	c.severity = pick(r, severities)
	c.status = "final"
	switch n := r.intn(100); {
	case n < 3:
		c.status = "draft"
	case n < 9:
		c.status = "review"
	}
	c.thing, c.failed, c.kind = pick(r, things), pick(r, failed), pick(r, kinds)
	cause := strings.ReplaceAll(c.causes[0], "-", " ")
	switch r.intn(3) {
	case 0:
		c.title = fmt.Sprintf("%s %s %s %s (%s)", upper(c.kind), c.services[0], c.thing, c.failed, cause)
	case 1:
		c.title = fmt.Sprintf("%s on %s %s after %s", upper(c.thing), c.services[0], c.failed, cause)
	default:
		c.title = fmt.Sprintf("%s: %s %s outage", upper(cause), c.kind, c.services[0])
	}
	c.slug = fmt.Sprintf("%s-%s-%s-%d", c.day.Format(time.DateOnly), c.services[0], c.causes[0], i)
	if c.shape == folded {
		c.trigger = fmt.Sprintf("A %s on %s", pick(r, words), c.services[0])
		c.detection = pick(r, []string{"alert", "customer report", "dashboard", "synthetic check"})
	}
	for range r.between(0, 5) {
		it := actionItem{
			title:  fmt.Sprintf(pick(r, actionTitles), pick(r, words), pick(r, c.services), c.thing),
			owner:  pick(r, people),
			status: pick(r, []string{"open", "done", "done", "wontfix"}),
			due:    c.day.AddDate(0, 0, r.between(7, 90)),
		}
		if c.shape == byNew || c.shape == folded {
			it.kind = pick(r, []string{"mitigate", "prevent", "prevent", "process"})
		}
		if c.shape == folded && r.chance(50) {
			it.url = fmt.Sprintf("https://tracker.example.com/OPS-%d", r.between(100, 9999))
		}
		c.items = append(c.items, it)
	}
	return c
}

var actionTitles = []string{
	"Alert on %[1]s of %[2]s", "Write the runbook for %[1]s on %[2]s", "Test %[2]s against a %[1]s failure",
	"Roll back %[2]s automatically", "Canary every deploy of %[2]s", "Set timeouts on %[2]s %[3]s",
	"Review the capacity of %[2]s", "Name an owner for %[2]s", "Rotate the secrets of %[2]s on a schedule",
}

func upper(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

// files returns the postmortem's file, and its diagram when it is a
// bundle, under dir. For Hugo, a draft says so with `draft: true`.
func (c *incident) files(dir string, hugo bool) []File {
	var b strings.Builder
	c.frontMatter(&b, hugo)
	c.body(&b)
	p := path.Join(dir, c.day.Format("2006"), c.slug+".md")
	if !c.bundle {
		return []File{{p, []byte(b.String())}}
	}
	folder := path.Join(dir, c.day.Format("2006"), c.slug)
	return []File{
		{path.Join(folder, "index.md"), []byte(b.String())},
		{path.Join(folder, "diagram.svg"), []byte(c.diagram())},
	}
}

// clock formats a time of the incident as its shape writes it.
func (c *incident) clock(t time.Time) string {
	if c.zone == "" {
		return t.Format(time.RFC3339)
	}
	return t.Format("2006-01-02 15:04")
}

// times returns the incident's times that it has, by name, in order.
func (c *incident) times() [][2]string {
	out := [][2]string{{"started", c.clock(c.began)}, {"detected", c.clock(c.detected)}}
	if !c.mitigated.IsZero() {
		out = append(out, [2]string{"mitigated", c.clock(c.mitigated)})
	}
	return append(out, [2]string{"resolved", c.clock(c.resolved)})
}

func (c *incident) diagram() string {
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120" viewBox="0 0 480 120">` + "\n")
	for k, s := range c.services {
		fmt.Fprintf(&b, `  <rect x="%d" y="40" width="120" height="40" fill="none" stroke="black"/><text x="%d" y="65">%s</text>`+"\n", 20+k*150, 30+k*150, s)
	}
	b.WriteString("</svg>\n")
	return b.String()
}
