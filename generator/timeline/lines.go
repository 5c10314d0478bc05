package timeline

import "strings"

// lineReader reads a text line by line, as strings.Split(text, "\n") would cut
// it, without making the slice.
type lineReader struct {
	text string
	off  int // offset of the next line; len(text)+1 after the last
	n    int // lines read
}

// read returns the next line and its 0-based index; ok is false after the
// last line.
func (r *lineReader) read() (l string, i int, ok bool) {
	l, ok = r.peek()
	if !ok {
		return "", r.n, false
	}
	r.off += len(l) + 1
	r.n++
	return l, r.n - 1, true
}

// peek returns the next line without reading it; ok is false after the
// last line.
func (r *lineReader) peek() (l string, ok bool) {
	if r.off > len(r.text) {
		return "", false
	}
	l = r.text[r.off:]
	if i := strings.IndexByte(l, '\n'); i >= 0 {
		l = l[:i]
	}
	return l, true
}

// isFence reports whether l opens or closes a fenced code block: up to
// three spaces, then ``` or ~~~.
func isFence(l string) bool {
	for i := 0; i < 3 && strings.HasPrefix(l, " "); i++ {
		l = l[1:]
	}
	return strings.HasPrefix(l, "```") || strings.HasPrefix(l, "~~~")
}

// heading reads l as an ATX heading: up to three spaces, one to six "#"
// (more are read as a closing sequence), then blanks and the text, whose
// closing "#"s and blanks it trims. It returns the number of "#"s, the
// text and whether l is a heading. A line with blanks and a closing
// sequence only after its "#"s is a heading without text: "##", "## ##",
// "#######".
func heading(l string) (level int, text string, ok bool) {
	t := strings.TrimLeft(l, " ")
	if len(l)-len(t) > 3 {
		return 0, "", false
	}
	level = min(len(t)-len(strings.TrimLeft(t, "#")), 6)
	if level == 0 {
		return 0, "", false
	}
	rest := t[level:]
	if rest != "" && (rest[0] == ' ' || rest[0] == '\t') {
		text = strings.TrimRight(strings.TrimLeft(rest, " \t"), " \t")
		return level, strings.TrimRight(strings.TrimRight(text, "#"), " \t"), true
	}
	return level, "", strings.TrimRight(strings.TrimLeft(rest, "#"), " \t") == ""
}
