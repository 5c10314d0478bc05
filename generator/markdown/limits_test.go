package markdown

import (
	"fmt"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2/lexers"
)

// staircase is a list nested n deep, one item a line, each indented under
// the one before: n*n bytes.
func staircase(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s- item %d\n", strings.Repeat("  ", i), i)
	}
	return b.String()
}

func TestLongLanguageNameIsNotLookedUp(t *testing.T) {
	lang := strings.Repeat("a", 20_000)
	res, err := New(false).Render([]byte("Intro.\n\n```"+lang+" title\nx := <y>\n```\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if want := "<pre><code>x := &lt;y&gt;\n</code></pre>"; !strings.Contains(string(res.HTML), want) {
		t.Errorf("HTML lacks %q:\n%.300s", want, res.HTML)
	}
	if strings.Contains(string(res.HTML), "aaaa") {
		t.Errorf("HTML holds the language name:\n%.300s", res.HTML)
	}
	want := []Warning{{Line: 3, Col: 4, Msg: "code fence language name is 20000 bytes long: names over 64 bytes are not looked up, the code is not highlighted"}}
	if fmt.Sprint(res.Warnings) != fmt.Sprint(want) {
		t.Errorf("warnings = %v, want %v", res.Warnings, want)
	}

	// At the limit, the name is still looked up and written as a class.
	lang = strings.Repeat("b", MaxLanguage)
	res, _ = New(false).Render([]byte("```"+lang+"\nx\n```\n"), "")
	if want := `<pre><code class="language-` + lang + `">x`; !strings.Contains(string(res.HTML), want) || len(res.Warnings) != 0 {
		t.Errorf("a %d-byte name: HTML %s, warnings %v", MaxLanguage, res.HTML, res.Warnings)
	}
}

func TestDeepNestingIsCapped(t *testing.T) {
	const msg = "lists, block quotes and footnotes nest more than 16 deep: deeper ones are shown as text"
	tests := []struct {
		name, src  string
		open, text string // the tag that nests, and text that must still show
		line       int    // of the warning
	}{
		{"list, an item a line", staircase(2000), "<ul>", "item 1999", MaxDepth + 1},
		{"list on one line", "Intro.\n\n" + strings.Repeat("- ", 2000) + "last\n", "<ul>", "last", 3},
		{"ordered list", strings.Repeat("1. ", 2000) + "last\n", "<ol>", "last", 1},
		{"block quote", strings.Repeat("> ", 2000) + "last\nlazy line\n", "<blockquote>", "lazy line", 1},
		{"list in quotes", strings.Repeat("> - ", 1000) + "last\n", "<blockquote>", "last", 1},
		{"footnotes", "Note[^a].\n\n" + strings.Repeat("[^a]: ", 200) + "last\n", `<li id="fn:`, "Note", 3}, // goldmark drops definitions in definitions
	}
	r := New(false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render([]byte(tc.src), "")
			if err != nil {
				t.Fatal(err)
			}
			html := string(res.HTML)
			if n := strings.Count(html, tc.open); n == 0 || n > MaxDepth {
				t.Errorf("%d %s in the HTML, want 1 to %d", n, tc.open, MaxDepth)
			}
			if !strings.Contains(html, tc.text) || !strings.Contains(PlainText(res.HTML), tc.text) {
				t.Errorf("the text %q is lost:\n%.500s", tc.text, html)
			}
			want := []Warning{{Line: tc.line, Msg: msg}}
			if fmt.Sprint(res.Warnings) != fmt.Sprint(want) {
				t.Errorf("warnings = %v, want %v", res.Warnings, want)
			}
		})
	}

	// At the limit, nothing is flattened.
	res, _ := r.Render([]byte(staircase(MaxDepth)), "")
	if n := strings.Count(string(res.HTML), "<ul>"); n != MaxDepth || len(res.Warnings) != 0 {
		t.Errorf("a list %d deep: %d <ul>, warnings %v", MaxDepth, n, res.Warnings)
	}
}

// wideTable is a table of n columns over n rows of one cell each: 6n bytes
// that would be n*n cells.
func wideTable(n int) string {
	return strings.Repeat("|a", n) + "\n" + strings.Repeat("|-", n) + "\n" + strings.Repeat("|x\n", n)
}

