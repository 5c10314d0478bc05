package markdown

import (
	"strings"
	"testing"
)

func TestAlerts(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string // in this order
		not       []string
	}{
		{name: "note", src: "> [!NOTE]\n> Read this *first*.\n",
			want: []string{`<div class="callout callout-note">`, `<p class="callout-title">Note</p>`, "<p>Read this <em>first</em>.</p>", "</div>"},
			not:  []string{"<blockquote>", "[!NOTE]"}},
		{name: "every kind, any case", src: "> [!tip]\n> a\n\n> [!Important]\n> b\n\n> [!WARNING]\n> c\n\n> [!CAUTION]\n> d\n",
			want: []string{`callout-tip">`, "Tip</p>", `callout-important">`, "Important</p>", `callout-warning">`, "Warning</p>", `callout-caution">`, "Caution</p>"}},
		{name: "marker alone on its paragraph", src: "> [!WARNING]\n>\n> First.\n>\n> - item\n",
			want: []string{`<div class="callout callout-warning">`, "<p>First.</p>", "<li>item</li>", "</div>"}, not: []string{"[!WARNING]", "<p></p>"}},
		{name: "unknown kind stays a quote", src: "> [!DANGER]\n> x\n", want: []string{"<blockquote>", "[!DANGER]"}, not: []string{"callout"}},
		{name: "marker only stays a quote", src: "> [!NOTE]\n", want: []string{"<blockquote>"}, not: []string{"callout"}},
		{name: "marker not on the first line", src: "> Hello\n> [!NOTE]\n", want: []string{"<blockquote>"}, not: []string{"callout"}},
		{name: "nested quote is not an alert", src: "- > [!NOTE]\n  > x\n", want: []string{"<blockquote>"}, not: []string{"callout"}},
		{name: "content escaped", src: "> [!NOTE]\n> <script>alert(1)</script> & \"x\"\n",
			want: []string{"&lt;script&gt;alert(1)&lt;/script&gt; &amp;"}, not: []string{"<script>"}},
	}
	r := New(false)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := r.Render([]byte(tc.src), "")
			if err != nil {
				t.Fatal(err)
			}
			html := string(res.HTML)
			at := 0
			for _, w := range tc.want {
				i := strings.Index(html[at:], w)
				if i < 0 {
					t.Fatalf("HTML lacks %q after byte %d:\n%s", w, at, html)
				}
				at += i + len(w)
			}
			for _, w := range tc.not {
				if strings.Contains(html, w) {
					t.Errorf("HTML has %q:\n%s", w, html)
				}
			}
		})
	}
}

// TestAlertTitles checks that a site's own titles are used, and escaped.
func TestAlertTitles(t *testing.T) {
	r := New(false, AlertTitles(map[string]string{"note": "Hinweis <b>&</b>"}))
	res, err := r.Render([]byte("> [!NOTE]\n> x\n\n> [!TIP]\n> y\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`<p class="callout-title">Hinweis &lt;b&gt;&amp;&lt;/b&gt;</p>`, `<p class="callout-title">Tip</p>`} {
		if !strings.Contains(string(res.HTML), w) {
			t.Errorf("HTML lacks %q:\n%s", w, res.HTML)
		}
	}
}

func TestTableAlignment(t *testing.T) {
	res, err := New(false).Render([]byte("| a | b | c | d |\n| :- | -: | :-: | - |\n| 1 | 2 | 3 | 4 |\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	html := string(res.HTML)
	for _, w := range []string{`<th class="align-left">a</th>`, `<th class="align-right">b</th>`, `<th class="align-center">c</th>`, `<th>d</th>`,
		`<td class="align-left">1</td>`, `<td class="align-right">2</td>`, `<td class="align-center">3</td>`, `<td>4</td>`} {
		if !strings.Contains(html, w) {
			t.Errorf("HTML lacks %q:\n%s", w, html)
		}
	}
	if strings.Contains(html, "align=") || strings.Contains(html, "style=") {
		t.Errorf("cells carry an align attribute or a style:\n%s", html)
	}
}

// FuzzAlerts renders quotes that may or may not be alerts: the renderer
// must not fail, and raw HTML in them must stay text.
func FuzzAlerts(f *testing.F) {
	for _, s := range []string{"> [!NOTE]\n> x\n", "> [!WARNING]\n>\n> <script>x</script>\n", "> [!TIP]\n", "> [!note] y\n> z\n",
		"- > [!CAUTION]\n  > a\n", "> [!IMPORTANT]\n> | a |\n> | -: |\n> | 1 |\n"} {
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
	})
}
