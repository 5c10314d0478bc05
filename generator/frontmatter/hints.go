package frontmatter

import (
	"regexp"
	"strings"
	"unicode/utf8"
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
		case m != nil && (strings.HasPrefix(m[2], "'") || strings.HasPrefix(m[2], "\"")) && (strings.Contains(msg, "did not find expected key") || strings.Contains(msg, "unexpected end of stream")):
			return l, utf8.RuneCountInString(m[1]) + 1, ": its quotes do not close where the value ends; within '...', write ' as ''"
		case strings.Contains(msg, "could not find expected ':'") && strings.Trim(strings.TrimSpace(t), "-") == "" && len(strings.TrimSpace(t)) > 3:
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

// longFence returns the file line of a line of more than three dashes in
// src, from line from on, 0 when there is none: a closing fence mistyped.
func longFence(src []byte, from int) int {
	for i, l := range strings.Split(string(src), "\n") {
		if t := strings.TrimSpace(l); i+1 > from && len(t) > 3 && strings.Trim(t, "-") == "" {
			return i + 1
		}
	}
	return 0
}

// quoted returns a key's line with its value in double quotes.
func quoted(key, value string) string {
	return strings.TrimSpace(key) + ` "` + strings.ReplaceAll(strings.TrimSpace(value), `"`, `\"`) + `"`
}
