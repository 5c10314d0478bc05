package markdown

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestRender(t *testing.T) {
	tests := []struct {
		name, src       string
		wantHTML        []string
		notHTML         []string
		wantText, first string
	}{
		{name: "raw html escaped", src: "Hi <script>alert(1)</script> there\n\n<div onclick=\"x\">block</div>\n",
			wantHTML: []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;div onclick=&#34;x&#34;&gt;block&lt;/div&gt;"},
			notHTML:  []string{"<script>", "<div"}, first: "Hi <script>alert(1)</script> there"},
		{name: "gfm table and tasks", src: "| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n- [ ] open\n\n~~old~~ https://example.com\n",
			wantHTML: []string{"<table>", "<td>1</td>", `type="checkbox"`, "<del>old</del>", `<a href="https://example.com">`}},
		{name: "heading anchors", src: "## Root cause\n\ntext\n", wantHTML: []string{`<h2 id="root-cause">Root cause</h2>`}, wantText: "Root cause\ntext"},
		{name: "footnote", src: "Claim.[^1]\n\n[^1]: Source.\n", wantHTML: []string{`class="footnotes"`, "Source."}},
		{name: "highlighted code", src: "```go\nfunc main() {}\n```\n", wantHTML: []string{`class="chroma"`, `<span class="kd">func</span>`}, wantText: "func main() {}"},
		{name: "plain text not highlighted", src: "```text\nGET /api <b>\n```\n\n```txt\nx\n```\n\n```plain\ny\n```\n",
			wantHTML: []string{`<pre><code class="language-text">GET /api &lt;b&gt;` + "\n</code></pre>", `<code class="language-txt">x`, `<code class="language-plain">y`},
			notHTML:  []string{"chroma", "<span"}},
		{name: "first paragraph skips headings and list items", src: "# Title\n\n- item\n\nThe *first* paragraph\ncontinues.\n\nSecond.\n", first: "The first paragraph continues."},
		{name: "javascript link neutralised", src: "[x](javascript:alert(1))\n", notHTML: []string{`href="javascript:`}},
	}
	r := New(false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render([]byte(tc.src), "")
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.wantHTML {
				if !strings.Contains(string(res.HTML), w) {
					t.Errorf("HTML lacks %q:\n%s", w, res.HTML)
				}
			}
			for _, w := range tc.notHTML {
				if strings.Contains(string(res.HTML), w) {
					t.Errorf("HTML has %q:\n%s", w, res.HTML)
				}
			}
			if tc.wantText != "" && PlainText(res.HTML) != tc.wantText {
				t.Errorf("Text = %q, want %q", PlainText(res.HTML), tc.wantText)
			}
			if tc.first != "" && res.FirstParagraph != tc.first {
				t.Errorf("FirstParagraph = %q, want %q", res.FirstParagraph, tc.first)
			}
		})
	}
}

func TestUnsafeKeepsHTML(t *testing.T) {
	res, err := New(true).Render([]byte("<b>bold</b>\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(res.HTML), "<b>bold</b>") {
		t.Errorf("unsafe renderer escaped raw HTML: %s", res.HTML)
	}
}

func TestRebase(t *testing.T) {
	res, err := New(false).Render([]byte("![d](diagram.svg) [x](notes/a.txt) [y](https://e.com/a) [z](#top) [w](/abs) [m](mailto:a@b.c)\n"), "outage")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`src="outage/diagram.svg"`, `href="outage/notes/a.txt"`, `href="https://e.com/a"`, `href="#top"`, `href="/abs"`, `href="mailto:a@b.c"`} {
		if !strings.Contains(string(res.HTML), want) {
			t.Errorf("HTML lacks %s:\n%s", want, res.HTML)
		}
	}
}

