package postmortem

import (
	"html/template"
	"strings"
	"testing"
)

// TestHeldBody wants a body held compressed to read as it was rendered,
// and a body let go after its counted reads to be made anew by its again.
func TestHeldBody(t *testing.T) {
	src := "---\ntitle: Held\ndate: 2024-03-02\nseverity: SEV2\nroot_causes: [dns]\n---\n\n" +
		strings.Repeat("The resolver <dropped> & retried *every* query.\n\n", 40)
	p, msgs := parse(t, src, nil)
	if len(msgs) > 0 {
		t.Fatal(msgs)
	}
	rendered := p.HTML()
	if !strings.Contains(string(rendered), "&lt;dropped&gt; &amp; retried <em>every</em>") {
		t.Fatalf("the body renders as %.200s", rendered)
	}
	DropBody(p, 2, func() template.HTML { return "made anew" })
	PackBody(p)
	if p.body.html != "" || len(p.body.packed) == 0 || len(p.body.packed) > len(rendered)/4 {
		t.Errorf("packed, the body holds %d bytes of HTML and %d compressed, of %d", len(p.body.html), len(p.body.packed), len(rendered))
	}
	for read := range 2 {
		if got := p.HTML(); got != rendered {
			t.Fatalf("read %d of the packed body: %.200s", read, got)
		}
		BodyRead(p)
	}
	if got := p.HTML(); got != "made anew" {
		t.Errorf("after its reads, the body is %.200s, not made anew", got)
	}
}
