package corpus

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// frontMatter writes the front matter block in the incident's shape.
func (c *incident) frontMatter(b *strings.Builder, hugo bool) {
	switch c.shape {
	case inTOML:
		c.toml(b, hugo)
	case inJSON:
		c.json(b, hugo)
	case byNew:
		c.yamlByNew(b, hugo)
	default:
		c.yamlPlain(b, hugo)
	}
}

func (c *incident) statusLine(hugo bool) string {
	if hugo && c.status == "draft" {
		return "draft: true\n"
	}
	return "status: " + c.status + "\n"
}

func flow(s []string) string { return "[" + strings.Join(s, ", ") + "]" }

func (c *incident) yamlPlain(b *strings.Builder, hugo bool) {
	fmt.Fprintf(b, "---\ntitle: %q\ndate: %s\n", c.title, c.day.Format(time.DateOnly))
	for _, t := range c.times() {
		fmt.Fprintf(b, "%s: %s\n", t[0], t[1])
	}
	fmt.Fprintf(b, "severity: %s\n%s", c.severity, c.statusLine(hugo))
	fmt.Fprintf(b, "services: %s\nroot_causes: %s\n", flow(c.services), flow(c.causes))
	if len(c.factors) > 0 {
		fmt.Fprintf(b, "contributing_factors: %s\n", flow(c.factors))
	}
	if len(c.tags) > 0 {
		fmt.Fprintf(b, "tags: %s\n", flow(c.tags))
	}
	if c.shape == folded {
		fmt.Fprintf(b, "trigger: %s\ndetection: %s\nauthors:\n", c.trigger, c.detection)
		for _, a := range c.authors {
			fmt.Fprintf(b, "  - %s\n", a)
		}
		b.WriteString("summary: >\n")
		for range 2 {
			fmt.Fprintf(b, "  %s\n", c.sentence(c.r))
		}
	} else {
		fmt.Fprintf(b, "authors: %s\n", flow(c.authors))
	}
	c.yamlItems(b)
	b.WriteString("---\n")
}

// yamlByNew writes the front matter as `postmortem new` does, filled in:
// the times given, or left as the template's comments when the incident
// has them only in its timeline; lists one item a line.
func (c *incident) yamlByNew(b *strings.Builder, hugo bool) {
	day := c.day.Format(time.DateOnly)
	fmt.Fprintf(b, "---\ntitle: %s\ndate: %s\n", strconv.Quote(c.title), day)
	if c.knownTimes {
		for _, t := range c.times() {
			fmt.Fprintf(b, "%s: %s\n", t[0], t[1])
		}
	} else {
		fmt.Fprintf(b, "# started: %s 08:00\n# detected: %s 08:05\n# resolved: %s 09:30\n", day, day, day)
	}
	fmt.Fprintf(b, "timezone: %s\nseverity: %s\n%s", c.zone, c.severity, c.statusLine(hugo))
	block := func(key string, s []string) {
		if len(s) == 0 {
			fmt.Fprintf(b, "%s: []\n", key)
			return
		}
		fmt.Fprintf(b, "%s:\n", key)
		for _, v := range s {
			fmt.Fprintf(b, "  - %s\n", v)
		}
	}
	block("root_causes", c.causes)
	block("contributing_factors", c.factors)
	block("services", c.services)
	block("authors", c.authors)
	c.yamlItems(b)
	b.WriteString("---\n")
}

func (c *incident) yamlItems(b *strings.Builder) {
	if len(c.items) == 0 {
		return
	}
	b.WriteString("action_items:\n")
	for _, it := range c.items {
		fmt.Fprintf(b, "  - title: %q\n    owner: %s\n    status: %s\n", it.title, it.owner, it.status)
		if it.kind != "" {
			fmt.Fprintf(b, "    type: %s\n", it.kind)
		}
		fmt.Fprintf(b, "    due: %s\n", it.due.Format(time.DateOnly))
		if it.url != "" {
			fmt.Fprintf(b, "    url: %s\n", it.url)
		}
	}
}

