// Package search holds the full-text search index of a site: built in Go
// from the parsed postmortems, written as static script files split so that
// a query loads only the parts it needs, and read by the default theme's
// search scripts (search-index.js, search-query.js, search.js).
//
// Every file is a script that hands its data to window.PostmortemSearch, so
// that the page loads it with a <script> tag, over HTTP and from disk alike:
//
//   - search/meta.js: PostmortemSearch.meta({...}), the table of contents
//     (Meta): the layout and values of the facets, the files below, the
//     mean document length and the newest documents' cards, all a query
//     by relevance needs besides its shards and results.
//   - search/t/NAME.js: PostmortemSearch.shard("PREFIX", {term:
//     postings}), the terms starting with PREFIX; a term's postings give
//     each document's id, and the term's weighted frequency there with the
//     document's packed length (see appendNum and packTF).
//   - search/f/GROUP.NAME.js: PostmortemSearch.cards(GROUP, {id: card}),
//     what a result shows of each document of a group of 32 to 64 (see
//     groupBits), loaded only when one of them is shown; search/x/GROUP.NAME.js,
//     PostmortemSearch.texts(GROUP, {id: text}), their texts, loaded only
//     to check a phrase.
//   - search/c/NAME.js: PostmortemSearch.cause("CAUSE", ids), the documents
//     of one root cause, for the lift of a query that names it.
//   - search/m/PART.NAME.js: PostmortemSearch.rows({...}), one part of the
//     meta table (Rows): each document's id, facets, day and duration,
//     loaded only for facet counts, filters and sorts other than relevance.
//
// NAME is a hash of the file's content, so that a browser that has files of
// an earlier build never mixes them with the new ones; meta.js, the one
// name that stays, says which files make the index. A document's ID comes
// from its slug (see assignIDs): adding, changing or removing one changes
// the shards of its terms, the two files of its group, its part of the
// meta table, the files of its root causes and meta.js, and no other file.
//
// A term is a word folded (case, marks) and stemmed by Stem (Porter2), or
// the compound term of two words a joiner parts (PairTerm);
// search-index.js folds the same way and stems with the theme's stem.js.
package search

import (
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
)

// Tokens splits text into folded, lower-case words: runs of letters and
// digits.
func Tokens(text string) []string {
	var out []string
	scan(text, func(tok string, _ bool) { out = append(out, tok) })
	return out
}

// isJoiner says whether c, alone between two tokens, joins them into one
// compound word: "payments-gateway", "v2.1.3", "auth_db", "api/v2".
func isJoiner(c byte) bool { return c == '-' || c == '.' || c == '_' || c == '/' }

// scan calls emit with each token of text, as Tokens splits it, and
// whether one joiner (see isJoiner) alone parts it from the token before.
// A token already folded is a substring of text; only the others are
// copied.
func scan(text string, emit func(tok string, joined bool)) {
	var b []byte
	end := -2 // where the last token ended
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf && !isLower(c) && !isUpper(c) && !isDigit(c) {
			i++
			continue
		}
		start := i
		joined := start == end+1 && isJoiner(text[end])
		for i < len(text) && (isLower(text[i]) || isDigit(text[i])) {
			i++
		}
		if i == len(text) || (text[i] < utf8.RuneSelf && !isUpper(text[i])) {
			emit(text[start:i], joined)
			end = i
			continue
		}
		// A capital or a non-ASCII character: fold the token letter by letter.
		b = append(b[:0], text[start:i]...)
		i = foldRest(text, i, &b)
		if len(b) > 0 {
			emit(string(b), joined)
			end = i
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

// Terms returns the index terms of text: its tokens, stemmed, then the
// compound terms of the tokens a joiner parts (see PairTerm).
func Terms(text string) []string {
	var out, pairs []string
	scan(text, func(tok string, joined bool) {
		t := Stem(tok)
		if joined {
			pairs = append(pairs, PairTerm(out[len(out)-1], t))
		}
		out = append(out, t)
	})
	return append(out, pairs...)
}

// PairTerm is the compound term of two terms whose words a joiner parts
// (see isJoiner): "payments-gateway" has the terms payment and gateway, and
// the compound term "~payment-gateway". A query with the compound word
// ranks first the incidents that have it, whatever else has both words.
// The tilde sorts compound terms after every word of ASCII letters, in
// shards of their own, so that a query for a word never loads them.
// search-query.js makes them the same way.
func PairTerm(a, b string) string { return "~" + a + "-" + b }

// Stem reduces a token (see Tokens) to its Porter2 stem, the Snowball
// English stemmer's, so that "failures", "failed" and "failing" meet, and
// "rotated" and "rotation" too. A token with a letter outside ASCII is not
// English to it and stays as it is. Stop words are stemmed like any other
// word: the index keeps every word, for phrases, and ranks common ones low.
// stem.js in the default theme is the same algorithm, for the page.
func Stem(w string) string {
	if !isASCII(w) {
		return w
	}
	return english.Stem(w, true)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
