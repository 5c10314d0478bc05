// Package search holds the full-text search index of a site: built in Go
// from the parsed postmortems, written as static script files split so that
// a query loads only the parts it needs, and read by themes' search.js.
//
// Every file is a script that hands its data to window.PostmortemSearch, so
// that the page loads it with a <script> tag, over HTTP and from disk alike:
//
//   - search/meta.js: PostmortemSearch.meta({...}), the Meta of every
//     document (facets, day, duration, length) and the list of shards.
//   - search/t/PREFIX.js: PostmortemSearch.shard("PREFIX", {term: postings}),
//     the terms starting with PREFIX; a term's postings give each document's
//     id and the term's weighted frequency there (see appendNum).
//   - search/f/ID.js: PostmortemSearch.frag(ID, {...}), what a result shows
//     of document ID, loaded only when it is shown.
//
// A term is a word folded (case, marks) and stemmed by Stem; search.js
// folds and stems the same way.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens splits text into folded, lower-case words: runs of letters and
// digits.
func Tokens(text string) []string {
	var out []string
	scan(text, func(tok string) { out = append(out, tok) })
	return out
}

// scan calls emit with each token of text, as Tokens splits it. A token
// already folded is a substring of text; only the others are copied.
func scan(text string, emit func(string)) {
	var b []byte
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && !isLower(c) && !isUpper(c) && !isDigit(c) {
			i++
			continue
		}
		start := i
		for i < len(text) && (isLower(text[i]) || isDigit(text[i])) {
			i++
		}
		if i == len(text) || (text[i] < utf8.RuneSelf && !isUpper(text[i])) {
			emit(text[start:i])
			continue
		}
		// A capital or a non-ASCII character: fold the token letter by letter.
		b = append(b[:0], text[start:i]...)
		i = foldRest(text, i, &b)
		if len(b) > 0 {
			emit(string(b))
		}
		if i == start { // a character that is neither letter nor digit
			_, size := utf8.DecodeRuneInString(text[i:])
			i += size
		}
	}
}

// foldRest appends to b the folded letters of the token going on at i and
// returns where it ends.
func foldRest(text string, i int, b *[]byte) int {
	for i < len(text) {
		c := text[i]
		if c < utf8.RuneSelf {
			switch {
			case isLower(c), isDigit(c):
				*b = append(*b, c)
			case isUpper(c):
				*b = append(*b, c+'a'-'A')
			default:
				return i
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) {
			if r < 0x300 || r > 0x36f { // combining accents fold away
				return i
			}
			i += size
			continue
		}
		i += size
		if f, ok := folds[r]; ok {
			*b = append(*b, f...)
		} else {
			*b = utf8.AppendRune(*b, unicode.ToLower(r))
		}
	}
	return i
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Terms returns the index terms of text: its tokens, stemmed.
func Terms(text string) []string {
	toks := Tokens(text)
	for i, t := range toks {
		toks[i] = Stem(t)
	}
	return toks
}

// Stem reduces an English word to a stem, so that "failures", "failure"
// and "failure's" meet, and "rotated", "rotating" and "rotates" too. It is
// a small subset of Porter's first step, written again, rule for rule, in
// search.js.
func Stem(w string) string {
	if len(w) <= 3 || !isASCII(w) {
		return w
	}
	switch {
	case strings.HasSuffix(w, "sses"):
		w = w[:len(w)-2]
	case strings.HasSuffix(w, "ies"):
		w = w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		w = w[:len(w)-1]
	}
	switch {
	case strings.HasSuffix(w, "eed"):
		if len(w) > 4 {
			w = w[:len(w)-1]
		}
	case strings.HasSuffix(w, "ing") && len(w) >= 6 && hasVowel(w[:len(w)-3]):
		w = fixup(w[:len(w)-3])
	case strings.HasSuffix(w, "ed") && len(w) >= 5 && hasVowel(w[:len(w)-2]):
		w = fixup(w[:len(w)-2])
	}
	return w
}

// fixup restores what removing -ed or -ing took too much of: rotat(ed)
// becomes rotate, stopp(ed) becomes stop.
func fixup(w string) string {
	n := len(w)
	switch {
	case strings.HasSuffix(w, "at"), strings.HasSuffix(w, "bl"), strings.HasSuffix(w, "iz"):
		return w + "e"
	case n >= 2 && w[n-1] == w[n-2] && !isVowel(w[n-1]) && w[n-1] != 'l' && w[n-1] != 's' && w[n-1] != 'z':
		return w[:n-1]
	}
	return w
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

func hasVowel(w string) bool {
	for i := 0; i < len(w); i++ {
		if isVowel(w[i]) || (w[i] == 'y' && i > 0) {
			return true
		}
	}
	return false
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
