package frontmatter

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// keyValue matches a line of YAML that gives a key its value, and where
// the value starts.
var keyValue = regexp.MustCompile(`^(\s*(?:- )?[A-Za-z_][\w-]*:[ \t]+)(\S.*)$`)

// YAMLSyntax returns where the yaml.v3 error err, of a file that does not
// parse, lies in data, and what it says with the hint of yamlHint: the
// line (at most data's last), the column when known, and the message.
func YAMLSyntax(data []byte, err error) (line, col int, msg string) {
	line, msg = YAMLErrorLine(err.Error())
	line, col, hint := yamlHint(data, line, msg)
	last := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		last++
	}
	return min(line, max(last, 1)), col, msg + hint
}

// yamlHint returns, for the YAML error msg that yaml.v3 places at line of
// data (the front matter), the line and column of the mistake and what to
// do about it, for the mistakes people make most; the line as given, no
// column and no hint otherwise.
func yamlHint(data []byte, line int, msg string) (int, int, string) {
	line = max(line, 1) // yaml.v3 names no line for the first
	if strings.Contains(msg, "tab character") {
		l, col := tabAt(data, line)
		return l, col, ": indent with spaces, not tabs"
	}
	lines := strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
	text := func(l int) string {
		if l < 1 || l > len(lines) {
			return ""
		}
		return lines[l-1]
	}
	// yaml.v3 names the line of the mistake, or the one after it.
	for _, l := range []int{line, line - 1} {
		t := text(l)
		m := keyValue.FindStringSubmatch(t)
		switch {
		case strings.Contains(msg, "cannot start any token") && strings.HasPrefix(strings.TrimLeft(t, " -"), "\t"),
			strings.Contains(msg, "cannot start any token") && strings.Contains(t[:len(t)-len(strings.TrimLeft(t, " \t"))], "\t"):
			return l, strings.IndexByte(t, '\t') + 1, ": indent with spaces, not tabs"
		case m != nil && strings.Contains(msg, "cannot start any token") && strings.ContainsAny(m[2][:1], "@`%"):
			return l, utf8.RuneCountInString(m[1]) + 1, ": a value that starts with " + m[2][:1] + " needs quotes, such as " + quoted(m[1], m[2])
		case m != nil && strings.Contains(msg, "mapping values are not allowed") && strings.Contains(m[2], ": "):
			return l, utf8.RuneCountInString(m[1]) + 1, ": a value with \": \" in it needs quotes, such as " + quoted(m[1], m[2])
		case m != nil && strings.Contains(msg, "did not find expected key") && closesEarly(m[2]):
			advice := `within '...', write ' as ''`
			if m[2][0] == '"' {
				advice = `within "...", write " as \"`
			}
			return l, utf8.RuneCountInString(m[1]) + 1, ": its quotes close before the value ends; " + advice
		case strings.Contains(msg, "could not find expected ':'") && isLongFence(t):
			return l, 1, ": the closing fence is three dashes, ---"
		}
	}
	if strings.Contains(msg, "unexpected end of stream") {
		// A double quote that never closes runs to the end.
		for l := range lines {
			if m := keyValue.FindStringSubmatch(lines[l]); m != nil && strings.HasPrefix(m[2], `"`) && strings.Count(m[2], `"`)%2 == 1 {
				return l + 1, utf8.RuneCountInString(m[1]) + 1, ": its quotes do not close"
			}
		}
	}
	if strings.Contains(msg, "did not find expected ',' or ']'") || strings.Contains(msg, "did not find expected ',' or '}'") {
		// A list or mapping in brackets that does not close runs on.
		for l := range lines {
			if m := keyValue.FindStringSubmatch(lines[l]); m != nil && unclosedBracket(m[2]) {
				return l + 1, utf8.RuneCountInString(m[1]) + 1, ": its bracket does not close on its line: close it, [a, b], or quote the value"
			}
		}
	}
	if strings.Contains(msg, "did not find expected") || strings.Contains(msg, "mapping values are not allowed") {
		if l, n := misindented(lines); l >= line-1 {
			spaces := fmt.Sprintf("%d spaces", n)
			if n == 1 {
				spaces = "1 space"
			}
			return l, n + 1, ": no line above that it could belong to is indented by " + spaces + " as this one is: indent it as the other keys of its mapping or list item"
		}
	}
	return line, 0, ""
}

