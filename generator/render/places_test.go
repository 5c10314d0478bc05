package render

import (
	"html/template"
	"testing"
)

// TestNamesPlaces wants a theme that names .Line or .Col anywhere, as a
// field of the dot, a variable or a chain, or calls printf, found, and no
// other.
func TestNamesPlaces(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want bool
	}{
		{`{{range .PM.Timeline}}{{.Line}}{{end}}`, true},
		{`{{range $e := .PM.Refs}}{{$e.Col}}{{end}}`, true},
		{`{{(index .PM.Timeline 0).Line}}`, true},
		{`{{with .PM}}{{if .Draft}}{{else}}{{range .ActionItems}}{{printf "%d" .Line}}{{end}}{{end}}{{end}}`, true},
		{`{{define "x"}}{{.}}{{end}}{{template "x" .PM.Links}}{{template "x" (index .PM.Links 0).Line}}`, true},
		{`{{printf "%v" .PM.Title}}`, true},
		{`{{.PM.Lines.Of "title"}} {{.PM.BodyLine}} {{.PM.SlugLine}}`, false},
		{`{{.PM.Timeline}} {{range .PM.Refs}}{{.Slug}}{{end}} {{$.Links .RootCauseLinks "" " "}}`, false},
	} {
		tmpl, err := template.New("page.html").Parse(tc.src)
		if err != nil {
			t.Fatal(err)
		}
		if got := namesPlaces(map[string]*template.Template{"page.html": tmpl}); got != tc.want {
			t.Errorf("%s: namesPlaces is %v, want %v", tc.src, got, tc.want)
		}
	}
}
