package postmortem

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/frontmatter"
	"github.com/postmortem/postmortem/generator/markdown"
)

// Statuses lists the review states of a postmortem, in order.
var Statuses = []string{"draft", "review", "final"}

// Visibilities lists who may read a postmortem: everyone, or only the
// internal build (see config.Config.Public).
var Visibilities = []string{"public", "internal"}

// ActionStatuses and ActionTypes list the values an action item may take.
var (
	ActionStatuses = []string{"open", "done", "wontfix"}
	ActionTypes    = []string{"mitigate", "prevent", "process"}
)

// timeFields are the incident phases, in the order they must happen.
var timeFields = []string{"started", "detected", "acknowledged", "mitigated", "resolved"}

// Parse reads the postmortem in src, the bytes of the file at path (relative
// to the site root). It returns the postmortem, possibly incomplete, and every
// problem found, each with the line of the key at fault.
// A bundle's index file names its bundle folder in dir; dir is "" otherwise.
func Parse(path string, src []byte, cfg *config.Config, md *markdown.Renderer, dir string) (*Postmortem, diag.List) {
	d := &decoder{path: path, cfg: cfg, lines: make(Lines, len(config.FieldNames)), blank: map[string]int{}}
	p := &Postmortem{Path: path, Dir: dir, Location: cfg.Location, Status: "final", Visibility: "public"}
	h := fnv.New64a()
	h.Write([]byte(path + "\x00" + dir + "\x00"))
	h.Write(src)
	p.hash = h.Sum64()
	if line, col, b, ok := invalidUTF8(src); ok {
		d.diags.Add(path, line, col, "invalid UTF-8 (byte 0x%02x): save the file as UTF-8", b)
		return p, d.diags
	}

	switch {
	case bytes.IndexByte(src, 0) >= 0:
		d.diags.Add(path, 0, 0, "not text: the file holds NUL bytes (a .md that is not Markdown?)")
		return p, d.diags
	case len(bytes.TrimSpace(bytes.TrimPrefix(src, []byte("\xef\xbb\xbf")))) == 0:
		d.diags.Add(path, 0, 0, "the file is empty: write the postmortem, or postmortem new writes one from the template")
		return p, d.diags
	}
	m, ferr := frontmatter.Read(src)
	if ferr != nil {
		d.diags.Add(path, ferr.Line, ferr.Col, "%s", ferr.Msg)
		return p, d.diags
	}
	p.BodyLine = m.BodyLine
	d.fence = m.BodyLine - 1
	p.Lines = d.lines
	if m.Root == nil {
		// No front matter: every field is read from the body and the name.
		m.Root = &yaml.Node{Kind: yaml.MappingNode}
	} else {
		d.start, d.heading, d.afterBlank = m.Start, m.Heading, m.AfterBlank
	}
	d.decode(m.Root, p)
	p.decoded = true
	if d.heading > 0 {
		d.diags.Warn(path, d.heading, 1, "front matter: this Markdown heading is a YAML comment here, the front matter running to the --- of line %d: if the body starts at it, write the closing --- above it", d.fence)
	}
	d.derive(p, m.Body, md)
	d.validate(p)
	p.erred = slices.Sorted(maps.Keys(d.erred))
	slices.Sort(d.aliased)
	p.Aliased = slices.Compact(d.aliased)
	return p, d.diags.Sort()
}

type decoder struct {
	path    string
	cfg     *config.Config
	diags   diag.List
	lines   Lines // line of each field's key
	start   int   // line of the opening fence of the front matter; 0 without one
	heading int   // frontmatter.Matter.Heading
	// afterBlank is frontmatter.Matter.AfterBlank, and fence the line of
	// the closing fence.
	afterBlank, fence int
	// zoned is set when the zone is that of the offset a time of the
	// front matter is written with (see writtenZone).
	zoned bool
	// blank holds the line of each field given an empty value, which
	// counts as not given.
	blank map[string]int
	// aliased are the values written as an alias of postmortem.yaml.
	aliased []string
	// values holds the value of each field given one, by our name of it.
	values map[string]*yaml.Node
	// dues holds the due: of each action item given one, by its place in
	// the postmortem's action items.
	dues map[int]*yaml.Node
	// erred holds the fields an error was reported in, by our name of
	// them (see mark).
	erred map[string]bool
}

func (d *decoder) errorf(n *yaml.Node, field, format string, args ...any) {
	d.diags.Add(d.path, n.Line, n.Column, "%s: %s", field, fmt.Sprintf(format, args...))
	d.mark(field)
}

