package postmortem

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// rawMatter is the front matter block of a file before decoding.
type rawMatter struct {
	format string // yaml, toml or json
	data   []byte
}

func capture(format string) frontmatter.UnmarshalFunc {
	return func(data []byte, v any) error {
		r := v.(*rawMatter)
		r.format, r.data = format, slices.Clone(data)
		return nil
	}
}

var formats = []*frontmatter.Format{
	frontmatter.NewFormat("---", "---", capture("yaml")),
	frontmatter.NewFormat("+++", "+++", capture("toml")),
	frontmatter.NewFormat(";;;", ";;;", capture("json")),
	{Start: "{", End: "}", Unmarshal: capture("json"), UnmarshalDelims: true, RequiresNewLine: true},
}

// matter is a decoded front matter block: a YAML mapping node whose line
// numbers are lines of the file.
type matter struct {
	root     *yaml.Node // mapping node; nil when the file has no front matter
	start    int        // file line of the opening fence
	bodyLine int        // file line of the first body line
	body     []byte
}

// splitMatter separates the front matter of src from its body and decodes it
// into a YAML node tree, whatever its format. The error carries a file line.
func splitMatter(src []byte) (matter, *lineError) {
	var raw rawMatter
	body, err := frontmatter.Parse(bytes.NewReader(src), &raw, formats...)
	if err != nil {
		return matter{}, &lineError{1, 0, fmt.Sprintf("front matter: %v", err)}
	}
	m := matter{body: body, bodyLine: 1 + bytes.Count(src[:len(src)-len(body)], []byte("\n"))}
	first := firstLine(src)
	m.start = first.line
	if raw.format == "" {
		switch first.text {
		case "---", "+++", ";;;":
			return m, &lineError{first.line, 1, fmt.Sprintf("front matter: no closing %s", first.text)}
		case "{":
			return m, &lineError{first.line, 1, "front matter: no closing } followed by an empty line"}
		}
		return m, nil
	}
	// The data starts on the line after the opening fence; JSON keeps its brace.
	dataLine := first.line + 1
	if first.text == "{" {
		dataLine = first.line
	}
	var root yaml.Node
	switch raw.format {
	case "yaml", "json":
		data := raw.data
		if raw.format == "json" {
			// JSON allows tabs where YAML does not; outside strings they are blanks,
			// and inside strings JSON requires them escaped.
			data = bytes.ReplaceAll(data, []byte("\t"), []byte(" "))
		}
		var plain *yaml.Node
		if raw.format == "yaml" {
			plain = plainYAML(data)
		}
		if plain != nil {
			root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{plain}}
		} else if err := yaml.Unmarshal(data, &root); err != nil {
			line, msg := yamlErrorLine(err.Error())
			return m, &lineError{dataLine + max(line, 1) - 1, 0, fmt.Sprintf("front matter: invalid %s: %s", strings.ToUpper(raw.format), msg)}
		}
		shiftLines(&root, dataLine-1)
	case "toml":
		var v map[string]any
		if err := toml.Unmarshal(raw.data, &v); err != nil {
			var pe toml.ParseError
			line := 1
			msg := err.Error()
			if e, ok := err.(toml.ParseError); ok {
				pe = e
				line, msg = pe.Position.Line, pe.Message
			}
			return m, &lineError{dataLine + line - 1, 0, "front matter: invalid TOML: " + msg}
		}
		root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{tomlNode(v, raw.data, dataLine)}}
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		m.root = root.Content[0]
	}
	if m.root != nil && m.root.Kind != yaml.MappingNode {
		return m, &lineError{m.root.Line, m.root.Column, "front matter: expected key: value pairs"}
	}
	if m.root == nil {
		m.root = &yaml.Node{Kind: yaml.MappingNode, Line: first.line}
	}
	return m, nil
}

type lineError struct {
	line, col int
	msg       string
}

type numberedLine struct {
	line int
	text string
}

// firstLine returns the first line of src that is not blank, trimmed.
func firstLine(src []byte) numberedLine {
	n := 1
	for l := range bytes.Lines(src) {
		if t := bytes.TrimSpace(l); len(t) > 0 {
			return numberedLine{n, string(t)}
		}
		n++
	}
	return numberedLine{1, ""}
}

func yamlErrorLine(msg string) (int, string) {
	msg = strings.TrimPrefix(msg, "yaml: ")
	var line int
	if n, _ := fmt.Sscanf(msg, "line %d:", &line); n == 1 {
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
			// yaml.v3 counts from 0 in the errors that name where an
			// unclosed construct began, and from 1 in the others.
			if strings.HasPrefix(msg, "did not find expected") {
				line++
			}
			return line, msg
		}
	}
	return 0, msg
}

func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

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
