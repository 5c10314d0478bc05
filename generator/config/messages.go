package config

import (
	"fmt"
	"reflect"
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
	var key, typ string
	if n, _ := fmt.Sscanf(msg, "field %s not found in type %s", &key, &typ); n == 2 {
		if t := structNamed(reflect.TypeFor[Config](), typ); t != nil {
			return unknownSetting(key, t)
		}
		return fmt.Sprintf("unknown setting %q", key)
	}
	got, into, ok := strings.Cut(strings.TrimPrefix(msg, "cannot unmarshal "), " into ")
	if !ok || !strings.HasPrefix(msg, "cannot unmarshal ") {
		return msg
	}
	if _, v, ok := strings.Cut(got, " "); ok {
		got = v // "!!str `ten`": the value alone
	}
	want := wanted(into)
	if k := keyAt(doc, line); k != "" {
		return fmt.Sprintf("%s: want %s, got %s", k, want, got)
	}
	return fmt.Sprintf("want %s, got %s", want, got)
}

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

// keyAt returns the key, as dotted path from the top of doc
// ("search.synonyms"), whose value starts at line, or "".
func keyAt(doc *yaml.Node, line int) string {
	var walk func(n *yaml.Node, path string) string
	walk = func(n *yaml.Node, path string) string {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				if k := walk(c, path); k != "" {
					return k
				}
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := strings.TrimPrefix(path+"."+k.Value, ".")
				if v.Line == line && v.Kind == yaml.ScalarNode {
					return p
				}
				if found := walk(v, p); found != "" {
					return found
				}
			}
		case yaml.SequenceNode:
			for _, c := range n.Content {
				if found := walk(c, path); found != "" {
					return found
				}
			}
		}
		return ""
	}
	return walk(doc, "")
}
