package markdown

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

func TestRefs(t *testing.T) {
	tests := []struct {
		name, src string
		want      []Ref
	}{
		{"slug", "See [[dns-outage]].\n", []Ref{{Slug: "dns-outage", Titled: true, Line: 1, Col: 5}}},
		{"slug with text", "Intro\n\nAs in ä [[dns-outage|the DNS outage]] before.\n", []Ref{{Slug: "dns-outage", Line: 3, Col: 9}}},
		{"file link", "- [earlier](../2023/dns.md#impact)\n", []Ref{{Path: "../2023/dns.md", Fragment: "#impact", Line: 1, Col: 3}}},
		{"escaped file name", "[x](two%20words.markdown)\n", []Ref{{Path: "two words.markdown", Line: 1, Col: 1}}},
		{"two on a line", "[[a]] and [[b|B]]\n", []Ref{{Slug: "a", Titled: true, Line: 1, Col: 1}, {Slug: "b", Line: 1, Col: 11}}},
		{"not references", "`[[a]]` [x](https://e.com/a.md) [y](/abs.md) [z](notes.txt) [[ a b ]] [[]] [[a|]]\n\n    [[code]]\n", nil},
		{"escaped bracket", "\\[[a]]\n", nil},
	}
	r := New(false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render([]byte(tc.src), "bundle")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(res.Refs, tc.want) {
				t.Errorf("Refs = %+v, want %+v", res.Refs, tc.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	res, err := New(false).Render([]byte("See [[a]], [[b|the <b>]] and [c](c.md#x).\n"), "bundle")
	if err != nil {
		t.Fatal(err)
	}
	got := string(Resolve(res.HTML, []Target{
		{URL: "../incidents/a.html", Title: "A & co"},
		{URL: "../incidents/b.html", Title: "B"},
		{URL: "", Title: "C"}, // not on the site: text only
	}))
	want := `<p>See <a class="xref" href="../incidents/a.html">A &amp; co</a>, <a class="xref" href="../incidents/b.html">the &lt;b&gt;</a> and <a class="xref">c</a>.</p>` + "\n"
	if got != want {
		t.Errorf("resolved\n%s\nwant\n%s", got, want)
	}
	if !strings.Contains(PlainText(res.HTML), "See a, the <b> and c.") {
		t.Errorf("Text = %q", PlainText(res.HTML))
	}
}

// TestUnresolved reads well where Resolve is not applied (a theme that
// shows .PM.HTML): a [[slug]] links to the page of that slug, by its slug.
func TestUnresolved(t *testing.T) {
	res, err := New(false).Render([]byte("See [[a&b]] and [x](x.md).\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	want := `<p>See <a class="xref" data-ref="0" href="a&amp;b.html"><span data-ref-title="0">a&amp;b</span></a> and <a class="xref" data-ref="1">x</a>.</p>` + "\n"
	if string(res.HTML) != want {
		t.Errorf("HTML\n%s\nwant\n%s", res.HTML, want)
	}
}

// TestMarksOnlyFromTheRenderer writes the marks of references in the
// source: as raw HTML is escaped, Resolve leaves them as text.
func TestMarksOnlyFromTheRenderer(t *testing.T) {
	src := "<a class=\"xref\" data-ref=\"0\">x</a> <span data-ref-title=\"0\">y</span> `<a class=\"xref\" data-ref=\"0\">` [[z]]\n"
	res, err := New(false).Render([]byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	got := string(Resolve(res.HTML, []Target{{URL: "z.html", Title: "Zed"}}))
	if strings.Count(got, "<a ") != 1 || strings.Count(got, "Zed") != 1 || strings.Contains(got, "<span") {
		t.Errorf("source text taken for a reference: %s", got)
	}
}

func TestLinks(t *testing.T) {
	res, err := New(false).Render([]byte("Intro.\n\n![d](d.svg) [n](notes/a.txt#x) [o](other.md) [[a]]\n[e](https://e.com/a) [f](#top) [g](/abs) [m](mailto:a@b.c)\n"), "bundle")
	if err != nil {
		t.Fatal(err)
	}
	want := []Link{{Dest: "bundle/d.svg", Image: true, Line: 3, Col: 1, Written: "d.svg"}, {Dest: "bundle/notes/a.txt#x", Line: 3, Col: 13, Written: "notes/a.txt#x"}}
	if !reflect.DeepEqual(res.Links, want) {
		t.Errorf("Links = %+v, want %+v", res.Links, want)
	}
}

// TestRootedLinks: with SiteRoot, a destination written from the root of
// the host is made relative to the page, and listed with the files it
// links; one to another host ("//cdn.example.com/x") is kept. Without
// SiteRoot, it is kept as written.
func TestRootedLinks(t *testing.T) {
	src := []byte("![g](/img/graph.png) [r](/runbooks/dns.html#step) [c](//cdn.example.com/x.js) [d](diagram.svg)\n")
	res, err := New(false, SiteRoot("../")).Render(src, "b")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`src="../img/graph.png"`, `href="../runbooks/dns.html#step"`, `href="//cdn.example.com/x.js"`, `href="b/diagram.svg"`} {
		if !strings.Contains(string(res.HTML), want) {
			t.Errorf("the body lacks %s: %s", want, res.HTML)
		}
	}
	want := []Link{{Dest: "../img/graph.png", Image: true, Line: 1, Col: 1, Written: "/img/graph.png"},
		{Dest: "../runbooks/dns.html#step", Line: 1, Col: 22, Written: "/runbooks/dns.html#step"},
		{Dest: "b/diagram.svg", Line: 1, Col: 79, Written: "diagram.svg"}}
	if !reflect.DeepEqual(res.Links, want) {
		for _, l := range res.Links {
			t.Errorf("link %q, image %v, at %d:%d, written %q", l.Dest, l.Image, l.Line, l.Col, l.Written)
		}
	}
	res, _ = New(false).Render(src, "")
	if !strings.Contains(string(res.HTML), `src="/img/graph.png"`) {
		t.Errorf("without SiteRoot, a rooted destination changed: %s", res.HTML)
	}
	// A reference definition, and a destination in angle brackets.
	res, _ = New(false, SiteRoot("../")).Render([]byte("![g][graph] [r](</run books/x.html>)\n\n[graph]:  /img/graph.png\n"), "")
	for _, want := range []string{`src="../img/graph.png"`, `href="../run%20books/x.html"`} {
		if !strings.Contains(string(res.HTML), want) {
			t.Errorf("the body lacks %s: %s", want, res.HTML)
		}
	}
}

// FuzzRefs renders references in any body: every marker is resolved, a
// NUL of the source never becomes one, and raw HTML stays text.
func FuzzRefs(f *testing.F) {
	for _, s := range []string{"[[a]] [[b|B]] [c](c.md#x)\n", "[[a|<script>x</script>]]\n", "<a class=\"xref\" data-ref=\"0\"> [[x]]\n", "[x [[y]]](z.md)\n",
		"[[a]]]] [[[b]] [[c|d|e]]\n", "> [!NOTE]\n> [[a]]\n\n- [y](../y.markdown)\n"} {
		f.Add(s)
	}
	r := New(false)
	f.Fuzz(func(t *testing.T, src string) {
		res, err := r.Render([]byte(src), "bundle")
		if err != nil {
			t.Fatal(err)
		}
		targets := make([]Target, len(res.Refs))
		for i := range targets {
			targets[i] = Target{URL: "t.html", Title: "<T>"}
		}
		out := string(Resolve(res.HTML, targets))
		if strings.Contains(out, `data-ref="`) {
			t.Errorf("a mark left:\n%q", out)
		}
		if got := strings.Count(out, `<a class="xref"`); got != len(res.Refs) {
			t.Errorf("%d references made %d links:\n%s", len(res.Refs), got, out)
		}
		if strings.Contains(strings.ToLower(out), "<script") || strings.Contains(out, "<T>") {
			t.Errorf("raw HTML let through:\n%s", out)
		}
	})
}

// FuzzMayRoot: a source mayRoot passes over has no link nor image whose
// destination leads from the root of the host, which rebase would change.
func FuzzMayRoot(f *testing.F) {
	for _, s := range []string{"[a](/b)", "[a]( </b>)", "[a]: /b\n\n[x][a]", "![i](\t/x.png)", "[a](b) [c]", "[a]\n: /b", "]](/", "[a](/b \"t\")"} {
		f.Add(s)
	}
	p := New(false).md.Parser()
	f.Fuzz(func(t *testing.T, s string) {
		if mayRoot([]byte(s)) {
			return
		}
		doc := p.Parse(text.NewReader([]byte(s)))
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			var dest []byte
			switch n := n.(type) {
			case *ast.Link:
				dest = n.Destination
			case *ast.Image:
				dest = n.Destination
			}
			if entering && bytes.HasPrefix(dest, []byte("/")) && !bytes.HasPrefix(dest, []byte("//")) {
				t.Errorf("%q: mayRoot passes over the destination %q", s, dest)
			}
			return ast.WalkContinue, nil
		})
	})
}

// TestUnclosedFence: a code block left open is warned of at the line that
// opens it; one closed, or one at the end closed, is not.
func TestUnclosedFence(t *testing.T) {
	for src, want := range map[string]int{
		"## Root cause\n\n```yaml\na: 1\nb: 2\n\n![g](g.png)\n\n## Resolution\n\nText.\n": 3,
		"Text.\n\n~~~\nx\n":                   3,
		"Text.\n\n```\n":                      0, // nothing below it to swallow
		"```go\nx := 1\n```\n\nText.\n":       0,
		"```go\nx := 1\n```":                  0,
		"Text.\n\n```\n```\n":                 0,
		"- item\n\n  ```\n  code\n\n- next\n": 0, // a list item's block ends with the item
	} {
		res, err := New(false).Render([]byte(src), "")
		if err != nil {
			t.Fatal(err)
		}
		got := 0
		for _, w := range res.Warnings {
			if strings.Contains(w.Msg, "never closed") {
				got = w.Line
			}
		}
		if got != want {
			t.Errorf("%q: warned at line %d, want %d (0: none)", src, got, want)
		}
	}
}

// TestScriptLinksShownAsText: a link or image that could run a script is
// its text alone, not an element with its address left empty; with
// unsafe HTML it is kept.
func TestScriptLinksShownAsText(t *testing.T) {
	src := []byte("See [this *one*](javascript:alert(1)), ![alt text](data:text/html,hi) and <javascript:alert(3)>.\n")
	res, err := New(false).Render(src, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := string(res.HTML); got != "<p>See this <em>one</em>, alt text and javascript:alert(3).</p>\n" {
		t.Errorf("HTML %q", got)
	}
	if len(res.Warnings) != 3 {
		t.Errorf("%d warnings, want 3: %v", len(res.Warnings), res.Warnings)
	}
	res, _ = New(true).Render(src, "")
	if !strings.Contains(string(res.HTML), `href="javascript:alert(1)"`) || len(res.Warnings) != 0 {
		t.Errorf("with unsafe HTML: %q, %v", res.HTML, res.Warnings)
	}
}

// TestLinesOf gives each offset of a source its line and column, as a
// count from the start does, whether the offsets come in order or not,
// through characters of more than one byte.
func TestLinesOf(t *testing.T) {
	src := []byte("ab\nçé[x](y)\n\n  日本 [z](w)\nend")
	naive := func(offset int) (int, int) {
		before := string(src[:offset])
		start := strings.LastIndexByte(before, '\n') + 1
		return strings.Count(before, "\n") + 1, utf8.RuneCountInString(before[start:]) + 1
	}
	var offsets []int
	for i := range len(src) + 1 {
		if utf8.RuneStart(src[min(i, len(src)-1)]) || i == len(src) {
			offsets = append(offsets, i)
		}
	}
	at := newLines(src)
	for _, order := range [][]int{offsets, {len(src), 0, 9, 3, 3, 20, 5}} {
		for _, o := range order {
			line, col := at.of(o)
			if wl, wc := naive(o); line != wl || col != wc {
				t.Errorf("offset %d: line %d, column %d, want %d, %d", o, line, col, wl, wc)
			}
		}
	}
}
