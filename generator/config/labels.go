package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"math"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/frontmatter"
	"github.com/postmortem/postmortem/generator/nearmiss"
	"github.com/postmortem/postmortem/generator/sitefs"
	"github.com/postmortem/postmortem/themes"
)

// LabelsDir is the folder of a theme, and of a site, that holds the words
// of the theme in each language: LabelsDir/LANG.yaml.
const LabelsDir = "labels"

// fallbackLanguage is the language whose labels name every key.
const fallbackLanguage = "en"

// Labels are the words a theme shows, by key.
type Labels map[string]string

// LoadLabels reads the labels of the site's Language into c.Labels from
// the layers of its theme (themes.Layers). The English labels of all
// layers name the known keys; then each layer's LANG.yaml, from the
// default theme up to the site, replaces the words it gives: a site
// overrides one word without copying the rest. For a tag such as pt-BR,
// pt.yaml is read before pt-BR.yaml. A key no English file knows is an
// error, so a misspelt key does not pass unseen.
func (c *Config) LoadLabels(layers []themes.Layer) diag.List {
	var diags diag.List
	labels := Labels{}
	langs := []string{fallbackLanguage}
	if primary, _, _ := strings.Cut(c.Language, "-"); !strings.EqualFold(primary, fallbackLanguage) {
		langs = append(langs, primary)
	}
	if !slices.Contains(langs, c.Language) {
		langs = append(langs, c.Language)
	}
	var english Labels      // the English labels, once read
	set := map[string]int{} // the file that gave each label its word, in the order read
	var adds []added
	file := 0
	for k, lang := range langs {
		if k == 1 {
			english = maps.Clone(labels) // what a translation's keys and verbs are checked against
		}
		for i := len(layers) - 1; i >= 0; i-- {
			l := layers[i]
			name := path.Join(LabelsDir, lang+".yaml")
			data, err := fs.ReadFile(l.FS, name)
			if errors.Is(err, fs.ErrNotExist) || errors.Is(err, sitefs.ErrSkipped) {
				continue // a skipped file (a link out of the site) is warned of by the build
			}
			shown := path.Join(l.Dir, name)
			if err != nil {
				diags.Add(shown, 0, 0, "%v", err)
				continue
			}
			file++
			var isNew func(*yaml.Node)
			if k == 0 && l.Dir != themes.DefaultDir {
				isNew = func(key *yaml.Node) { adds = append(adds, added{key.Value, shown, key.Line, key.Column}) }
			}
			diags = append(diags, readLabels(labels, english, data, shown, func(key string) { set[key] = file }, isNew)...)
		}
	}
	diags = append(diags, unnamed(layers, adds, labels)...)
	// A count's word for one (KEY_one, see Label) from a file read before
	// the one that gave KEY its word, such as the theme's English under a
	// site's German, would not be in KEY's language: KEY stands for it.
	for key := range labels {
		if one, ok := strings.CutSuffix(key, "_one"); ok && strings.Contains(labels[one], "%") && set[one] > set[key] {
			labels[key] = labels[one]
		}
	}
	c.Labels = labels
	return diags.Sort()
}

// readLabels adds the labels of one file to labels, reporting problems at
// shown, and calls set with each key it gives a word. english is nil for
// an English file, where new keys are allowed, and given to isNew when it
// is not nil; for a translation, the English labels, whose keys it may
// give and whose verbs its words must take.
func readLabels(labels, english Labels, data []byte, shown string, set func(key string), isNew func(key *yaml.Node)) diag.List {
	fallback := english == nil
	var diags diag.List
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line, col, msg := frontmatter.YAMLSyntax(data, err)
		diags.Add(shown, line, col, "%s", msg)
		return diags
	}
	if len(doc.Content) == 0 {
		return nil // an empty file
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		diags.Add(shown, m.Line, m.Column, "want a mapping of label keys to words")
		return diags
	}
	given := map[string]int{} // the line of each key of this file
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if at, twice := given[k.Value]; twice {
			diags.Warn(shown, k.Line, k.Column, "label %q is given twice, here and at line %d: this one is taken", k.Value, at)
		}
		given[k.Value] = k.Line
		if _, known := labels[k.Value]; !known && !fallback {
			diags.Add(shown, k.Line, k.Column, "unknown label %q: the theme's %s.yaml has no such key", k.Value, fallbackLanguage)
			continue
		} else if !known && isNew != nil {
			isNew(k)
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			diags.Add(shown, v.Line, v.Column, "label %q: want text", k.Value)
			continue
		}
		if want, ok := verbs(english[k.Value]); !fallback && ok {
			// Fewer verbs than the English is a word left out, as Label
			// allows; others would show as %!d(MISSING) and the like.
			if got, ok := verbs(v.Value); ok && !sameVerbs(got, want) {
				diags.Warn(shown, v.Line, v.Column, "label %q: %q takes %s where the English %q takes %s: the page would show %%!d(MISSING) or the like (pick them by place, %%[2]s, to change their order)",
					k.Value, v.Value, verbList(got), english[k.Value], verbList(want))
			}
		}
		labels[k.Value] = v.Value
		set(k.Value)
	}
	return diags
}

