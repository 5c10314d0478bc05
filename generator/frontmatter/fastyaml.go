package frontmatter

import (
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// plainYAML reads front matter written in the plain shape most postmortems
// use (keys at the margin with one-line values: plain or quoted text, or a
// list in brackets; lists of such values or of one-level mappings under a
// key) into the very node tree yaml.v3 would give (kinds, styles, tags,
// values, lines and columns counted from 1 at the start of data), with a
// third of yaml.v3's work (see bench/README.md). When data uses anything
// else (comments, anchors, nested mappings, escapes, multi-line text,
// tabs...): nil, and yaml.v3 reads it.
func plainYAML(data []byte) *yaml.Node {
	if !printable(data) {
		return nil
	}
	p := yamlLines{lines: strings.Split(string(data), "\n")}
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
	for p.skipBlank() {
		line, n := p.lines[p.i], p.i+1
		key, rest, ok := splitKey(line)
		if !ok {
			return nil
		}
		if root.Line == 0 {
			root.Line, root.Column = n, 1
		}
		p.i++
		k := plainScalar(key, n, 1)
		var v *yaml.Node
		if rest == "" {
			if v, ok = p.blockSequence(); !ok {
				return nil
			}
			if v == nil {
				v = &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: n, Column: len(key) + 2}
			}
		} else if v, ok = inlineValue(rest, n, column(line, rest), true); !ok {
			return nil
		}
		root.Content = append(root.Content, k, v)
	}
	if root.Line == 0 {
		return nil
	}
	return root
}

type yamlLines struct {
	lines []string
	i     int // the next line to read
}

// skipBlank moves past blank lines and reports whether a line is left.
func (p *yamlLines) skipBlank() bool {
	for ; p.i < len(p.lines); p.i++ {
		if strings.Trim(p.lines[p.i], " ") != "" {
			return true
		}
	}
	return false
}

// blockSequence reads the "- item" lines after a key with no value: nil
// when the next line is another key or there is none.
func (p *yamlLines) blockSequence() (*yaml.Node, bool) {
	if !p.skipBlank() {
		return nil, true
	}
	first := p.lines[p.i]
	indent := len(first) - len(strings.TrimLeft(first, " "))
	if !strings.HasPrefix(first[indent:], "- ") {
		return nil, indent == 0 // a nested mapping or text is not ours
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: p.i + 1, Column: indent + 1}
	for p.skipBlank() {
		line, n := p.lines[p.i], p.i+1
		item, ok := strings.CutPrefix(line[min(indent, len(line)):], "- ")
		if !ok || strings.Trim(line[:indent], " ") != "" {
			if strings.HasPrefix(line, " ") {
				return nil, false
			}
			break // the next key
		}
		p.i++
		item = strings.TrimLeft(item, " ")
		col := column(line, item)
		key, rest, isKey := splitKey(item)
		if !isKey {
			if item == "" || item[0] == '[' {
				return nil, false
			}
			v, ok := inlineValue(item, n, col, false)
			if !ok {
				return nil, false
			}
			seq.Content = append(seq.Content, v)
			continue
		}
		// A mapping: its first key follows the dash, the others are indented
		// to the same column on the lines below.
		m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: n, Column: col}
		for {
			if rest == "" {
				return nil, false
			}
			v, ok := inlineValue(rest, n, column(line, rest), true)
			if !ok {
				return nil, false
			}
			m.Content = append(m.Content, plainScalar(key, n, col), v)
			if !p.skipBlank() {
				break
			}
			line, n = p.lines[p.i], p.i+1
			if column(line, strings.TrimLeft(line, " ")) != col {
				break
			}
			if key, rest, ok = splitKey(line[col-1:]); !ok {
				return nil, false
			}
			p.i++
		}
		seq.Content = append(seq.Content, m)
	}
	return seq, true
}

