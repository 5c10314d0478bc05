package postmortem

import (
	"encoding/json"
	"fmt"
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/scratch"
	"github.com/postmortem/postmortem/generator/timeline"
)

// TestHeldBody wants a body held in a spill to read as it was rendered,
// and a body let go after its counted reads, or whose spill cannot be read
// back, to be made anew by its again.
func TestHeldBody(t *testing.T) {
	src := "---\ntitle: Held\ndate: 2024-03-02\nseverity: SEV2\nroot_causes: [dns]\n---\n\n" +
		strings.Repeat("The resolver <dropped> & retried *every* query.\n\n", 40)
	f, err := os.Create(filepath.Join(t.TempDir(), "spill"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	spill := scratch.New(f)
	var held []*Postmortem
	var rendered []template.HTML
	for i := range 3 {
		p, msgs := parse(t, strings.Replace(src, "Held", "Held "+strings.Repeat("again ", i), 1), nil)
		if len(msgs) > 0 {
			t.Fatal(msgs)
		}
		h := p.HTML()
		if !strings.Contains(string(h), "&lt;dropped&gt; &amp; retried <em>every</em>") {
			t.Fatalf("the body renders as %.200s", h)
		}
		again := func() template.HTML { return "made anew" }
		if i < 2 {
			DropBody(p, 2, again)
			again = nil // DropBody's stands
		}
		SpillBody(p, spill, again)
		held, rendered = append(held, p), append(rendered, h)
	}
	p := held[1]
	if p.body.html != "" || !p.body.spilled.InFile() {
		t.Errorf("spilled, the body holds %d bytes of HTML in memory", len(p.body.html))
	}
	if st, err := f.Stat(); err != nil || st.Size() != int64(3*len(rendered[0])) {
		t.Errorf("the spill holds %v bytes, want those of 3 bodies, %d each (%v)", st.Size(), len(rendered[0]), err)
	}
	for read := range 2 {
		if got := p.HTML(); got != rendered[1] {
			t.Fatalf("read %d of the spilled body: %.200s", read, got)
		}
		BodyRead(p)
	}
	if got := p.HTML(); got != "made anew" {
		t.Errorf("after its reads, the body is %.200s, not made anew", got)
	}
	// One not let go (as the preview keeps them) reads back each time.
	for read := range 3 {
		if got := held[2].HTML(); got != rendered[2] {
			t.Errorf("read %d of a body kept: %.200s", read, got)
		}
		BodyRead(held[2])
	}
	f.Close()
	for _, p := range []*Postmortem{held[0], held[2]} {
		if got := p.HTML(); got != "made anew" {
			t.Errorf("a body whose spill cannot be read is %.200s, not made anew", got)
		}
	}
}

// TestSameButBody: two parses of a file differ in their bodies alone when
// only the text of the body changed, not when a field did, nor when the
// lines of the timeline or of a reference moved. TakeBody then makes the
// old parse show the new body, and the body's reads by templates count
// again from none.
func TestSameButBody(t *testing.T) {
	src := "---\ntitle: Resolver\ndate: 2024-03-02\nseverity: SEV2\nroot_causes: [dns]\nsummary: The resolver stalled.\n---\n" +
		"The resolver failed.\n\nSee [[other]].\n\n## Timeline\n\n- 10:00 — Queries failed\n- 10:40 — Resolved\n"
	old, msgs := parse(t, src, nil)
	if old == nil {
		t.Fatal(msgs)
	}
	for _, tc := range []struct {
		name        string
		src         string
		same, moved bool
	}{
		{"a sentence added at the end", src + "\nWe learned a lot.\n", true, false},
		{"a word changed", strings.Replace(src, "failed.", "stalled.", 1), true, false},
		{"the same file", src, true, false},
		{"a line added at the start", strings.Replace(src, "The resolver failed.", "Intro.\n\nThe resolver failed.", 1), true, true},
		{"a word changed before a reference, on its line", strings.Replace(src, "See [[", "See also [[", 1), true, true},
		{"a timeline entry changed", strings.Replace(src, "Queries failed", "Queries stalled", 1), false, true},
		{"a reference added", src + "\nAnd [[third]].\n", false, true},
		{"the severity", strings.Replace(src, "SEV2", "SEV1", 1), false, true},
	} {
		p, msgs := parse(t, tc.src, nil)
		if p == nil {
			t.Fatalf("%s: %v", tc.name, msgs)
		}
		same, moved := SameButBody(old, p)
		if same != tc.same || same && moved != tc.moved {
			t.Errorf("%s: SameButBody is %v, %v, want %v, %v", tc.name, same, moved, tc.same, tc.moved)
		}
	}
	old.HTML() // as a template reads it
	edited, _ := parse(t, src+"\nWe learned a lot.\n", nil)
	TakeBody(old, edited)
	if !strings.Contains(string(BodyHTML(old)), "We learned a lot.") || HashOf(old) != HashOf(edited) {
		t.Errorf("after TakeBody, the old parse shows %q, hash %x, want the new body and hash %x", BodyHTML(old), HashOf(old), HashOf(edited))
	}
	if BodyShown(old) {
		t.Error("the new body counts as shown before any template read it")
	}
	if old.Text(); !BodyShown(old) {
		t.Error("Text did not mark the body as shown")
	}
	if p, _ := parse(t, src, nil); BodyText(p) == "" || BodyShown(p) {
		t.Error("BodyText read nothing, or marked the body as shown")
	}
	p, _ := parse(t, src, nil)
	if HashOf(p) == 0 || BodyShown(p) {
		t.Error("HashOf gave no hash, or marked the body as shown")
	}
	if p.Hash() != HashOf(p) || !BodyShown(p) {
		t.Error("Hash did not give the hash, or did not mark the body as shown: an edit of the body changes it")
	}
	moved, _ := parse(t, strings.Replace(src, "The resolver failed.", "Intro.\n\nThe resolver failed.", 1), nil)
	TakeBody(p, moved)
	if p.Timeline[0].Line != moved.Timeline[0].Line || p.Refs[0].Line != moved.Refs[0].Line || p.Refs[0].Line == 0 {
		t.Errorf("after TakeBody, the timeline is at line %d and the reference at %d, want %d and %d",
			p.Timeline[0].Line, p.Refs[0].Line, moved.Timeline[0].Line, moved.Refs[0].Line)
	}
}

// TestPlacesNotShown: what a body holds, printed whole or written as JSON
// (as a template writes it into a script), shows no line nor column, which
// an edit of the body alone may change.
func TestPlacesNotShown(t *testing.T) {
	for _, tc := range []struct {
		v    any
		text string // what it shows
	}{
		{[]timeline.Entry{{Time: time.Date(2024, 3, 2, 10, 0, 0, 0, time.UTC), Text: "Queries failed", Line: 4242}}, "Queries failed"},
		{[]markdown.Ref{{Slug: "other", Line: 4242, Col: 4343}}, "other"},
		{[]markdown.Link{{Dest: "d.svg", Image: true, Line: 4242, Col: 4343}}, "d.svg"},
		{[]ActionItem{{Title: "Fix it", Owner: "ana", Line: 4242}}, "Fix it"},
	} {
		data, err := json.Marshal(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{fmt.Sprint(tc.v), string(data)} {
			if strings.Contains(out, "4242") || strings.Contains(out, "4343") || !strings.Contains(out, tc.text) {
				t.Errorf("%T shows %s", tc.v, out)
			}
		}
	}
}
