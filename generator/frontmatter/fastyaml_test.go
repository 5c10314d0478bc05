package frontmatter

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// plainShapes are front matter texts that plainYAML reads itself.
var plainShapes = []string{
	"title: t\n",
	"title: \"Outage: DNS #4\"\ndate: 2023-08-06\n",
	"title: 'it''s'\n", // not plain: yaml.v3 reads it
	"title: Plain text with \"quotes\" and it's fine   \nseverity: SEV1",
	"root_causes: [dns, \"api integration\", 'x y']\ntags: []\nservices: [ a ,b ]\n",
	"authors:\n  - ana\n  - \"bo\"\n\n  - 'cy'\nstatus: final\n",
	"authors:\n- ana\n- bo\nstatus: final\n",
	"summary:\ndraft: true\nslug: ~\nx: null\ny: NULL\nz: 12\nw: 1.5\nv: yes\n",
	"action_items:\n  - title: \"Roll back\"\n    owner: kemi\n    status: open\n    due: 2023-10-08\n  - title: b\n    url: https://example.com/a?b=c\n  - plain item\n",
	"action_items:\n- title: a\n  owner: b\n- title: c\ndate: 2023-01-01\n",
	"title: Café crème\nroot_causes: [thé, café, naïve]\n",
	"\n\ntitle: after blanks\n\n\n",
	"title: t\ntitle: again\n",
	"key_2: v\nroot-cause: x\n",
	"true: x\nFalse: y\nnull: z\nNULL: w\nitems:\n  - true: a\n", "k: why? because\n",
}

// notPlain are texts plainYAML must leave to yaml.v3.
var notPlain = []string{
	"", "\n\n", "# comment\ntitle: t\n", "title: t # comment\n", "title: \"a\\\"b\"\n", "title: |\n  text\n",
	"title: >\n  text\n", "a: &x 1\nb: *x\n", "parent:\n  child: 1\n", "title: a\n  continued\n", "title:\ttab\n",
	"list:\n  - [a]\n", "list:\n  -\n", "items:\n  - a: 1\n      b: 2\n", "items:\n  - a:\n", "m: {a: 1}\n",
	"t: a: b\n", "t: \"open\n", "title: t\r\n", "- a\n- b\n", "k: [a, b,]\n", "k: [a b\n", "k: [a] x\n",
	"k: 'a'b\n", "?x: 1\n", "title: \"a\" x\n", "k: -1\n", "k:x\n", "1k: v\n", "k: [a, [b]]\n",
	"items:\n  - a: 1\n  b: 2\n",
	"k: a\u2028b\n", "k: a\u0085b\n", "k: 'a\u2029b'\nd: x\n", "k: [a?b]\n", "k: [a ?b]\n", "k: [a?]\n", "k: [a:b]\n", "k: <<\n",
}

// describeTree writes every field of every node of a tree: kind, style,
// tag as set (not as resolved), value, anchor, comments and position.
func describeTree(b *strings.Builder, n *yaml.Node, depth int) {
	fmt.Fprintf(b, "%*s%d %d %q %q %q %q %q %q %d:%d %v\n", depth*2, "", n.Kind, n.Style, n.Tag, n.Value, n.Anchor,
		n.HeadComment, n.LineComment, n.FootComment, n.Line, n.Column, n.Alias != nil)
	for _, c := range n.Content {
		describeTree(b, c, depth+1)
	}
}

// checkPlainYAML fails when plainYAML reads src other than yaml.v3 does.
func checkPlainYAML(t *testing.T, src string) bool {
	t.Helper()
	got := plainYAML([]byte(src))
	if got == nil {
		return false
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("plainYAML read %q, which yaml.v3 rejects: %v", src, err)
	}
	var want, have strings.Builder
	describeTree(&want, doc.Content[0], 0)
	describeTree(&have, got, 0)
	if want.String() != have.String() {
		t.Fatalf("plainYAML(%q):\n%s\nyaml.v3:\n%s", src, have.String(), want.String())
	}
	return true
}

func TestPlainYAML(t *testing.T) {
	for _, src := range plainShapes {
		if !checkPlainYAML(t, src) && !strings.Contains(src, "''") {
			t.Errorf("plainYAML(%q) left it to yaml.v3", src)
		}
	}
	for _, src := range notPlain {
		if plainYAML([]byte(src)) != nil {
			t.Errorf("plainYAML(%q) read it; it is yaml.v3's to read", src)
		}
	}
}

// FuzzPlainYAML checks that whatever plainYAML reads, it reads as yaml.v3.
func FuzzPlainYAML(f *testing.F) {
	for _, s := range append(plainShapes, notPlain...) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) { checkPlainYAML(t, src) })
}