// splitKey splits "key: value" into the key and the value, without the
// blanks before it and empty when there is none; ok is false when s does
// not start with a plain key.
func splitKey(s string) (key, rest string, ok bool) {
	i := 0
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] == '_' || i > 0 && (s[i] >= '0' && s[i] <= '9' || s[i] == '-')) {
		i++
	}
	// yaml.v3 refuses keys longer than 1024 characters.
	if i == 0 || i > 1024 || i == len(s) || s[i] != ':' || i+1 < len(s) && s[i+1] != ' ' {
		return "", "", false
	}
	rest = strings.TrimLeft(s[i+1:], " ")
	if strings.TrimRight(rest, " ") == "" {
		rest = ""
	}
	return s[:i], rest, true
}

// inlineValue reads a value that ends its line: quoted or plain text, or a
// list in brackets when lists is set.
func inlineValue(s string, line, col int, lists bool) (*yaml.Node, bool) {
	s = strings.TrimRight(s, " ")
	if s[0] == '[' && lists {
		return flowSequence(s, line, col)
	}
	v, n, ok := scalar(s, line, col, false)
	return v, ok && n == len(s)
}

// flowSequence reads "[a, 'b', "c"]" that ends its line.
func flowSequence(s string, line, col int) (*yaml.Node, bool) {
	seq := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: line, Column: col}
	i := 1 + len(s[1:]) - len(strings.TrimLeft(s[1:], " "))
	if i < len(s) && s[i] == ']' {
		return seq, i == len(s)-1
	}
	for i < len(s) {
		v, n, ok := scalar(s[i:], line, col+utf8.RuneCountInString(s[:i]), true)
		if !ok {
			return nil, false
		}
		seq.Content = append(seq.Content, v)
		i += n
		for i < len(s) && s[i] == ' ' {
			i++
		}
		switch {
		case i < len(s) && s[i] == ']':
			return seq, i == len(s)-1
		case i < len(s) && s[i] == ',':
			i++
			for i < len(s) && s[i] == ' ' {
				i++
			}
		default:
			return nil, false
		}
	}
	return nil, false
}

// scalar reads quoted or plain text at the start of s and returns how many
// bytes it took. In a flow list, plain text ends at a comma or bracket.
// s has no tabs or carriage returns: plainYAML refused them.
func scalar(s string, line, col int, flow bool) (*yaml.Node, int, bool) {
	v := &yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col}
	switch q := s[0]; q {
	case '"', '\'':
		end := strings.IndexByte(s[1:], q) + 1
		if end == 0 || strings.IndexByte(s[1:end], '\\') >= 0 || end+1 < len(s) && s[end+1] == q {
			return nil, 0, false
		}
		v.Tag, v.Value, v.Style = "!!str", s[1:end], yaml.DoubleQuotedStyle
		if q == '\'' {
			v.Style = yaml.SingleQuotedStyle
		}
		return v, end + 1, true
	case '-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '%', '@', '`':
		return nil, 0, false
	}
	n := len(s)
	if flow {
		n = strings.IndexAny(s, ",[]{}")
		if n < 0 {
			return nil, 0, false
		}
	}
	text := strings.TrimRight(s[:n], " ")
	if strings.Contains(text, " #") || strings.Contains(text, ": ") || strings.HasSuffix(text, ":") ||
		text == "<<" || flow && strings.ContainsAny(text, "?:") {
		return nil, 0, false
	}
	v.Value = text
	v.Tag = v.ShortTag()
	return v, len(text), true
}

// plainScalar returns a node of plain text, with the tag yaml.v3 gives it.
func plainScalar(text string, line, col int) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Value: text, Line: line, Column: col}
	n.Tag = n.ShortTag()
	return n
}

// column returns the column, counted in characters from 1, where part
// (a suffix of line) starts.
func column(line, part string) int {
	return utf8.RuneCountInString(line[:len(line)-len(part)]) + 1
}

// printable reports whether data is UTF-8 made of lines of the characters
// YAML allows, without tabs, carriage returns or other line breaks.
func printable(data []byte) bool {
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c < ' ' && c != '\n' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		// U+0085, U+2028 and U+2029 break lines in YAML.
		if r == utf8.RuneError || r < 0xa0 || r == 0x2028 || r == 0x2029 || r >= 0xd800 && r < 0xe000 || r == 0xfeff || r == 0xfffe || r == 0xffff {
			return false
		}
		i += n
	}
	return true
}
