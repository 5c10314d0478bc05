package postmortem

import (
	"maps"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
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