// TestInternalBlocks renders a body with internal blocks for an internal
// and for a public build: marked in the one, gone from the other's HTML,
// text and first paragraph, with the lines around them kept.
func TestInternalBlocks(t *testing.T) {
	src := []byte("::: internal\nSECRET first paragraph.\n:::\n\nPublic summary.\n\n## Timeline\n\n- 08:00 Start\n\n::: internal\n- 08:05 SECRET pager\n\n```\n:::\n\nAfter.\n\n    ::: internal\n\n> ::: internal\n\nUNCLOSED\n::: internal\nSECRET to the end\n")
	in, err := New(false, InternalTitle("Nur intern")).Render(src, "")
	if err != nil {
		t.Fatal(err)
	}
	html := string(in.HTML)
	if strings.Count(html, `<div class="internal">`+"\n"+`<p class="internal-title">Nur intern</p>`) != 3 || !strings.Contains(html, "SECRET pager") {
		t.Errorf("internal build:\n%s", html)
	}
	if in.FirstParagraph != "Public summary." {
		t.Errorf("first paragraph %q", in.FirstParagraph)
	}
	pub := New(false, Public())
	visible := pub.Visible(src)
	if bytes.Count(visible, []byte("\n")) != bytes.Count(src, []byte("\n")) {
		t.Errorf("Visible changed the number of lines:\n%s", visible)
	}
	res, err := pub.Render(src, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{string(res.HTML), PlainText(res.HTML), res.FirstParagraph, string(visible)} {
		if strings.Contains(s, "SECRET") || strings.Contains(s, "internal-title") {
			t.Errorf("public build shows an internal block:\n%s", s)
		}
	}
	// The ":::" in the code fence closed the block, as the parser reads it:
	// what follows is public. An indented line and one inside a quote open nothing.
	for _, want := range []string{"Public summary.", "08:00 Start", "After.", "::: internal", "UNCLOSED"} {
		if !strings.Contains(PlainText(res.HTML), want) {
			t.Errorf("public text lacks %q:\n%s", want, PlainText(res.HTML))
		}
	}
}

// TestInternalFencesInListItems: a fence line indented under a list item
// opens no internal block. Four spaces in, its text is published in both
// builds; up to three, the public build leaves its lines out while the
// internal build shows them as text. Both builds warn of each, at its line.
func TestInternalFencesInListItems(t *testing.T) {
	src := []byte("Text.\n\n- item\n\n    ::: internal\n    FOURSPACE\n    :::\n\n1. one\n   ::: internal\n   ORDERED\n   :::\n")
	pub := New(false, Public())
	for name, r := range map[string]*Renderer{"internal": New(false), "public": pub} {
		res, err := r.Render(src, "")
		if err != nil {
			t.Fatal(err)
		}
		warned := map[int]string{}
		for _, w := range res.Warnings {
			if strings.Contains(w.Msg, "opens no internal block") {
				warned[w.Line] = w.Msg
			}
		}
		if !strings.Contains(warned[5], "published in the public build too") {
			t.Errorf("%s build: the fence four spaces in under a list item (line 5) is not warned of as published: %v", name, warned)
		}
		if name == "internal" && !strings.Contains(warned[10], "the public build leaves them out") {
			t.Errorf("internal build: the fence three spaces in under a list item (line 10) is not warned of: %v", warned)
		}
		if name == "public" && strings.Contains(PlainText(res.HTML), "ORDERED") {
			t.Errorf("public build shows the lines of the fence three spaces in: %s", res.HTML)
		}
	}
}

// TestInternalBlocksWrittenOtherwise: an internal block opened with the
// word in capitals or with more colons is one, in both builds; fence lines
// in a code block outside any internal block are code, shown whole; one
// in a quote or a list opens nothing and is warned of.
func TestInternalBlocksWrittenOtherwise(t *testing.T) {
	src := []byte("Intro.\n\n::: Internal\nSECRET capital\n:::\n\n:::: internal\nSECRET four colons\n::::\n\n" +
		"```md\n::: internal\nCODE shown\n:::\n```\n\n> ::: internal\n> QUOTED\n\n- ::: internal\n")
	in, err := New(false).Render(src, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(in.HTML), `<div class="internal">`); n != 2 {
		t.Errorf("internal build: %d internal blocks, want 2:\n%s", n, in.HTML)
	}
	var lines []int
	for _, w := range in.Warnings {
		if strings.Contains(w.Msg, "opens no internal block") {
			lines = append(lines, w.Line)
		}
	}
	if fmt.Sprint(lines) != "[17 20]" {
		t.Errorf("warned of stray fences at lines %v, want [17 20]", lines)
	}
	pub := New(false, Public())
	res, err := pub.Render(pub.Visible(src), "")
	if err != nil {
		t.Fatal(err)
	}
	text := PlainText(res.HTML)
	if strings.Contains(text, "SECRET") || !strings.Contains(text, "CODE shown") || !strings.Contains(text, "::: internal\nCODE shown\n:::") {
		t.Errorf("public build:\n%s", text)
	}
}

// TestPlainText checks the text that search indexes: what a reader sees,
// words apart where the page sets them apart.
func TestPlainText(t *testing.T) {
	src := "Disk &amp; queue\nfull.[^1] ![how requests flow](a.png)\n\n| a | b |\n|---|---|\n| left | right |\n\n```go\nx := 1\ny := 2\n```\n\n[^1]: The note.\n"
	res, err := New(false).Render([]byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	got := PlainText(res.HTML)
	for _, want := range []string{"Disk & queue full. how requests flow", "left\nright", "x := 1\ny := 2", "The note."} {
		if !strings.Contains(got, want) {
			t.Errorf("text lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"full.1", "↩", "<", "&amp;"} {
		if strings.Contains(got, not) {
			t.Errorf("text has %q:\n%s", not, got)
		}
	}
	if res.FirstParagraph != "Disk & queue full. how requests flow" {
		t.Errorf("first paragraph %q, want it as the text has it", res.FirstParagraph)
	}
	// Raw HTML a site lets through: a script's text, and a > in a quoted
	// attribute, are no markup of the text.
	res, err = New(true).Render([]byte("Before.\n\n<script>if (a<b) { x = 1 }</script>\n\n<p title=\"a>b\">2<sup>10</sup> items</p>\n\nAfter.\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := PlainText(res.HTML), "Before.\n210 items\nAfter."; got != want {
		t.Errorf("text of raw HTML = %q, want %q", got, want)
	}
}

// TestFirstParagraphWithText wants the summary from the first paragraph
// that has text: an image without alternative text has none.
func TestFirstParagraphWithText(t *testing.T) {
	res, err := New(false).Render([]byte("![](diagram.png)\n\nThe real\nsummary  \nhere.\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if res.FirstParagraph != "The real summary here." {
		t.Errorf("FirstParagraph = %q", res.FirstParagraph)
	}
	if text := PlainText(res.HTML); !strings.Contains(text, res.FirstParagraph) {
		t.Errorf("the text %q does not hold the first paragraph", text)
	}
}
