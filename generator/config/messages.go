package config

import (
	"fmt"
	"iter"
	"reflect"
	"regexp"
	"slices"
	"strconv"
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
	// The decoder cuts a long value to its first 7 bytes and "...".
	prefix, cut := strings.CutSuffix(value, "...")
	is := func(n *yaml.Node) bool {
		return n.Kind == yaml.ScalarNode && (n.Value == value || cut && strings.HasPrefix(n.Value, prefix))
	}
	switch tag {
	case "!!seq":
		got, is = "a list", func(n *yaml.Node) bool { return n.Kind == yaml.SequenceNode }
	case "!!map":
		got, is = "keys and values", func(n *yaml.Node) bool { return n.Kind == yaml.MappingNode }
	}
	// Of the values on the line, the one of a setting that holds the type
	// the decoder wanted.
	match := func(n *yaml.Node, path string) bool { return is(n) && holds(settingType(path), into) }
	if k := keyAt(doc, line, match); k != "" {
		return fmt.Sprintf("%s: want %s, got %s", k, wanted(into), got)
	}
	return fmt.Sprintf("want %s, got %s", wanted(into), got)
}

// The messages of the YAML decoder that settingMessage rewrites.
var (
	unknownField = regexp.MustCompile(`(?s)^field (.+) not found in type (\S+)$`)
	wrongKind    = regexp.MustCompile("(?s)^cannot unmarshal (!!\\w+) (?:`(.*)` )?into (.+)$")
)

// unknownSetting says that key is not a setting of the struct t, and which
// of its settings key is close to, when one is: by a few letters
// ("titel"), else by a word ("severity_levels" for "severities").
func unknownSetting(key string, t reflect.Type) string {
	msg := fmt.Sprintf("unknown setting %q", key)
	var names []string
	for name := range settings(t) {
		names = append(names, name)
	}
	slices.Sort(names)
	best, dist := "", max(2, len(key)/3)+1
	for _, name := range names {
		if d := nearmiss.Distance(key, name); d < dist {
			best, dist = name, d
		}
	}
	if best != "" {
		return msg + fmt.Sprintf("; did you mean %q?", best)
	}
	// A setting that shares the start of a word of key, five letters
	// or more: a word's forms differ by their end.
	var near []string
	for _, w := range strings.FieldsFunc(strings.ToLower(key), func(r rune) bool { return r == '_' || r == '-' || r == ' ' }) {
		if len(w) < 5 {
			continue
		}
		for _, name := range names {
			if strings.Contains(name, w[:5]) && !slices.Contains(near, name) {
				near = append(near, name)
			}
		}
	}
	switch {
	case len(near) == 1:
		msg += fmt.Sprintf("; did you mean %q?", near[0])
	case len(near) > 1 && len(near) <= 4:
		msg += fmt.Sprintf("; did you mean one of %s?", quoted(near))
	}
	return msg
}

// quoted writes names quoted and joined by commas.
func quoted(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
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

// settingType returns the Go type of the setting at path, dotted
// ("search.weights.title"), or nil when there is none.
func settingType(path string) reflect.Type {
	t := reflect.TypeFor[Config]()
	for key := range strings.SplitSeq(path, ".") {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Map:
			t = t.Elem()
			continue
		case reflect.Struct:
		default:
			return nil
		}
		f, ok := fieldOf(t, key)
		if !ok {
			return nil
		}
		t = f.Type
	}
	return t
}

// settings yields the YAML key of each field of the struct t that has one,
// and the field.
func settings(t reflect.Type) iter.Seq2[string, reflect.StructField] {
	return func(yield func(string, reflect.StructField) bool) {
		for i := range t.NumField() {
			key, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
			if key != "" && key != "-" && !yield(key, t.Field(i)) {
				return
			}
		}
	}
}

// fieldOf returns the field of the struct t whose YAML key is key.
func fieldOf(t reflect.Type, key string) (reflect.StructField, bool) {
	for name, f := range settings(t) {
		if name == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

// holds reports whether a value of the type t, or an item of it (of a list
// or a mapping, at any depth), is of the Go type named name.
func holds(t reflect.Type, name string) bool {
	for ; t != nil; t = t.Elem() {
		if t.String() == name {
			return true
		}
		if k := t.Kind(); k != reflect.Slice && k != reflect.Map && k != reflect.Pointer && k != reflect.Array {
			return false
		}
	}
	return false
}

// keyAt returns the key, as a dotted path from the top of doc
// ("search.weights.title"), of the value at line that match takes with
// the key's path: the key's own value or, in a list, one of its items. ""
// when none.
func keyAt(doc *yaml.Node, line int, match func(n *yaml.Node, path string) bool) string {
	var walk func(n *yaml.Node, path string) string
	walk = func(n *yaml.Node, path string) string {
		if path != "" && n.Line == line && match(n, path) {
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
