package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/postmortem/postmortem/generator/nearmiss"
)

// settingMessage rewrites a message of the YAML decoder about the settings
// file whose tree is doc in the words of the settings rather than of Go: a
// key that is no setting ("field recnt not found in type config.Config")
// as unknown, with the setting it is closest to; a value of the wrong kind
// ("cannot unmarshal !!str `ten` into int") with the setting's key, found
// at line, and what it wants. Other messages are kept as they are.
func settingMessage(msg string, line int, doc *yaml.Node) string {
	if m := unknownField.FindStringSubmatch(msg); m != nil {
		if t := structNamed(reflect.TypeFor[Config](), m[2]); t != nil {
			return unknownSetting(m[1], t)
		}
		return fmt.Sprintf("unknown setting %q", m[1])
	}
	m := wrongKind.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	tag, value, into := m[1], m[2], m[3]
	got := "`" + value + "`"
	match := func(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Value == value }
	switch tag {
	case "!!seq":
		got, match = "a list", func(n *yaml.Node) bool { return n.Kind == yaml.SequenceNode }
	case "!!map":
		got, match = "keys and values", func(n *yaml.Node) bool { return n.Kind == yaml.MappingNode }
	}
	if k := keyAt(doc, line, match); k != "" {
		return fmt.Sprintf("%s: want %s, got %s", k, wanted(into), got)
	}
	return fmt.Sprintf("want %s, got %s", wanted(into), got)
}

// The messages of the YAML decoder that settingMessage rewrites.
var (
	unknownField = regexp.MustCompile("^field (.+) not found in type (\\S+)$")
	wrongKind    = regexp.MustCompile("^cannot unmarshal (!!\\w+) (?:`(.*)` )?into (.+)$")
)

// unknownSetting says that key is not a setting of the struct t, and which
// of its settings key is close to, when one is.
func unknownSetting(key string, t reflect.Type) string {
	msg := fmt.Sprintf("unknown setting %q", key)
	best, dist := "", max(2, len(key)/3)+1
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		if d := nearmiss.Distance(key, name); d < dist {
			best, dist = name, d
		}
	}
	if best != "" {
		msg += fmt.Sprintf("; did you mean %q?", best)
	}
	return msg
}

// structNamed returns the struct type, t or one its fields hold, that Go
// names name ("config.Search"), or nil.
func structNamed(t reflect.Type, name string) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	if t.String() == name {
		return t
	}
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() {
			if found := structNamed(f.Type, name); found != nil {
				return found
			}
		}
	}
	return nil
}

// wanted says in words what a value of the Go type named typ is.
func wanted(typ string) string {
	switch {
	case strings.HasPrefix(typ, "int"), strings.HasPrefix(typ, "uint"):
		return "a whole number"
	case strings.HasPrefix(typ, "float"):
		return "a number"
	case typ == "bool":
		return "true or false"
	case typ == "string":
		return "text"
	case strings.HasPrefix(typ, "[]"):
		return "a list"
	case strings.HasPrefix(typ, "map["), strings.HasPrefix(typ, "config."):
		return "keys and values"
	}
	return typ
}

// keyAt returns the key, as a dotted path from the top of doc
// ("search.weights.title"), of the value at line that match takes: the
// key's own value or, in a list, one of its items. "" when none.
func keyAt(doc *yaml.Node, line int, match func(*yaml.Node) bool) string {
	var walk func(n *yaml.Node, path string) string
	walk = func(n *yaml.Node, path string) string {
		if path != "" && n.Line == line && match(n) {
			return path
		}
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				if k := walk(c, path); k != "" {
					return k
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				p := strings.TrimPrefix(path+"."+n.Content[i].Value, ".")
				if k := walk(n.Content[i+1], p); k != "" {
					return k
				}
			}
		}
		return ""
	}
	return walk(doc, "")
}
