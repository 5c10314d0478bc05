package postmortem

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/nearmiss"
)

// Params are the front matter keys of a postmortem that are none of its
// fields, by key, for templates: {{.PM.Params.url}}, as in Hugo.
type Params map[string]Param

// Param is the value of a front matter key that is none of our fields:
// text, a list, or keys of its own.
type Param struct {
	Text string // a single value, as written
	List []Param
	Map  Params
}

// String writes the value as text: a list as its items joined by ", ", keys
// of its own as "key: value" pairs in the order of their keys.
func (p Param) String() string {
	switch {
	case p.List != nil:
		parts := make([]string, len(p.List))
		for i, e := range p.List {
			parts[i] = e.String()
		}
		return strings.Join(parts, ", ")
	case p.Map != nil:
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(p.Map)) {
			parts = append(parts, k+": "+p.Map[k].String())
		}
		return strings.Join(parts, ", ")
	}
	return p.Text
}

// param reads a front matter value into a Param.
func param(v *yaml.Node) Param {
	switch v.Kind {
	case yaml.SequenceNode:
		out := Param{List: make([]Param, 0, len(v.Content))}
		for _, e := range v.Content {
			out.List = append(out.List, param(e))
		}
		return out
	case yaml.MappingNode:
		out := Param{Map: Params{}}
		for i := 0; i+1 < len(v.Content); i += 2 {
			out.Map[v.Content[i].Value] = param(v.Content[i+1])
		}
		return out
	}
	if v.ShortTag() == "!!null" {
		return Param{}
	}
	return Param{Text: v.Value}
}

// paramRef is how a template names the parameter of the front matter key:
// .PM.Params.key where the key is a name a template can write so, else
// index .PM.Params "key", quoted as Go quotes it, so that a key with a line
// break in it cannot write a line of its own in a diagnostic.
func paramRef(key string) string {
	if identRE.MatchString(key) {
		return ".PM.Params." + key
	}
	return fmt.Sprintf("index .PM.Params %q", key)
}

// identRE matches a name a template may write after a dot: letters,
// digits and underscores, not starting with a digit.
var identRE = regexp.MustCompile(`^[\p{L}_][\p{L}\p{Nd}_]*$`)

// flowItem writes the value s as an item of a list in a diagnostic: as it
// is, or quoted where it holds a control character, so that a line break in
// it cannot write a line of its own.
func flowItem(s string) string {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return strconv.Quote(s)
	}
	return s
}

// unknown keeps a key that is none of our fields in p.Params, and reports
// it as unknown_fields says; a near miss of a known key ("severty") is an
// error whatever it says, as the field it was meant for is left empty.
func (d *decoder) unknown(k, v *yaml.Node, p *Postmortem) {
	if p.Params == nil {
		p.Params = Params{}
	}
	p.Params[k.Value] = param(v)
	near := d.nearMiss(k.Value)
	report := d.diags.Warn
	switch d.cfg.UnknownFields {
	case "error":
		report = d.diags.Add
	case "ignore":
		if near == "" {
			return
		}
	}
	if near != "" {
		d.diags.Add(d.path, k.Line, k.Column, "unknown field %q; did you mean %q?", k.Value, near)
		d.mark(near) // the field meant is not told missing as well
		return
	}
	if d.afterBlank > 0 && k.Line >= d.afterBlank && strings.ToLower(k.Value) != k.Value && strings.Contains(strings.TrimSpace(v.Value), " ") {
		// "Impact: all users saw errors" after a blank line: a line of
		// the body, read as front matter up to a --- further down.
		d.diags.Add(d.path, k.Line, k.Column, "unknown field %q: is the closing --- of the front matter missing above line %d? (it runs to the --- of line %d)", k.Value, d.afterBlank, d.fence)
		return
	}
	report(d.path, k.Line, k.Column, "unknown field %q (kept for templates as %s; unknown_fields: ignore in %s silences this)", k.Value, paramRef(k.Value), config.File)
}

// nearMiss returns the known key that key looks like a typo of, or "" (see
// nearest).
func (d *decoder) nearMiss(key string) string {
	var known []string
	for _, f := range config.FieldNames {
		known = append(append(known, f), d.cfg.Fields[f]...)
	}
	return nearest(key, known)
}

// nearest returns the one of known that key looks like a typo of, or "":
// one that differs in case only, by one letter in a key of four or more,
// or by two in a key of eight or more.
func nearest(key string, known []string) string {
	best, bestDist := "", 1<<30
	for _, c := range known {
		if dist := nearmiss.Distance(strings.ToLower(key), strings.ToLower(c)); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	if bestDist == 0 || bestDist == 1 && len(key) >= 4 || bestDist == 2 && len(key) >= 8 {
		return best
	}
	return ""
}
