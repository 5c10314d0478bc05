package frontmatter

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// tomlNode turns a decoded TOML table into a YAML mapping node. TOML keeps
// no positions, so each key takes the line where it is first written (a
// key of a table, within the table's lines), and its value the column
// after the key's "=" on that line, as YAML's values have theirs.
func tomlNode(v any, data []byte, dataLine int) *yaml.Node {
	lines := strings.Split(string(data), "\n")
	// lineOf is the line of the top-level key, dataLine when not found.
	lineOf := func(key string) int {
		for i, l := range lines {
			if k := tomlKeys(l); len(k) > 0 && k[0] == key {
				return dataLine + i
			}
		}
		return dataLine
	}
	// lineIn is the line of key in the table that starts on line from (a
	// [table] header, or an inline table's line), before the next header;
	// from when not found.
	lineIn := func(key string, from int) int {
		for i := from - dataLine; i < len(lines); i++ {
			l := lines[i]
			if i > from-dataLine && strings.HasPrefix(strings.TrimSpace(l), "[") {
				break
			}
			if k := tomlKeys(l); len(k) > 0 && k[len(k)-1] == key || i == from-dataLine && inlineKey(l, key) {
				return dataLine + i
			}
		}
		return from
	}
	// valueAt is the column of the value of key on line, 1 when the line
	// does not give key a value.
	valueAt := func(line int, key string) int {
		l := lines[line-dataLine]
		eq := strings.IndexByte(l, '=')
		if eq < 0 || !strings.Contains(l[:eq], key) {
			return 1
		}
		at := eq + 1 + len(l[eq+1:]) - len(strings.TrimLeft(l[eq+1:], " \t"))
		return utf8.RuneCountInString(l[:at]) + 1
	}
	var conv func(v any, line, col int) *yaml.Node
	conv = func(v any, line, col int) *yaml.Node {
		n := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col}
		switch x := v.(type) {
		case string:
			n.Tag, n.Value = "!!str", x
		case int64:
			n.Tag, n.Value = "!!int", strconv.FormatInt(x, 10)
		case float64:
			n.Tag, n.Value = "!!float", strconv.FormatFloat(x, 'g', -1, 64)
		case bool:
			n.Tag, n.Value = "!!bool", strconv.FormatBool(x)
		case time.Time:
			n.Tag, n.Value = "!!timestamp", tomlTime(x)
		case []map[string]any:
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			for _, e := range x {
				n.Content = append(n.Content, conv(e, line, col))
			}
		case []any:
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			for _, e := range x {
				n.Content = append(n.Content, conv(e, line, col))
			}
		case map[string]any:
			n.Kind, n.Tag = yaml.MappingNode, "!!map"
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			slices.SortFunc(keys, func(a, b string) int {
				if la, lb := lineOf(a), lineOf(b); la != lb {
					return la - lb
				}
				return strings.Compare(a, b)
			})
			for _, k := range keys {
				kl, vc := line, 1
				if line == dataLine || n.Line == 0 {
					kl = lineOf(k)
				} else {
					kl = lineIn(k, line)
				}
				if _, table := x[k].(map[string]any); !table && kl-dataLine < len(lines) {
					vc = valueAt(kl, k)
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: kl, Column: 1}, conv(x[k], kl, vc))
			}
		default:
			n.Tag, n.Value = "!!str", fmt.Sprint(reflect.ValueOf(v))
		}
		return n
	}
	return conv(v, dataLine, 1)
}

// tomlKeys returns the dotted key that the TOML line l sets (key = value)
// or opens ([table], [[array]]), split at its dots, quotes and spaces
// trimmed; nil for other lines.
func tomlKeys(l string) []string {
	t := strings.TrimSpace(l)
	if strings.HasPrefix(t, "[") {
		t, _, _ = strings.Cut(strings.TrimLeft(t, "["), "]")
	} else if k, _, ok := strings.Cut(t, "="); ok {
		t = k
	} else {
		return nil
	}
	keys := strings.Split(t, ".")
	for i, k := range keys {
		keys[i] = strings.Trim(strings.TrimSpace(k), `"'`)
	}
	return keys
}

// inlineKey reports whether the TOML line l has an inline table that sets
// key: name = { key = value, ... }.
func inlineKey(l, key string) bool {
	_, table, ok := strings.Cut(l, "{")
	if !ok {
		return false
	}
	for part := range strings.SplitSeq(table, ",") {
		if k := tomlKeys(part); len(k) > 0 && k[0] == key {
			return true
		}
	}
	return false
}

// tomlTime formats a TOML date or time the way it was written: local dates
// and times carry a location named for their kind.
func tomlTime(t time.Time) string {
	switch t.Location().String() {
	case "date-local":
		return t.Format(time.DateOnly)
	case "datetime-local":
		return t.Format("2006-01-02T15:04:05")
	case "time-local":
		return t.Format(time.TimeOnly)
	}
	return t.Format(time.RFC3339)
}

// TOML decodes data, a whole TOML document, into a YAML mapping node whose
// lines are those of data.
func TOML(data []byte) (*yaml.Node, *Error) {
	var v map[string]any
	if err := toml.Unmarshal(data, &v); err != nil {
		line, msg := 1, err.Error()
		if pe, ok := err.(toml.ParseError); ok {
			line, msg = pe.Position.Line, pe.Message
		}
		return nil, &Error{line, 0, "invalid TOML: " + msg}
	}
	return tomlNode(v, data, 1), nil
}