func TestPaddedTableIsCapped(t *testing.T) {
	r := New(false)
	res, _ := r.Render([]byte("Intro.\n\n"+wideTable(2000)), "")
	if html := string(res.HTML); strings.Contains(html, "<table>") || len(html) > 100_000 {
		t.Errorf("a table of 2,000 columns over rows of one cell: %d bytes of HTML:\n%.300s", len(html), html)
	}
	want := []Warning{{Line: 3, Msg: "a table has more than 50000 cells, or more cells than bytes (by over 1000: its rows lack cells the header has), or the body's tables more than 200000: shown as text"}}
	if fmt.Sprint(res.Warnings) != fmt.Sprint(want) {
		t.Errorf("warnings = %v, want %v", res.Warnings, want)
	}

	// Full rows, but more cells than any postmortem's table: 300 columns
	// of 200 rows.
	full := strings.Repeat("|a", 300) + "\n" + strings.Repeat("|-", 300) + "\n" + strings.Repeat(strings.Repeat("|x", 300)+"\n", 200)
	res, _ = r.Render([]byte(full), "")
	if strings.Contains(string(res.HTML), "<table>") || len(res.Warnings) != 1 {
		t.Errorf("a table of 60,000 cells: rendered as a table, warnings %v", res.Warnings)
	}

	// Many tables under the limit, past the body's: those of the first
	// 200,000 cells are tables (four of 40,100, the delimiter row counted).
	many := strings.Repeat(strings.Repeat("|a", 100)+"\n"+strings.Repeat("|-", 100)+"\n"+strings.Repeat(strings.Repeat("|x", 100)+"\n", 400)+"\n", 6)
	res, _ = r.Render([]byte(many), "")
	if n := strings.Count(string(res.HTML), "<table>"); n != 4 || len(res.Warnings) != 1 {
		t.Errorf("six tables of 40,100 cells: %d made, warnings %v; want 4 and one", n, res.Warnings)
	}

	// Rows a few cells short are padded as ever.
	res, _ = r.Render([]byte("| a | b | c |\n| - | - | - |\n| 1 |\n| 1 | 2 |\n"), "")
	if n := strings.Count(string(res.HTML), "<td"); n != 6 || len(res.Warnings) != 0 {
		t.Errorf("%d cells, warnings %v; want 6 and none:\n%s", n, res.Warnings, res.HTML)
	}
}

func TestManyMarksArePlainText(t *testing.T) {
	const msg = "a paragraph, heading or table cell holds more than 500 of * _ ~ ` [ ] <: shown as plain text, without links or emphasis"
	links := strings.Repeat("[a](b", 2000)
	tests := []struct {
		name, src, want, not string
		line                 int
	}{
		{"paragraph", "Intro.\n\n" + links + "\n", "<p>[a](b[a](b", "<a ", 3},
		{"heading", "# " + strings.Repeat("*a_ ", 300) + "\n", "\">*a_ *a_ *a_", "<em>", 1},
		{"table cell", "| a | b |\n| - | - |\n| x | " + links + " |\n", "<td>[a](b[a](b", "<a ", 3},
		{"link reference definitions", "Text.\n\n" + strings.Repeat("[a]: b\n", 300), "<p>[a]: b\n[a]: b", "<a ", 3},
		{"lines of a paragraph", strings.Repeat("*a_ *b_\n", 200), "<p>*a_ *b_\n*a_", "<em>", 1},
	}
	r := New(false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render([]byte(tc.src), "")
			if err != nil {
				t.Fatal(err)
			}
			if html := string(res.HTML); !strings.Contains(html, tc.want) || strings.Contains(html, tc.not) {
				t.Errorf("HTML lacks %q or has %q:\n%.300s", tc.want, tc.not, html)
			}
			if !strings.Contains(PlainText(res.HTML), "a") {
				t.Errorf("text %q", PlainText(res.HTML))
			}
			want := []Warning{{Line: tc.line, Msg: msg}}
			if fmt.Sprint(res.Warnings) != fmt.Sprint(want) {
				t.Errorf("warnings = %v, want %v", res.Warnings, want)
			}
		})
	}

	// At the limit, links are links.
	res, _ := r.Render([]byte(strings.Repeat("[a](b) ", 125)+"\n"), "")
	if n := strings.Count(string(res.HTML), `<a href="b">a</a>`); n != 125 || len(res.Warnings) != 0 {
		t.Errorf("500 marks: %d links, warnings %v", n, res.Warnings)
	}
}

