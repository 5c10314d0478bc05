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