func (c *incident) toml(b *strings.Builder, hugo bool) {
	list := func(s []string) string {
		q := make([]string, len(s))
		for i, v := range s {
			q[i] = strconv.Quote(v)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	fmt.Fprintf(b, "+++\ntitle = %s\ndate = %s\n", strconv.Quote(c.title), c.day.Format(time.DateOnly))
	for _, t := range c.times() {
		fmt.Fprintf(b, "%s = %s\n", t[0], t[1])
	}
	fmt.Fprintf(b, "severity = %q\n", c.severity)
	if hugo && c.status == "draft" {
		b.WriteString("draft = true\n")
	} else {
		fmt.Fprintf(b, "status = %q\n", c.status)
	}
	fmt.Fprintf(b, "services = %s\nroot_causes = %s\n", list(c.services), list(c.causes))
	if len(c.factors) > 0 {
		fmt.Fprintf(b, "contributing_factors = %s\n", list(c.factors))
	}
	fmt.Fprintf(b, "authors = %s\n", list(c.authors))
	for _, it := range c.items {
		fmt.Fprintf(b, "\n[[action_items]]\ntitle = %q\nowner = %q\nstatus = %q\ndue = %s\n", it.title, it.owner, it.status, it.due.Format(time.DateOnly))
	}
	b.WriteString("+++\n")
}

// jsonMatter is the front matter of the JSON shape, in its order.
type jsonMatter struct {
	Title        string       `json:"title"`
	Date         string       `json:"date"`
	Started      string       `json:"started"`
	Detected     string       `json:"detected"`
	Resolved     string       `json:"resolved"`
	Severity     string       `json:"severity"`
	Status       string       `json:"status,omitempty"`
	Draft        bool         `json:"draft,omitempty"`
	Services     []string     `json:"services"`
	RootCauses   []string     `json:"root_causes"`
	Authors      []string     `json:"authors"`
	ActionsItems []jsonAction `json:"action_items,omitempty"`
}

type jsonAction struct {
	Title  string `json:"title"`
	Owner  string `json:"owner"`
	Status string `json:"status"`
	Due    string `json:"due"`
}

func (c *incident) json(b *strings.Builder, hugo bool) {
	m := jsonMatter{
		Title: c.title, Date: c.day.Format(time.DateOnly), Started: c.clock(c.began), Detected: c.clock(c.detected),
		Resolved: c.clock(c.resolved), Severity: c.severity, Status: c.status,
		Services: c.services, RootCauses: c.causes, Authors: c.authors,
	}
	if hugo && c.status == "draft" {
		m.Status, m.Draft = "", true
	}
	for _, it := range c.items {
		m.ActionsItems = append(m.ActionsItems, jsonAction{it.title, it.owner, it.status, it.due.Format(time.DateOnly)})
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		panic(err) // strings and lists of strings always encode
	}
	b.Write(data)
	b.WriteString("\n\n")
}

// body writes the Markdown body.
func (c *incident) body(b *strings.Builder) {
	r := c.r
	fmt.Fprintf(b, "\n## Summary\n\n%s\n\n## Impact\n\n%s\n\n", c.paragraph(r, 2, 4), c.paragraph(r, 1, 3))
	fmt.Fprintf(b, "| metric | value |\n| --- | --- |\n| failed %s | %d |\n| duration | %d min |\n",
		c.thing, r.between(100, 99999), int(c.resolved.Sub(c.began).Minutes()))
	if r.chance(50) {
		fmt.Fprintf(b, "| customers affected | %d |\n", r.between(1, 5000))
	}
	if c.bundle {
		b.WriteString("\n![How the requests flow](diagram.svg)\n")
	}
	b.WriteString("\n## Timeline\n\n")
	c.timeline(b)
	fmt.Fprintf(b, "\n## Root cause\n\n%s\n\n%s\n\n```text\n", c.paragraph(r, 3, 7), c.paragraph(r, 1, 3))
	for k := range r.between(1, 4) {
		fmt.Fprintf(b, "%s %s-%02d: error: %s %s after %ds (code %d)\n", c.detected.Add(time.Duration(k)*time.Second).Format("15:04:05"),
			c.services[0], r.between(1, 40), c.thing, c.failed, r.between(1, 30), r.between(400, 599))
	}
	fmt.Fprintf(b, "```\n\n## Resolution\n\n%s We **rolled back** the last change and *watched* the %s.\n\n", c.paragraph(r, 1, 4), pick(r, words))
	b.WriteString("## Corrective and preventative measures\n\n")
	if len(c.items) == 0 {
		b.WriteString("- None recorded.\n")
	}
	for _, it := range c.items {
		fmt.Fprintf(b, "- %s (owner: %s)\n", it.title, it.owner)
	}
	fmt.Fprintf(b, "\n## Lessons learned\n\n%s\n\nSee the [runbook](https://runbooks.example.com/%s) for details.\n", c.paragraph(r, 1, 4), c.services[0])
}

// timeline writes the timeline as a list, a table or in the "08:00 AM:"
// style, in the incident's clock.
func (c *incident) timeline(b *strings.Builder) {
	r := c.r
	type step struct {
		t    time.Time
		what string
	}
	steps := []step{{c.began, "Impact began"}, {c.detected, "Alert fired"}}
	if r.chance(50) {
		steps = append(steps, step{c.detected.Add(time.Duration(r.between(1, 10)) * time.Minute), "Incident declared"})
	}
	if !c.mitigated.IsZero() {
		steps = append(steps, step{c.mitigated, "Mitigation applied"})
	}
	steps = append(steps, step{c.resolved, "Service recovered"})
	slices.SortStableFunc(steps, func(a, b step) int { return a.t.Compare(b.t) })
	style := r.intn(100)
	if style >= 60 && style < 85 {
		b.WriteString("| time | event |\n| --- | --- |\n")
	}
	for _, s := range steps {
		text := s.what + ": " + c.sentence(r)
		switch {
		case style < 60:
			fmt.Fprintf(b, "- %s — %s\n", s.t.Format("15:04"), text)
		case style < 85:
			fmt.Fprintf(b, "| %s | %s |\n", s.t.Format("15:04"), text)
		default:
			fmt.Fprintf(b, "%s: %s\n\n", s.t.Format("03:04 PM"), text)
		}
	}
}
