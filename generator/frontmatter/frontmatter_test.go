package frontmatter

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// TestBodyLines wants the body after the front matter, starting at the file
// line BodyLine, and every key at its line of the file, in each format.
func TestBodyLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		start     int // the opening fence's line
		keys      map[string]int
	}{
		{"yaml", "---\ntitle: t\n\ndate: 2023-01-02\n---\nBODY\nmore\n", 1, map[string]int{"title": 2, "date": 4}},
		{"yaml, blank lines first", "\n\n---\ntitle: t\n# a comment\ndate: 2023-01-02\n---\nBODY\n", 3, map[string]int{"title": 4, "date": 6}},
		{"yaml, plain shape", "---\ntitle: t\nroot_causes: [a, b]\n---\nBODY\n", 1, map[string]int{"title": 2, "root_causes": 3}},
		{"toml", "+++\ntitle = \"t\"\n\ndate = 2023-01-02\n+++\nBODY\n", 1, map[string]int{"title": 2, "date": 4}},
		{"json", "{\n  \"title\": \"t\",\n\t\"date\": \"2023-01-02\"\n}\n\nBODY\n", 1, map[string]int{"title": 2, "date": 3}},
		{"json, body right after the closing brace", "{\n  \"title\": \"a } in text\",\n  \"date\": \"2023-01-02\"\n}\nBODY\n", 1, map[string]int{"title": 2, "date": 3}},
		{"json on one line", "{\"title\": \"t\", \"date\": \"2023-01-02\"}\nBODY\n", 1, map[string]int{"title": 1, "date": 1}},
		{"yaml after a byte order mark", "\ufeff---\ntitle: t\ndate: 2023-01-02\n---\nBODY\n", 1, map[string]int{"title": 2, "date": 3}},
		{"json after a byte order mark", "\ufeff{\"title\": \"t\",\n\"date\": \"2023-01-02\"}\nBODY\n", 1, map[string]int{"title": 1, "date": 2}},
		{"yaml with CRLF line ends", "---\r\ntitle: t\r\ndate: 2023-01-02\r\n---\r\nBODY\r\n", 1, map[string]int{"title": 2, "date": 3}},
		{"json between ;;;", ";;;\n{\"title\": \"t\",\n\"date\": \"2023-01-02\"}\n;;;\nBODY\n", 1, map[string]int{"title": 2, "date": 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m, err := Read([]byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.ReplaceAll(tc.src, "\r\n", "\n"), "\n")
			if m.Start != tc.start {
				t.Errorf("Start = %d, want %d", m.Start, tc.start)
			}
			if first, _, _ := strings.Cut(strings.TrimLeft(string(m.Body), "\n"), "\n"); strings.TrimSuffix(first, "\r") != "BODY" {
				t.Errorf("body %q does not start with BODY", m.Body)
			}
			if got := lines[m.BodyLine-1+strings.Count(string(m.Body), "\n")-strings.Count(strings.TrimLeft(string(m.Body), "\n"), "\n")]; got != "BODY" {
				t.Errorf("BodyLine %d: the body's first line is not the file's line %d", m.BodyLine, m.BodyLine)
			}
			for i := 0; i+1 < len(m.Root.Content); i += 2 {
				k := m.Root.Content[i]
				if want := tc.keys[k.Value]; k.Line != want {
					t.Errorf("key %s at line %d, want %d", k.Value, k.Line, want)
				}
			}
		})
	}
}

// TestWholeBody wants the body to be the whole file after the front
// matter, byte for byte, however long it is and however the file ends.
func TestWholeBody(t *testing.T) {
	long := strings.Repeat("A line of the body, long enough to fill buffers.\n", 400)
	for _, tc := range []struct{ src, body string }{
		{"---\ntitle: t\n---\n" + long, long},
		{"+++\ntitle = \"t\"\n+++\n" + long + "no end of line", long + "no end of line"},
		{"---\ntitle: t\n---\nBODY", "BODY"},
		{"---\ntitle: t\n---", ""},
		{"# No front matter\n" + long, "# No front matter\n" + long},
	} {
		m, err := Read([]byte(tc.src))
		if err != nil {
			t.Fatalf("%.20q: %v", tc.src, err)
		}
		if string(m.Body) != tc.body {
			t.Errorf("%.20q: body of %d bytes, want %d: %.40q", tc.src, len(m.Body), len(tc.body), m.Body)
		}
	}
}