// verbs returns the verbs of the format v in order ("ds" for "%d %s"),
// and false when it picks its arguments by place (%[2]s), in any order.
func verbs(v string) (string, bool) {
	var out []byte
	for i := 0; i+1 < len(v); i++ {
		if v[i] != '%' {
			continue
		}
		i++
		if v[i] == '%' {
			continue
		}
		if v[i] == '[' {
			return "", false
		}
		for i < len(v) && strings.IndexByte("+-# 0123456789.", v[i]) >= 0 {
			i++
		}
		if i < len(v) {
			out = append(out, v[i])
		}
	}
	return string(out), true
}

// sameVerbs reports whether a format of the verbs got takes the arguments
// of one of want: as many or fewer, each of its kind, %v of any.
func sameVerbs(got, want string) bool {
	if len(got) > len(want) {
		return false
	}
	for i := range len(got) {
		if got[i] != want[i] && got[i] != 'v' {
			return false
		}
	}
	return true
}

// verbList names the verbs of verbs: "no verb", or "%d then %s".
func verbList(vs string) string {
	if vs == "" {
		return "no verb"
	}
	parts := make([]string, len(vs))
	for i := range len(vs) {
		parts[i] = "%" + vs[i:i+1]
	}
	return strings.Join(parts, " then ")
}

// added is a key that the English labels of a site, or of its own theme,
// add to the default theme's: for a template of theirs, or misspelt.
type added struct {
	key, shown string
	line, col  int
}

// unnamed warns of the keys of adds that no template of the layers names,
// as "key" or by its start ("status_" in {{label (print "status_" .)}}),
// and of those a few letters from a key of labels: a key misspelt, whose
// word would show nowhere.
func unnamed(layers []themes.Layer, adds []added, labels Labels) diag.List {
	if len(adds) == 0 {
		return nil
	}
	var text strings.Builder
	for _, l := range layers {
		for _, pattern := range []string{"layouts/*.html", "layouts/partials/*.html"} {
			files, _ := fs.Glob(l.FS, pattern)
			for _, f := range files {
				if data, err := fs.ReadFile(l.FS, f); err == nil {
					text.Write(data)
				}
			}
		}
	}
	quoted := map[string]bool{}
	for _, m := range quotedRE.FindAllStringSubmatch(text.String(), -1) {
		quoted[m[1]] = true
	}
	isAdded := map[string]bool{}
	for _, a := range adds {
		isAdded[a.key] = true
	}
	var diags diag.List
	for _, a := range adds {
		if quoted[a.key] {
			continue
		}
		best, dist := "", max(2, len(a.key)/4)+1
		for _, key := range slices.Sorted(maps.Keys(labels)) {
			if d := nearmiss.Distance(a.key, key); !isAdded[key] && d < dist {
				best, dist = key, d
			}
		}
		// Named by its start, it may be a key of the theme's own, unless
		// it is a near miss of one the theme has.
		prefixed := false
		for q := range quoted {
			prefixed = prefixed || strings.HasSuffix(q, "_") && strings.HasPrefix(a.key, q)
		}
		switch {
		case best != "":
			diags.Warn(a.shown, a.line, a.col, "label %q: the default theme has no such key, so its word shows nowhere; did you mean %q?", a.key, best)
		case !prefixed:
			diags.Warn(a.shown, a.line, a.col, "label %q: no template names it, and the default theme has no such key, so its word shows nowhere", a.key)
		}
	}
	return diags
}