// mark notes an error in the field key names: one of config.FieldNames,
// a source key of one, or a part of one (action_items[2].owner).
func (d *decoder) mark(key string) {
	if i := strings.IndexAny(key, "[."); i > 0 {
		key = key[:i]
	}
	for _, f := range config.FieldNames {
		if key == f || slices.Contains(d.cfg.Fields[f], key) {
			key = f
			break
		}
	}
	if d.erred == nil {
		d.erred = map[string]bool{}
	}
	d.erred[key] = true
}

// decode fills p from the front matter mapping node. Each field takes the
// value of the first of its source keys (see config.SourceKeys) that the
// front matter gives with a value; keys that are none of them are kept in
// p.Params.
func (d *decoder) decode(root *yaml.Node, p *Postmortem) {
	given := make(map[string]int, len(root.Content)/2) // key -> index of its node in root.Content
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		key := k.Value
		if low := strings.ToLower(key); low != key && !d.known(key) && d.known(low) {
			// Title: for title, as a collection written elsewhere may
			// have it: read, and told.
			d.diags.Warn(d.path, k.Line, k.Column, "%s: read as %s (write keys in lower case)", key, low)
			key = low
		}
		if first, dup := given[key]; dup {
			d.errorf(k, key, "given twice (first on line %d)", root.Content[first].Line)
			continue
		}
		given[key] = i
		if !d.known(key) {
			d.unknown(k, root.Content[i+1], p)
		}
	}
	values := make(map[string]*yaml.Node, len(given))
	d.values = values
	take := func(field, key string) bool {
		i, ok := given[key]
		if ok && empty(root.Content[i+1]) && d.blank[field] == 0 {
			d.blank[field] = root.Content[i].Line
		}
		if !ok || empty(root.Content[i+1]) {
			return false // an empty value is as if not given: inferred, or the default
		}
		values[field] = root.Content[i+1]
		d.lines.set(field, root.Content[i].Line)
		return true
	}
	for _, field := range config.FieldNames {
		found := false
		for _, key := range d.cfg.Fields[field] {
			if found = take(field, key); found {
				break
			}
		}
		if !found {
			take(field, field)
		}
	}
	// The zone comes first: the times are read in it.
	if v := values["timezone"]; v != nil {
		if s, ok := d.text(v, "timezone"); ok && s != "" {
			if loc, err := config.LoadZone(s); err != nil {
				d.errorf(v, "timezone", "%v", err)
			} else {
				p.Location = loc
			}
		}
	} else if z := writtenZone(values, p.Location); z != nil {
		p.Location, d.zoned = z, true
	}
	for _, field := range config.FieldNames {
		v := values[field]
		if v == nil {
			continue
		}
		switch field {
		case "title":
			p.Title, _ = d.text(v, field)
		case "date":
			if t, ok := d.time(v, field, p.Location); ok {
				p.Date = dayIn(t, p.Location)
				if p.Date.IsZero() {
					d.errorf(v, field, "%q is the day of the zero time, which stands for no date (want the day of the incident)", v.Value)
				}
			}
		case "started", "detected", "acknowledged", "mitigated", "resolved":
			if t, ok := d.time(v, field, p.Location); ok {
				*p.timeField(field) = t
			}
		case "severity":
			if s, ok := d.text(v, field); ok && s != "" {
				if r := d.level(s); r > 0 {
					p.Severity, p.SeverityRank = d.cfg.Severities[r-1], r
				} else {
					hint := ""
					if r := loosely(d.cfg.Severities, s); r > 0 {
						hint = fmt.Sprintf("; did you mean %q?", d.cfg.Severities[r-1])
					}
					d.errorf(v, field, "unknown level %q (want one of %s)%s", s, strings.Join(d.cfg.Severities, ", "), hint)
				}
			}
		case "status":
			if s, ok := d.choice(v, field, "status", Statuses); ok {
				p.Status = s
			}
		case "visibility":
			if s, ok := d.choice(v, field, "visibility", Visibilities); ok {
				p.Visibility = s
			}
		case "draft":
			if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
				d.errorf(v, field, "want true or false, got %s", describe(v))
			} else if v.Value == "true" {
				p.Draft = true
			}
		case "root_causes":
			p.RootCauses = d.terms(v, field, TermPath)
		case "contributing_factors":
			p.ContributingFactors = d.tags(v, field)
		case "services":
			p.Services = d.tags(v, field)
		case "tags":
			p.Tags = d.tags(v, field)
		case "authors":
			p.Authors = d.people(v, field)
		case "trigger":
			p.Trigger, _ = d.text(v, field)
		case "detection":
			p.Detection, _ = d.text(v, field)
		case "summary":
			p.Summary, _ = d.text(v, field)
		case "slug":
			if s, ok := d.text(v, field); ok {
				if s != Slugify(s) || s == "" {
					d.errorf(v, field, "%q is not a valid slug (want lower-case letters, digits and dashes, such as %q)", s, Slugify(s))
				} else if _, err := PageName(s); err != nil {
					d.errorf(v, field, "%v", err)
				} else {
					p.Slug, p.SlugLine, p.SlugCol = s, v.Line, v.Column
				}
			}
		case "action_items":
			p.ActionItems = d.actionItems(v, p.Location)
		}
	}
	if p.Status == "draft" {
		p.Draft = true
	}
	if p.Draft && values["status"] == nil {
		p.Status = "draft"
	}
}

