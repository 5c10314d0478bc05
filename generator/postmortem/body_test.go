package postmortem

import (
	"html/template"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/scratch"
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
