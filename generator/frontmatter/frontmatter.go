// Package frontmatter reads the front matter of a postmortem file: it finds
// the block (YAML between "---" lines, TOML between "+++", JSON in braces or
// between ";;;"), decodes it into a YAML node tree whatever its format,
// each node at its line and column in the file, and returns the body that
// follows it with the file line it starts on, so that line N of the body is
// line BodyLine+N-1 of the file. YAML aliases are replaced by what they
// name, and merge keys ("<<") merged, so that readers of the tree see
// values only.
package frontmatter

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	adrg "github.com/adrg/frontmatter"
	"gopkg.in/yaml.v3"
)

// rawMatter is the front matter block of a file before decoding.
type rawMatter struct {
	format string // yaml, toml or json
	data   []byte
}

func capture(format string) adrg.UnmarshalFunc {
	return func(data []byte, v any) error {
		r := v.(*rawMatter)
		r.format, r.data = format, slices.Clone(data)
		return nil
	}
}

var formats = []*adrg.Format{
	adrg.NewFormat("---", "---", capture("yaml")),
	adrg.NewFormat("+++", "+++", capture("toml")),
	adrg.NewFormat(";;;", ";;;", capture("json")),
}

// readers are the buffered readers Read gives adrg.Parse, which takes one
// given as it is instead of making one of 4 KB a file.
var readers = sync.Pool{New: func() any { return bufio.NewReader(nil) }}

// cutReader reads src a line at a time until the front matter block is
// captured into raw, and then ends: adrg.Parse would otherwise copy the rest
// of the file, the body, which is a slice of src (at 100,000 postmortems,
// 1.1 GB of the build's 12.8 GB of allocations went to these copies and
// readers).
type cutReader struct {
	src []byte
	n   int // bytes of src read
	raw *rawMatter
}

func (r *cutReader) Read(p []byte) (int, error) {
	if r.raw.format != "" || r.n == len(r.src) {
		return 0, io.EOF
	}
	line := r.src[r.n:]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	k := copy(p, line)
	r.n += k
	return k, nil
}

// bom is the UTF-8 byte order mark, which some editors put at the start of
// a file.
var bom = []byte("\xef\xbb\xbf")

// Matter is a decoded front matter block and the body after it.
type Matter struct {
	// Root is a mapping node whose positions are lines and columns of the
	// file; nil when the file has no front matter.
	Root     *yaml.Node
	Start    int    // file line of the opening fence
	BodyLine int    // file line of the first body line
	Body     []byte // the file after the front matter
	// Heading is the file line of a Markdown heading in YAML front matter
	// (a line of one to six #, a space and text, after a blank line),
	// which YAML reads as a comment, when a blank line comes before the
	// fence that ended it: the sign of a closing fence left out, the fence
	// found being a thematic break of the body. 0 otherwise.
	Heading int
	// AfterBlank is the file line of the first line of YAML front matter
	// that follows a blank line: where the body would start had its
	// closing fence been left out. 0 when there is none.
	AfterBlank int
}

// Error is a problem with the front matter, at a line of the file and a
// column (0 when unknown).
type Error struct {
	Line, Col int
	Msg       string // starts with "front matter: "
}