func TestNoFrontMatter(t *testing.T) {
	m, err := Read([]byte("# Just a title\n\ntext\n"))
	if err != nil || m.Root != nil || m.BodyLine != 1 || string(m.Body) != "# Just a title\n\ntext\n" {
		t.Errorf("Read of a file without front matter: root %v, body line %d, body %q, error %v", m.Root, m.BodyLine, m.Body, err)
	}
}

// TestErrors wants each error at the file line of the fault.
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		src, want string
	}{
		{"---\ntitle: t\n", "1:1: front matter: no closing ---"},
		{"\n+++\ntitle = 1\n", "2:1: front matter: no closing +++"},
		{"{\n\"title\": 1,\n\"date\": \"2023-01-02\"\n\nbody", "5:0: front matter: invalid JSON: invalid character 'b' after object key:value pair"},
		{"\n{\"title\": \"}\"", "2:1: front matter: no closing } of the JSON object"},
		{"{\n\"title\": 1\n\"date\": 2\n}\n", "3:0: front matter: invalid JSON: invalid character '\"' after object key:value pair"},
		{"{\"title\": 1} and text\n", "1:0: front matter: text after the } that closes the JSON object"},
		{"---\ntitle: t\ndate: [2023\n---\n", "3:7: front matter: invalid YAML: did not find expected ',' or ']': its bracket does not close on its line: close it, [a, b], or quote the value"},
		{"---\ntitle: t\n  bad: indent\n---\n", "3:3: front matter: invalid YAML: mapping values are not allowed in this context: no line above that it could belong to is indented by 2 spaces as this one is: indent it as the other keys of its mapping or list item"},
		{"---\ntitle: t\naction_items:\n  - title: A\n    owner: ana\n  - title: B\n   owner: bob\n    status: open\n---\n", "7:4: front matter: invalid YAML: did not find expected '-' indicator: no line above that it could belong to is indented by 3 spaces as this one is: indent it as the other keys of its mapping or list item"},
		{"---\ntitle: t\nsummary: |\n  Text\n    more text\nx:\n  a: 1\n b: 2\n---\n", "8:2: front matter: invalid YAML: did not find expected key: no line above that it could belong to is indented by 1 space as this one is: indent it as the other keys of its mapping or list item"},
		{"+++\ntitle = \"t\"\ndate = = 1\n+++\n", "3:0: front matter: invalid TOML"},
		{"---\n- a\n- b\n---\n", "2:1: front matter: expected key: value pairs"},
		{"---\nroot_causes: *nowhere\n---\n", "2:0: front matter: invalid YAML: unknown anchor 'nowhere' referenced"},
		// yaml.v3 names the line above a tab that indents; the error names the tab's own.
		{"---\ntitle: t\nactions:\n  - title: a\n\t- title: b\n---\n", "5:1: front matter: invalid YAML: found a tab character that violates indentation"},
		{"---\ntitle: t\nactions:\n  - title: a\n  \towner: b\n---\n", "5:3: front matter: invalid YAML: found a tab character"},
		{"---\ntitle: t\n\tdate: 2024-05-14\n---\n", "3:1: front matter: invalid YAML: found a tab character"},
	} {
		_, err := Read([]byte(tc.src))
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("Read(%q) = %v, want %s", tc.src, err, tc.want)
		}
	}
}

// tree writes the kind, tag, value and position of every node of a tree.
func tree(b *strings.Builder, n *yaml.Node, depth int) {
	fmt.Fprintf(b, "%*s%d %s %q %d:%d\n", depth*2, "", n.Kind, n.ShortTag(), n.Value, n.Line, n.Column)
	for _, c := range n.Content {
		tree(b, c, depth+1)
	}
}

