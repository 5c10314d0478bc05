package render

import (
	"bytes"
	"flag"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/timeline"
)

var update = flag.Bool("update", false, "write the Themes section of README.md again from the package documentation")

// contract returns the package documentation from its first heading on: the
// contract of a theme.
func contract(t *testing.T) *comment.Doc {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	var p comment.Parser
	d := p.Parse(f.Doc.Text())
	for i, b := range d.Content {
		if _, ok := b.(*comment.Heading); ok {
			return &comment.Doc{Content: d.Content[i:], Links: d.Links}
		}
	}
	t.Fatal("doc.go has no heading")
	return nil
}

// TestContractComplete wants every field and method of the template data,
// every template function and every page template named in the package
// documentation.
func TestContractComplete(t *testing.T) {
	text := string((&comment.Printer{}).Text(contract(t)))
	types := []reflect.Type{
		reflect.TypeFor[*Page](), reflect.TypeFor[*Shared](), reflect.TypeFor[*Site](), reflect.TypeFor[*Taxonomy](),
		reflect.TypeFor[*Term](), reflect.TypeFor[*Link](), reflect.TypeFor[*Incident](), reflect.TypeFor[*Related](),
		reflect.TypeFor[*Fact](), reflect.TypeFor[*TimelineEntry](), reflect.TypeFor[*Fragment](), reflect.TypeFor[*TermLink](),
		reflect.TypeFor[*postmortem.Postmortem](), reflect.TypeFor[*postmortem.ActionItem](), reflect.TypeFor[*timeline.Entry](),
		reflect.TypeFor[*postmortem.ZoneNote](), reflect.TypeFor[*postmortem.Param](),
		reflect.TypeFor[*link.Totals](), reflect.TypeFor[*TaxonomyReport](), reflect.TypeFor[*TermReport](),
		reflect.TypeFor[*NearDuplicate](), reflect.TypeFor[*Pager](), reflect.TypeFor[*PageLink](),
		reflect.TypeFor[*LedgerView](), reflect.TypeFor[*OwnerItems](), reflect.TypeFor[*PostmortemItems](),
		reflect.TypeFor[*ActionView](), reflect.TypeFor[*StateLink](), reflect.TypeFor[*IncidentLink](),
	}
	for _, typ := range types {
		var names []string
		for i := range typ.Elem().NumField() {
			if f := typ.Elem().Field(i); f.IsExported() {
				names = append(names, f.Name)
			}
		}
		for i := range typ.NumMethod() {
			names = append(names, typ.Method(i).Name)
		}
		for _, n := range names {
			if !regexp.MustCompile(`\.` + n + `\b`).MatchString(text) {
				t.Errorf("the package documentation does not name .%s of %v", n, typ.Elem())
			}
		}
	}
	flat := strings.Join(strings.Fields(text), " ")
	for _, name := range slices.Concat(slices.Collect(maps.Keys(funcs)), slices.Collect(maps.Keys(wordFuncs(nil)))) {
		if !strings.Contains(flat, "- "+name+" ") && !strings.Contains(flat, "; "+name+" ") {
			t.Errorf("the package documentation does not list the template function %s", name)
		}
	}
	for _, name := range Templates {
		if !strings.Contains(text, name) {
			t.Errorf("the package documentation does not name the page template %s", name)
		}
	}
}

// The marks of the part of README.md made from the contract.
const (
	startMark = "<!-- From here to the end mark, made from generator/render/doc.go by go test ./generator/render -update: edit doc.go. -->\n"
	endMark   = "<!-- End of what doc.go makes. -->\n"
)

// TestREADMEThemes wants the part of README.md between the marks to be
// the contract of the package documentation, in Markdown.
func TestREADMEThemes(t *testing.T) {
	const readme = "../../README.md"
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	md := (&comment.Printer{HeadingLevel: 3}).Markdown(contract(t))
	// GitHub shows heading IDs as text.
	want := regexp.MustCompile(` \{#[^}]*\}\n`).ReplaceAll(md, []byte("\n"))
	start := bytes.Index(data, []byte(startMark))
	end := bytes.Index(data, []byte(endMark))
	if start < 0 || end < start {
		t.Fatalf("README.md lacks the marks of the part made from doc.go:\n%s%s", startMark, endMark)
	}
	start += len(startMark) + 1 // and a blank line
	if got := data[start:end]; bytes.Equal(got, append(want, '\n')) {
		return
	}
	if *update {
		out := slices.Concat(data[:start], want, []byte("\n"), data[end:])
		if err := os.WriteFile(readme, out, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the part of README.md made from doc.go differs from it: run go test ./generator/render -update")
}