// Error returns the error as "line:col: message".
func (e *Error) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// Read separates the front matter of src, a file's bytes, from its body and
// decodes it into a YAML node tree, whatever its format. A leading byte
// order mark is dropped. JSON front matter is the object that starts the
// file: it ends at the brace that closes it, and the body starts on the
// line after.
func Read(src []byte) (Matter, *Error) {
	src = bytes.TrimPrefix(src, bom)
	first := firstLine(src)
	var raw rawMatter
	var body []byte
	if strings.HasPrefix(first.text, "{") {
		var jerr *Error
		raw, body, jerr = jsonObject(src)
		if jerr != nil {
			return Matter{Start: first.line, Body: src, BodyLine: 1}, jerr
		}
	} else {
		cut := &cutReader{src: src, raw: &raw}
		br := readers.Get().(*bufio.Reader)
		br.Reset(cut)
		// The rest adrg.Parse returns ends where what it read of src ends.
		rest, err := adrg.Parse(br, &raw, formats...)
		br.Reset(nil)
		readers.Put(br)
		if err != nil {
			return Matter{}, &Error{1, 0, fmt.Sprintf("front matter: %v", err)}
		}
		body = src[cut.n-len(rest):]
	}
	m := Matter{Body: body, BodyLine: 1 + bytes.Count(src[:len(src)-len(body)], []byte("\n"))}
	m.Start = first.line
	if raw.format == "" {
		switch first.text {
		case "---", "+++", ";;;":
			hint := ""
			if l := longFence(src, first.line); first.text == "---" && l > 0 {
				hint = fmt.Sprintf(" (line %d: the closing fence is three dashes)", l)
			}
			return m, &Error{first.line, 1, fmt.Sprintf("front matter: no closing %s%s", first.text, hint)}
		}
		return m, nil
	}
	// The data starts on the line after the opening fence; JSON keeps its brace.
	dataLine := first.line + 1
	if strings.HasPrefix(first.text, "{") {
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
		if err := yaml.Unmarshal(data, &root); err != nil {
			line, msg := YAMLErrorLine(err.Error())
			col, hint := 0, ""
			if raw.format == "yaml" {
				line, col, hint = yamlHint(data, line, msg)
			}
			at := dataLine + max(line, 1) - 1
			if h := heading(data, dataLine); hint == "" && h > 0 && at > h {
				hint = fmt.Sprintf(" (the front matter runs to the --- of line %d: is its closing --- missing above the heading of line %d?)", m.BodyLine-1, h)
			} else if b := afterBlank(data, dataLine); hint == "" && raw.format == "yaml" && b > 0 && at >= b {
				hint = fmt.Sprintf(" (the front matter runs to the --- of line %d: is its closing --- missing above line %d?)", m.BodyLine-1, b)
			}
			return m, &Error{at, col, fmt.Sprintf("front matter: invalid %s: %s%s", strings.ToUpper(raw.format), msg, hint)}
		}
		shiftLines(&root, dataLine-1)
		b := newAliasBytes(len(data))
		if over := resolveAliases(&root, b); over != nil && b.loop {
			return m, &Error{over.Line, over.Column, fmt.Sprintf("front matter: the alias *%s is inside the value its anchor &%[1]s marks, which would hold itself without end: give the value in full", over.Value)}
		} else if over != nil {
			return m, &Error{over.Line, over.Column, fmt.Sprintf("front matter: its aliases (*name) add more than %d KB to it (%d times its size, at least 1 MB); this *%s goes past: write the value out once, or alias smaller ones", (aliasBudget(len(data))+1023)/1024, maxAliasFactor, over.Value)}
		}
		if bytes.IndexByte(data, '*') >= 0 && expanded(&root, maxValues) > maxValues { // no alias is written without one
			return m, &Error{dataLine, 0, fmt.Sprintf("front matter: its aliases (*name) expand to more than %d values", maxValues)}
		}
		if raw.format == "yaml" && blankEnd(data) {
			m.Heading = heading(data, dataLine)
		}
		if raw.format == "yaml" {
			m.AfterBlank = afterBlank(data, dataLine)
		}
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
			return m, &Error{dataLine + line - 1, 0, "front matter: invalid TOML: " + msg}
		}
		root = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{tomlNode(v, raw.data, dataLine)}}
	}
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		m.Root = root.Content[0]
	}
	if m.Root != nil && m.Root.Kind != yaml.MappingNode {
		return m, &Error{m.Root.Line, m.Root.Column, "front matter: expected key: value pairs"}
	}
	if m.Root == nil {
		m.Root = &yaml.Node{Kind: yaml.MappingNode, Line: first.line}
	}
	return m, nil
}