// unclosedBracket reports whether v, a value, opens a [ or { that the
// line does not close, outside quotes.
func unclosedBracket(v string) bool {
	if v == "" || v[0] != '[' && v[0] != '{' {
		return false
	}
	depth, quote := 0, byte(0)
	for i := 0; i < len(v); i++ {
		switch c := v[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			depth--
		case c == '#' && i > 0 && v[i-1] == ' ':
			return depth > 0 // a comment
		}
	}
	return depth > 0
}

// misindented returns the first line of lines, and its indentation, that
// is indented as no block open above it is: deeper than the line above
// when that opens no block (a key without a value opens one at any depth,
// a list item of keys one two spaces past its dash), or back to the
// indentation of no block still open. It returns 0 when there is none.
func misindented(lines []string) (int, int) {
	open := []int{0} // the indentation of each block open, outermost first
	deeper := false  // the line above is a key without a value
	item := -1       // the indentation of the keys of the list item above, -1 for none
	block := -1      // the indentation of the key of the block scalar (| or >) read, -1 for none
	for i, l := range lines {
		t := strings.TrimLeft(l, " ")
		if t == "" || t[0] == '#' {
			continue
		}
		n := len(l) - len(t)
		if block >= 0 && n > block {
			continue
		}
		block = -1
		switch top := open[len(open)-1]; {
		case n > top && (deeper || n == item):
			open = append(open, n)
		case n > top:
			return i + 1, n
		default:
			for len(open) > 1 && open[len(open)-1] > n {
				open = open[:len(open)-1]
			}
			if open[len(open)-1] != n {
				return i + 1, n
			}
		}
		body := strings.TrimPrefix(t, "- ")
		value := strings.TrimSpace(stripComment(body))
		key, v, isKey := strings.Cut(value, ": ")
		deeper, item = strings.HasSuffix(value, ":"), -1
		if len(body) < len(t) && (isKey || deeper) && key != "" && !strings.ContainsAny(key[:1], "[{\"'") {
			item = n + 2
		}
		if isKey && (strings.HasPrefix(v, "|") || strings.HasPrefix(v, ">")) {
			block = n
		}
	}
	return 0, 0
}

// stripComment returns t without a comment at its end, roughly: what
// follows " #".
func stripComment(t string) string {
	if i := strings.Index(t, " #"); i >= 0 {
		return t[:i]
	}
	return t
}

// isLongFence reports whether line is more than three dashes alone.
func isLongFence(line string) bool {
	t := strings.TrimSpace(line)
	return len(t) > 3 && strings.Trim(t, "-") == ""
}

// longFence returns the file line of the first line of more than three
// dashes in src after the opening fence on line from, when what comes
// between reads as YAML: a closing fence mistyped, not a rule of the body
// nor a heading's underline. 0 otherwise.
func longFence(src []byte, from int) int {
	lines := strings.Split(string(src), "\n")
	for i := from; i < len(lines); i++ {
		if isLongFence(lines[i]) {
			var v map[string]any
			if yaml.Unmarshal([]byte(strings.Join(lines[from:i], "\n")), &v) != nil {
				return 0
			}
			return i + 1
		}
	}
	return 0
}

// closesEarly reports whether the quoted value v closes its quotes before
// its end: text follows that is not a comment.
func closesEarly(v string) bool {
	q := v[0]
	if q != '\'' && q != '"' {
		return false
	}
	for i := 1; i < len(v); i++ {
		switch {
		case q == '"' && v[i] == '\\':
			i++ // an escape
		case v[i] == q && q == '\'' && i+1 < len(v) && v[i+1] == '\'':
			i++ // '' in single quotes
		case v[i] == q:
			rest := strings.TrimSpace(v[i+1:])
			return rest != "" && !strings.HasPrefix(rest, "#")
		}
	}
	return false
}

// quoted returns a key's line with its value in double quotes.
func quoted(key, value string) string {
	return strings.TrimSpace(key) + ` "` + strings.ReplaceAll(strings.TrimSpace(value), `"`, `\"`) + `"`
}
