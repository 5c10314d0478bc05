package frontmatter

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"gopkg.in/yaml.v3"
)

// tomlNode turns a decoded TOML table into a YAML mapping node. TOML keeps
// no positions, so each key takes the line where it is first written.
func tomlNode(v any, data []byte, dataLine int) *yaml.Node {
	lines := strings.Split(string(data), "\n")
	lineOf := func(key string) int {
		for i, l := range lines {
			t := strings.TrimSpace(l)
			t = strings.TrimLeft(t, "[")
			t = strings.Trim(t, `"'`)
			if strings.HasPrefix(t, key) {
				rest := strings.TrimLeft(strings.TrimPrefix(t, key), `"' `)
				if rest == "" || rest[0] == '=' || rest[0] == ']' {
					return dataLine + i
				}
			}
		}
		return dataLine
	}
	var conv func(v any, line int) *yaml.Node
	conv = func(v any, line int) *yaml.Node {
		n := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: 1}
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
				n.Content = append(n.Content, conv(e, line))
			}
		case []any:
			n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
			for _, e := range x {
				n.Content = append(n.Content, conv(e, line))
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
				kl := line
				if line == dataLine || n.Line == 0 {
					kl = lineOf(k)
				}
				n.Content = append(n.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Line: kl, Column: 1}, conv(x[k], kl))
			}
		default:
			n.Tag, n.Value = "!!str", fmt.Sprint(reflect.ValueOf(v))
		}
		return n
	}
	return conv(v, dataLine)
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