// TestAliases wants each alias read as the value its anchor marks, at the
// alias's place, and merge keys merged, with keys written beside them
// winning.
func TestAliases(t *testing.T) {
	src := `---
services: &both [api, db]
root_causes: *both
defaults: &item
  owner: ana
  status: open
action_items:
  - *item
  - <<: *item
    title: b
    status: done
  - {title: c, <<: [{owner: bo}, *item]}
---
body
`
	m, err := Read([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var got strings.Builder
	tree(&got, m.Root, 0)
	want := `4 !!map "" 2:1
  8 !!str "services" 2:1
  2 !!seq "" 2:11
    8 !!str "api" 2:18
    8 !!str "db" 2:23
  8 !!str "root_causes" 3:1
  2 !!seq "" 3:14
    8 !!str "api" 2:18
    8 !!str "db" 2:23
  8 !!str "defaults" 4:1
  4 !!map "" 4:11
    8 !!str "owner" 5:3
    8 !!str "ana" 5:10
    8 !!str "status" 6:3
    8 !!str "open" 6:11
  8 !!str "action_items" 7:1
  2 !!seq "" 8:3
    4 !!map "" 8:5
      8 !!str "owner" 5:3
      8 !!str "ana" 5:10
      8 !!str "status" 6:3
      8 !!str "open" 6:11
    4 !!map "" 9:5
      8 !!str "owner" 5:3
      8 !!str "ana" 5:10
      8 !!str "title" 10:5
      8 !!str "b" 10:12
      8 !!str "status" 11:5
      8 !!str "done" 11:13
    4 !!map "" 12:5
      8 !!str "title" 12:6
      8 !!str "c" 12:13
      8 !!str "owner" 12:22
      8 !!str "bo" 12:29
      8 !!str "status" 6:3
      8 !!str "open" 6:11
`
	if got.String() != want {
		t.Errorf("tree:\n%s\nwant:\n%s", got.String(), want)
	}
}

// TestAliasBomb: aliases of aliases that would expand a few hundred bytes
// into gigabytes are refused at once, at the alias that goes past what
// aliases may add, or at the front matter; aliases used
// as people use them are read.
func TestAliasBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString("---\ntitle: Bomb\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 9; i++ {
		fmt.Fprintf(&b, "x%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	b.WriteString("---\nBody.\n")
	_, err := Read([]byte(b.String()))
	if err == nil || err.Line != 8 || !strings.Contains(err.Msg, "aliases (*name) add more than") {
		t.Errorf("a bomb of aliases: %v", err)
	}
	// Of values without bytes, the count of values stops it.
	_, err = Read([]byte(strings.ReplaceAll(b.String(), "lol", "[]")))
	if err == nil || err.Line != 2 || !strings.Contains(err.Msg, "aliases (*name) expand to more than") {
		t.Errorf("a bomb of empty lists: %v", err)
	}
	m, err := Read([]byte("---\nowners: &o [ana, bo]\nservices: *o\ntags: [*o, *o]\n---\n"))
	if err != nil || len(m.Root.Content) != 6 {
		t.Errorf("aliases as used: %v", err)
	}
}

// TestAliasBytes: aliases of one long value that would take gigabytes to
// read are refused at the alias that goes past what aliases may add, at
// once and without copying the value; aliases of a long value used a few
// times are read.
func TestAliasBytes(t *testing.T) {
	big := strings.Repeat("word ", 200_000) // 1 MB
	src := "---\ntitle: Big\nx: &s \"" + big + "\"\nauthors: [" + strings.TrimSuffix(strings.Repeat("*s, ", 20_000), ", ") + "]\n---\nBody.\n"
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Read([]byte(src))
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err == nil || err.Line != 4 || !strings.Contains(err.Msg, "aliases (*name) add more than") || !strings.Contains(err.Msg, "*s goes past") {
		t.Fatalf("20,000 aliases of 1 MB: %v", err)
	}
	// The fifth alias of 1 MB goes past the 4 MB that aliases may add.
	if want := len("authors: [*s, *s, *s, *s, ") + 1; err.Col != want {
		t.Errorf("at column %d, want %d, the fifth alias", err.Col, want)
	}
	if took > 5*time.Second || after.TotalAlloc-before.TotalAlloc > 200<<20 {
		t.Errorf("took %v and %d MB", took, (after.TotalAlloc-before.TotalAlloc)>>20)
	}
	m, err := Read([]byte("---\nx: &s \"" + big + "\"\nauthors: [*s, *s, *s]\n---\n"))
	if err != nil || len(m.Root.Content) != 4 {
		t.Errorf("three aliases of 1 MB: %v", err)
	}
}

// TestAliasLoop: an alias inside the value its anchor marks is an error at
// the alias, not a crash of the whole program.
func TestAliasLoop(t *testing.T) {
	for _, src := range []string{"---\ntitle: t\na: &x [1, *x]\n---\n", "---\ntitle: t\na: &x\n  b: *x\n---\n", "---\ntitle: t\na: &x\n  b: [[*x]]\n---\n"} {
		_, err := Read([]byte(src))
		if err == nil || err.Line < 3 || !strings.Contains(err.Msg, "the alias *x is inside the value its anchor &x marks") {
			t.Errorf("%q: %v", src, err)
		}
	}
}