// quotedRE is a string of a template that may name a label, or the start
// of one: "tax_root_cause", "status_".
var quotedRE = regexp.MustCompile(`"([a-z0-9_]+)"`)

// AlertTitles returns the titles of Markdown alerts (> [!NOTE]) in the
// site's language: the labels alert_note, alert_tip, ... by kind.
func (c *Config) AlertTitles() map[string]string {
	titles := map[string]string{}
	for k, v := range c.Labels {
		if kind, ok := strings.CutPrefix(k, "alert_"); ok {
			titles[kind] = v
		}
	}
	return titles
}

// Label returns the label of key, formatted with args as fmt.Sprintf does
// when there are any. When the first argument is the number 1 and the
// labels have KEY_one, that is the label: "1 incident", not "1 incidents".
// An argument that is not a number, a string or a bool is given as its
// text (fmt.Sprint), so that no verb of a label shows a value's fields
// but as printing it whole does. An unknown key is an error.
func (l Labels) Label(key string, args ...any) (string, error) {
	v, ok := l[key]
	if !ok {
		return "", fmt.Errorf("label: unknown key %q (known keys are in labels/%s.yaml of the theme)", key, fallbackLanguage)
	}
	if len(args) == 0 {
		return v, nil
	}
	if one, ok := l[key+"_one"]; ok && reflect.ValueOf(args[0]).CanInt() && reflect.ValueOf(args[0]).Int() == 1 {
		v = one
	}
	args = args[:min(len(args), uses(v))]
	args = slices.Clone(args)
	for i, a := range args {
		if k := reflect.ValueOf(a).Kind(); k != reflect.String && (k < reflect.Bool || k > reflect.Complex128) {
			args[i] = fmt.Sprint(a)
		}
	}
	return fmt.Sprintf(v, args...), nil
}

// uses returns how many arguments the format v takes: its verbs, or all
// there are when it picks them by their place (%[2]s), which fmt then
// allows to go unused. A label that leaves out a word the template gives
// it, or the one for a single thing (KEY_one), takes fewer than given.
func uses(v string) int {
	vs, inOrder := verbs(v)
	if !inOrder {
		return math.MaxInt
	}
	return len(vs)
}

// word returns the label of key, or english when there is none, as for
// labels not loaded from a theme.
func (l Labels) word(key, english string) string {
	if v, ok := l[key]; ok {
		return v
	}
	return english
}

// Duration writes d in the words of the labels: "3 h 30 min", "45 min" or
// "2 d 4 h" in English. A negative d is written as its length.
func (l Labels) Duration(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	m := int(d / time.Minute)
	switch {
	case m < 60:
		return fmt.Sprintf(l.word("duration_minutes", "%d min"), m)
	case m < 48*60 && m%60 == 0:
		return fmt.Sprintf(l.word("duration_hours", "%d h"), m/60)
	case m < 48*60:
		return fmt.Sprintf(l.word("duration_hours_minutes", "%d h %02d min"), m/60, m%60)
	case m%(24*60) < 60:
		return fmt.Sprintf(l.word("duration_days", "%d d"), m/(24*60))
	}
	return fmt.Sprintf(l.word("duration_days_hours", "%d d %d h"), m/(24*60), m%(24*60)/60)
}

// Date writes the day of t, in t's location, as the date_layout label
// (a Go time layout, "2 Jan 2006" in English) with the month names of the
// months label.
func (l Labels) Date(t time.Time) string {
	return l.months(t, t.Format(l.word("date_layout", "2 Jan 2006")))
}

// DateTime writes t, in t's location, as Date does, then the time of day
// and the zone: "6 Aug 2023 08:00 WAT" in English.
func (l Labels) DateTime(t time.Time) string {
	return l.months(t, t.Format(l.word("date_layout", "2 Jan 2006")+" 15:04 MST"))
}

// months puts the month name of the labels in place of the English one in
// s, a formatting of t.
func (l Labels) months(t time.Time, s string) string {
	name, n := "", 0
	for f := range strings.FieldsSeq(l.word("months", "")) {
		if n++; n == int(t.Month()) {
			name = f
		}
	}
	if n != 12 {
		return s
	}
	en := t.Month().String()
	for _, from := range []string{en, en[:3]} {
		if i := strings.Index(s, from); i >= 0 {
			return s[:i] + name + s[i+len(from):]
		}
	}
	return s
}