func (p *Postmortem) timeField(name string) *time.Time {
	switch name {
	case "started":
		return &p.Started
	case "detected":
		return &p.Detected
	case "acknowledged":
		return &p.Acknowledged
	case "mitigated":
		return &p.Mitigated
	}
	return &p.Resolved
}

// known reports whether key is read as one of our fields.
func (d *decoder) known(key string) bool {
	if slices.Contains(config.FieldNames, key) {
		return true
	}
	for _, keys := range d.cfg.Fields {
		if slices.Contains(keys, key) {
			return true
		}
	}
	return false
}

// text reads a scalar as text.
func (d *decoder) text(v *yaml.Node, field string) (string, bool) {
	if v.Kind != yaml.ScalarNode {
		d.errorf(v, field, "want text, got %s", describe(v))
		return "", false
	}
	if v.Tag == "!!null" {
		return "", true
	}
	t := strings.TrimSpace(v.Value)
	if strings.ContainsAny(t, "\u202d\u202e") {
		// An override shows the text after it in another order than it
		// is written: "nimda" read as "admin".
		d.diags.Warn(d.path, v.Line, v.Column, "%s: a character that overrides the direction of the text (U+202D or U+202E) is left out, as it shows the text in another order than it is written", field)
		t = strings.NewReplacer("\u202d", "", "\u202e", "").Replace(t)
	}
	return t, true
}

// people reads a list of the names of people, without the @ of a handle
// ("@priya", as a chat names people; see person).
func (d *decoder) people(v *yaml.Node, field string) []string {
	names, _ := d.list(v, field)
	for i, a := range names {
		names[i] = person(a)
	}
	return names
}

// choice reads one of the allowed values, without regard to case.
func (d *decoder) choice(v *yaml.Node, field, what string, allowed []string) (string, bool) {
	s, ok := d.text(v, field)
	if !ok {
		return "", false
	}
	if s = strings.ToLower(s); !slices.Contains(allowed, s) {
		hint := ""
		if near := nearest(s, allowed); near != "" {
			hint = fmt.Sprintf("; did you mean %q?", near)
		}
		d.errorf(v, field, "unknown %s %q (want %s or %s)%s", what, s, strings.Join(allowed[:len(allowed)-1], ", "), allowed[len(allowed)-1], hint)
		return "", false
	}
	return s, true
}

// list reads a list of scalars; a single scalar is a list of one. It
// returns the node of each value too.
func (d *decoder) list(v *yaml.Node, field string) ([]string, []*yaml.Node) {
	var out []string
	var nodes []*yaml.Node
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" || strings.TrimSpace(v.Value) == "" {
			break
		}
		// Text where a list is expected is a list of one; with commas, it
		// was meant as a list: read so, and shown in the form that says so.
		for _, s := range strings.Split(v.Value, ",") {
			if s = strings.TrimSpace(s); s != "" {
				out, nodes = append(out, s), append(nodes, v)
			}
		}
		if strings.Contains(v.Value, ",") {
			shown := make([]string, len(out))
			for i, s := range out {
				shown[i] = flowItem(s)
			}
			d.diags.Warn(d.path, v.Line, v.Column, "%s: want a list, got text with commas; read as [%s]: write it so", field, strings.Join(shown, ", "))
		}
	case yaml.SequenceNode:
		for _, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				d.errorf(e, field, "want a list of text values, got %s in the list", describe(e))
				continue
			}
			if s := strings.TrimSpace(e.Value); s != "" {
				out, nodes = append(out, s), append(nodes, e)
			}
		}
	default:
		d.errorf(v, field, "want a list, got %s", describe(v))
	}
	return out, nodes
}

// tags reads a list of tag values, normalised, aliased, sorted and unique.
// A tag has a page: one whose name would be too long is an error.
func (d *decoder) tags(v *yaml.Node, field string) []string {
	return d.terms(v, field, Slugify)
}

