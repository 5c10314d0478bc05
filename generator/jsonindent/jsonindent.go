// Package jsonindent holds the indenting of JSON that the exports write
// (index.json, insights.json): the bytes of json.MarshalIndent, made in a
// fraction of its time, as these files run to megabytes and
// json.MarshalIndent spends most of its time scanning what it indents.
package jsonindent

import "encoding/json"

// Marshal is json.MarshalIndent: v as JSON, each element on a line of its
// own that starts with prefix (but the first) and indent once per level.
func Marshal(v any, prefix, indent string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return Append(make([]byte, 0, 2*len(b)), b, prefix, indent), nil
}

// Append appends src, JSON as json.Marshal writes it, to dst indented as
// json.Indent would, but that spaces after the JSON are dropped too. It
// does not check src: JSON that is not valid comes out in a shape of no
// use.
func Append(dst, src []byte, prefix, indent string) []byte {
	depth := 0
	open := false // after { or [: a newline comes before what follows, unless it closes them
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if open && c != '}' && c != ']' {
			open = false
			depth++
			dst = newline(dst, prefix, indent, depth)
		}
		switch c {
		case '"':
			// A string whole: a quote preceded by a backslash is in it.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j, len(src)-1)
			dst = append(dst, src[i:j+1]...)
			i = j
		case '{', '[':
			open = true
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			dst = newline(dst, prefix, indent, depth)
		case ':':
			dst = append(dst, c, ' ')
		case '}', ']':
			if open {
				open = false // {} and [] stay on one line
			} else {
				depth--
				dst = newline(dst, prefix, indent, depth)
			}
			dst = append(dst, c)
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func newline(dst []byte, prefix, indent string, depth int) []byte {
	dst = append(dst, '\n')
	dst = append(dst, prefix...)
	for range depth {
		dst = append(dst, indent...)
	}
	return dst
}
