package frontmatter

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// keyValue matches a line of YAML that gives a key its value, and where
// the value starts.
var keyValue = regexp.MustCompile(`^(\s*(?:- )?[A-Za-z_][\w-]*:[ \t]+)(\S.*)$`)

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
	return line, 0, ""
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