// level returns the rank of the severity level s names, in any case or
// by an alias of the config (p1: SEV1), or 0.
func (d *decoder) level(s string) int {
	if r := d.cfg.SeverityRank(s); r > 0 {
		return r
	}
	if a, ok := d.cfg.Aliases[Slugify(s)]; ok {
		return d.cfg.SeverityRank(a)
	}
	return 0
}

// terms reads a list of tag values as tags does, normalised by norm.
// Each part of a value written with slashes names a page or a folder.
func (d *decoder) terms(v *yaml.Node, field string, norm func(string) string) []string {
	var out []string
	values, nodes := d.list(v, field)
	nests := strings.Contains(norm("a/b"), "/") // a slash nests one term under another
	for k, s := range values {
		t := norm(s)
		a, aliased := d.cfg.Aliases[t]
		if aliased {
			d.aliased = append(d.aliased, t)
			t = norm(a)
		}
		if t == "" {
			if strings.TrimSpace(s) != "" {
				d.diags.Warn(d.path, nodes[k].Line, nodes[k].Column, "%s: %q has no letter nor digit to name a page by: left out", field, s)
			}
			continue
		}
		if nests && !aliased && strings.Count(t, "/") < strings.Count(strings.Trim(strings.TrimSpace(s), "/"), "/") {
			d.diags.Warn(d.path, nodes[k].Line, nodes[k].Column, "%s: %q is read as %q: a part between slashes with no letter nor digit is left out", field, s, t)
		}
		if err := pageNames(t); err != nil {
			d.errorf(nodes[k], field, "%v", err)
			continue
		}
		if strings.Contains(t, "/") && acronymsRE.MatchString(strings.TrimSpace(s)) {
			up := t[:strings.LastIndexByte(t, '/')]
			d.diags.Warn(d.path, nodes[k].Line, nodes[k].Column, "%s: %q is read as %q under %q, as a slash nests one term under another: for one term, write %q, or map it in aliases: of %s",
				field, s, t[len(up)+1:], up, strings.ReplaceAll(t, "/", "-"), config.File)
		}
		out = append(out, t)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// acronymsRE matches a value of capitals and digits joined by slashes,
// "CI/CD" or "I/O": one term to its author, more likely than a hierarchy.
var acronymsRE = regexp.MustCompile(`^[A-Z0-9]{1,6}(?:/[A-Z0-9]{1,6})+$`)

// pageNames checks that each part of a term written with slashes makes a
// page name.
func pageNames(term string) error {
	for _, part := range strings.Split(term, "/") {
		if _, err := PageName(part); err != nil {
			return err
		}
	}
	return nil
}

// time reads a timestamp or a date in loc.
// day reads a day, as time reads a time, and says so when it cannot.
func (d *decoder) day(v *yaml.Node, field string, loc *time.Location) (time.Time, bool) {
	if s := strings.TrimSpace(v.Value); v.Kind == yaml.ScalarNode {
		if _, _, err := parseTime(s, loc); err != nil {
			d.errorf(v, field, "cannot read %q as a day%s (want one such as 2024-06-01)", s, timeHint(s))
			return time.Time{}, false
		}
	}
	return d.time(v, field, loc)
}

func (d *decoder) time(v *yaml.Node, field string, loc *time.Location) (time.Time, bool) {
	if v.Kind != yaml.ScalarNode {
		d.errorf(v, field, "want a date or time, got %s", describe(v))
		return time.Time{}, false
	}
	t, skipped, err := parseTime(v.Value, loc)
	if err != nil {
		d.errorf(v, field, "%v", err)
		return time.Time{}, false
	}
	if t.IsZero() {
		d.errorf(v, field, "%q is the zero time, which stands for no time at all (want the real one)", v.Value)
		return time.Time{}, false
	}
	if skipped && len(strings.TrimSpace(v.Value)) > len(time.DateOnly) { // a day whose midnight is skipped starts after it
		d.diags.Warn(d.path, v.Line, v.Column, "%s: %s does not exist in %s, as the clocks skip it going forward: read as %s",
			field, strings.TrimSpace(v.Value), loc, t.Format("2006-01-02 15:04 MST"))
	}
	return t, true
}

// empty reports whether v gives no value: null, blank text, an empty list
// or mapping.
func empty(v *yaml.Node) bool {
	switch v.Kind {
	case yaml.ScalarNode:
		return v.ShortTag() == "!!null" || strings.TrimSpace(v.Value) == ""
	case yaml.SequenceNode, yaml.MappingNode:
		return len(v.Content) == 0
	}
	return false
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.MappingNode:
		return "a mapping"
	case yaml.AliasNode:
		return "an alias"
	}
	return fmt.Sprintf("%q", n.Value)
}