func TestLanguageLookupAgreesWithChroma(t *testing.T) {
	// Names, aliases, extensions, file names and the other patterns; each
	// unknown name costs chroma about 4 ms.
	for _, name := range []string{"go", "Go", "GO", "golang", "py", "Python", "yml", "sh", "console", "tf", "hcl", "h",
		"Dockerfile", "Dockerfile.prod", "Makefile", "Makefile.am", "bash_profile", "php4", "1", "x.go", "x.tar.gz",
		"promql", "cs", "c++", "mermaid", "text", "nosuchlanguage", "a&b"} {
		got, want := lookupLanguage(name), lexers.Get(name)
		if got != want {
			t.Errorf("%q: lexer %v, chroma's is %v", name, got, want)
		}
	}
}

// BenchmarkHostile renders bodies that used to cost more than linear time
// (nested lists took 11 s at 2,000 deep, a 20 KB language name 8 s), each
// at two sizes, beside ordinary prose: the MB/s of each shape should stay
// the same from one size to the next, and near that of prose.
func BenchmarkHostile(b *testing.B) {
	const para = "The *cache* expired and [the service](https://example.com) fell over.\n\n"
	shapes := []struct {
		name string
		make func(n int) string
	}{
		{"prose", func(n int) string { return strings.Repeat(para, n*n/len(para)) }},
		{"staircase", staircase},
		{"oneLineList", func(n int) string { return strings.Repeat("- ", n*n/2) + "x\n" }},
		{"quoteLazy", func(n int) string { return strings.Repeat("> ", n) + "x\n" + strings.Repeat("y\n", n*n/4) }},
		{"longLanguage", func(n int) string { return "```" + strings.Repeat("a", n*n) + "\nx\n```\n" }},
		{"wideTable", func(n int) string { return wideTable(n * n / 6) }},
		// Paragraphs just under MaxMarks, the worst for goldmark.
		{"unclosedLinks", func(n int) string { return strings.Repeat(strings.Repeat("[a](b", 166)+"\n\n", n*n/832) }},
		{"mismatchedEmphasis", func(n int) string { return strings.Repeat(strings.Repeat("*a_ ", 250)+"\n\n", n*n/1002) }},
		{"referenceDefinitions", func(n int) string { return strings.Repeat(strings.Repeat("[r]: u\n", 249)+"\n", n*n/1744) }},
		{"unknownLanguages", func(n int) string { return strings.Repeat("```nosuch\nx\n```\n", n*n/16) }},
		// Relative links, each of which is given its line and column.
		{"manyLinks", func(n int) string { return strings.Repeat(strings.Repeat("[a](b) ", 120)+"\n\n", n*n/842) }},
	}
	r := New(false)
	for _, s := range shapes {
		for _, n := range []int{500, 1000} { // four times the bytes
			src := []byte(s.make(n))
			b.Run(fmt.Sprintf("%s/%dKB", s.name, len(src)>>10), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					if _, err := r.Render(src, ""); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// FuzzLimits renders bodies near the limits: no error, no raw HTML, and
// every warning on a line of the body.
func FuzzLimits(f *testing.F) {
	for _, s := range []string{staircase(20), strings.Repeat("> - ", 20) + "x\n", "```" + strings.Repeat("a", 70) + "\n<script>\n```\n",
		wideTable(40), "| a |\n| - |\n| " + strings.Repeat("[x](", 200) + " |\n", "# " + strings.Repeat("*<b>_", 120) + "\n",
		strings.Repeat("[r]: <u>\n", 260), strings.Repeat("[a](b", 170) + "\n<script>alert(1)</script>\n"} {
		f.Add(s)
	}
	r := New(false)
	f.Fuzz(func(t *testing.T, src string) {
		res, err := r.Render([]byte(src), "")
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(string(res.HTML)), "<script") {
			t.Errorf("raw HTML let through:\n%s", res.HTML)
		}
		for _, w := range res.Warnings {
			if w.Line < 1 || w.Line > strings.Count(src, "\n")+1 {
				t.Errorf("warning on line %d of %d: %s", w.Line, strings.Count(src, "\n")+1, w.Msg)
			}
		}
	})
}
