// Package diag holds the diagnostics of a build: errors and warnings that
// name a file, a line and a column, sorted and reported all at once.
package diag

import (
	"cmp"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"unicode"
)

// Severity tells whether a diagnostic fails the build.
type Severity int

const (
	// Error fails the build.
	Error Severity = iota
	// Warning is reported but does not fail the build.
	Warning
)

// Diagnostic is one problem in one file.
type Diagnostic struct {
	Path     string // slash-separated, relative to the site root
	Line     int    // 1-based; 0 when the problem is the whole file
	Col      int    // 1-based; 0 when unknown
	Severity Severity
	Msg      string
	Rule     string // the name of the check rule that found it; "" for the build's own checks
}

// Error formats the diagnostic as path:line:col: message, the form editors
// and CI logs turn into links, with "warning: " before the message of a
// warning.
func (d Diagnostic) Error() string {
	if d.Severity == Warning {
		return d.where() + "warning: " + printable(d.Msg, "\n\t")
	}
	return d.where() + printable(d.Msg, "\n\t")
}

// Text formats the diagnostic as the commands print it:
// path:line:col: severity: message [rule].
func (d Diagnostic) Text() string {
	s := d.where() + d.Severity.String() + ": " + printable(d.Msg, "\n\t")
	if d.Rule != "" {
		s += " [" + d.Rule + "]"
	}
	return s
}

// printable returns s with the characters a terminal would act on, not
// show, written as escapes (\x1b, \u202e): a file named with a colour
// code, a line feed or a character that turns the text right to left
// could otherwise forge or hide a line of the output. keep lists those
// that stay as they are.
func printable(s, keep string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return acts(r) && !strings.ContainsRune(keep, r) }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case !acts(r) || strings.ContainsRune(keep, r):
			b.WriteRune(r)
		case r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			fmt.Fprintf(&b, "\\u%04x", r)
		}
	}
	return b.String()
}

// acts reports whether a terminal acts on r rather than showing it: a
// control character, or one that sets the direction of the text.
func acts(r rune) bool {
	return unicode.IsControl(r) || r == 0x061c || r == 0x200e || r == 0x200f || 0x202a <= r && r <= 0x202e || 0x2066 <= r && r <= 0x2069
}

// where is the diagnostic's path:line:col: and a blank; the line and column
// only where they are known.
func (d Diagnostic) where() string {
	var b strings.Builder
	b.WriteString(printable(d.Path, ""))
	if d.Line > 0 {
		fmt.Fprintf(&b, ":%d", d.Line)
		if d.Col > 0 {
			fmt.Fprintf(&b, ":%d", d.Col)
		}
	}
	b.WriteString(": ")
	return b.String()
}

// List is a list of diagnostics. The zero value is an empty list ready to use.
type List []Diagnostic

// Add appends an error at path:line:col.
func (l *List) Add(path string, line, col int, format string, args ...any) {
	*l = append(*l, Diagnostic{Path: path, Line: line, Col: col, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warn appends a warning at path:line:col.
func (l *List) Warn(path string, line, col int, format string, args ...any) {
	*l = append(*l, Diagnostic{Path: path, Line: line, Col: col, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Sort orders the list by path, line, column and message, and drops exact
// duplicates. Problems of the site as a whole come first: those of a path
// at the site root, such as the configuration file or a flag, before those
// of the files in its folders, whose errors they may cause.
func (l List) Sort() List {
	slices.SortStableFunc(l, func(a, b Diagnostic) int {
		return cmp.Or(cmp.Compare(nested(a.Path), nested(b.Path)), cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col), cmp.Compare(a.Severity, b.Severity), cmp.Compare(a.Msg, b.Msg))
	})
	return slices.Compact(l)
}

// nested is 1 for a path in a folder of the site, 0 for one at its root.
func nested(path string) int {
	if strings.Contains(path, "/") {
		return 1
	}
	return 0
}

// Errors returns the diagnostics that fail the build.
func (l List) Errors() List { return l.of(Error) }

// Warnings returns the diagnostics that do not fail the build.
func (l List) Warnings() List { return l.of(Warning) }

func (l List) of(s Severity) List {
	var out List
	for _, d := range l {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the list as an error when it holds at least one error, and nil otherwise.
func (l List) Err() error {
	if len(l.Errors()) == 0 {
		return nil
	}
	return l.Errors()
}

// Error joins the diagnostics one per line.
func (l List) Error() string {
	lines := make([]string, len(l))
	for i, d := range l {
		lines[i] = d.Error()
	}
	return strings.Join(lines, "\n")
}

// Count returns n and noun, plural unless n is 1 ("1 error", "2 errors"),
// as the messages that count diagnostics, and other things, say it.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// In returns the list with the path of each diagnostic given from dir, the
// folder the paths are relative to, as the command line named it: a
// site's diagnostics with --site kb read kb/content/x.md, which a terminal
// opens and a CI annotation finds from the folder the command ran in.
func (l List) In(dir string) List {
	out := slices.Clone(l)
	for i := range out {
		out[i].Path = PathIn(dir, out[i].Path)
	}
	return out
}

// PathIn returns p, a path relative to dir, from the folder dir is
// relative to, as In gives diagnostics' paths; "" stays "".
func PathIn(dir, p string) string {
	if dir = filepath.ToSlash(dir); p == "" || dir == "." || dir == "" || filepath.IsAbs(p) || path.IsAbs(p) {
		return p // a path outside the site (the preview's folder) is named whole
	}
	if strings.HasSuffix(p, "/") {
		return path.Join(dir, p) + "/" // a folder, as its slash says
	}
	return path.Join(dir, p)
}