// jsonObject reads the JSON object that starts src: its bytes, and the
// body after it, from the line after its closing brace (text after the brace
// on that line is an error: it would be lost).
func jsonObject(src []byte) (rawMatter, []byte, *Error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	var obj json.RawMessage
	if err := dec.Decode(&obj); err != nil {
		at := int(dec.InputOffset())
		var se *json.SyntaxError
		if errors.As(err, &se) {
			at = int(se.Offset)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			line := 1 + bytes.Count(src[:len(src)-len(bytes.TrimLeft(src, " \t\r\n"))], []byte("\n"))
			return rawMatter{}, nil, &Error{line, 1, "front matter: no closing } of the JSON object"}
		}
		at = min(max(at, 0), len(src))
		return rawMatter{}, nil, &Error{1 + bytes.Count(src[:at], []byte("\n")), 0, fmt.Sprintf("front matter: invalid JSON: %v", err)}
	}
	end := int(dec.InputOffset())
	rest := src[end:]
	line, after, found := bytes.Cut(rest, []byte("\n"))
	if len(bytes.TrimSpace(line)) > 0 {
		return rawMatter{}, nil, &Error{1 + bytes.Count(src[:end], []byte("\n")), 0, "front matter: text after the } that closes the JSON object: start the body on the next line"}
	}
	if !found {
		after = rest[len(rest):]
	}
	return rawMatter{format: "json", data: src[bytes.IndexByte(src, '{'):end]}, after, nil
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

// YAMLErrorLine splits the message of a yaml.v3 error into the line it
// names, counted from 1 (0 when it names none), and the rest.
func YAMLErrorLine(msg string) (int, string) {
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

// shiftLines moves the tree's lines down by lines.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// tabAt returns the line of data, from line on, whose indentation holds the
// tab that a YAML error complains of, and the tab's column: yaml.v3 gives
// the line above it. It returns line and 0 when no such line follows.
func tabAt(data []byte, line int) (int, int) {
	lines := bytes.Split(data, []byte("\n"))
	for i := max(line, 1) - 1; i < len(lines); i++ {
		indent := lines[i][:len(lines[i])-len(bytes.TrimLeft(lines[i], " \t"))]
		if k := bytes.IndexByte(indent, '\t'); k >= 0 {
			return i + 1, k + 1
		}
	}
	return line, 0
}

// markdownHeading matches a Markdown heading with text.
var markdownHeading = regexp.MustCompile(`^#{1,6} +\S`)

// heading returns the file line of the first Markdown heading of data, the
// front matter, that follows a blank line; data starts on file line
// dataLine. 0 when there is none.
func heading(data []byte, dataLine int) int {
	return afterBlankLine(data, dataLine, markdownHeading.MatchString)
}

// afterBlank returns the file line of the first line of data, the front
// matter, that follows a blank line, data starting on file line dataLine;
// 0 when there is none.
func afterBlank(data []byte, dataLine int) int {
	return afterBlankLine(data, dataLine, func(string) bool { return true })
}

// afterBlankLine returns the file line of the first line of data, without
// its line end, that follows a blank line and that match takes, data
// starting on file line dataLine; 0 when there is none.
func afterBlankLine(data []byte, dataLine int, match func(line string) bool) int {
	blank := false
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimRight(l, "\r")
		empty := strings.TrimSpace(l) == ""
		if blank && !empty && match(l) {
			return dataLine + i
		}
		blank = empty
	}
	return 0
}

// blankEnd reports whether the last line of data, the front matter, is
// blank: a thematic break of Markdown follows a blank line, a closing
// fence most often a value.
func blankEnd(data []byte) bool {
	d := bytes.TrimSuffix(bytes.TrimSuffix(data, []byte("\n")), []byte("\r"))
	return len(bytes.TrimSpace(d[bytes.LastIndexByte(d, '\n')+1:])) == 0
}
