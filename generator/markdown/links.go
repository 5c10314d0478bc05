package markdown

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Link is a link or an image of a body whose destination is a relative
// path: a file of the site, unlike a link to another postmortem (Ref).
type Link struct {
	_ [0]func() // not comparable: eq in a template would compare Line and Col
	// Dest is the destination as the page has it: relative to the page,
	// with the base of Render before it, and its #fragment or ?query.
	Dest  string
	Image bool
	// Written is the destination as the body writes it: Dest, or what
	// Dest was made from ("diagram.png" in a bundle, "/img/graph.png").
	Written string
	// Line and Col are where the link starts in the body, from 1; Col
	// counts characters.
	Line, Col int
}

// FilePath returns the file a link's destination dest names: without its
// fragment and query, its escapes undone ("my%20graph.png#top" names
// "my graph.png").
func FilePath(dest string) string {
	dest, _, _ = strings.Cut(dest, "#")
	dest, _, _ = strings.Cut(dest, "?")
	if u, err := url.PathUnescape(dest); err == nil {
		dest = u
	}
	return dest
}

// String returns the link's destination: what a template shows of a link
// printed whole, without its place.
func (l Link) String() string { return l.Dest }

// MarshalJSON writes the link as encoding/json would, without its place:
// what a template writes of it into a script.
func (l Link) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Dest    string
		Image   bool
		Written string
	}{l.Dest, l.Image, l.Written})
}

var linksKey = parser.NewContextKey()

// linkList collects the links and images whose destination is a relative
// path, once rebase has rebased them.
type linkList struct{}

func (linkList) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	at := newLines(src)
	written, _ := pc.Get(writtenKey).(map[ast.Node]string)
	var links []Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var l Link
		switch n := n.(type) {
		case *ast.Link:
			l.Dest = string(n.Destination)
		case *ast.Image:
			l.Dest, l.Image = string(n.Destination), true
		default:
			return ast.WalkContinue, nil
		}
		if !relativePath(l.Dest) {
			return ast.WalkContinue, nil
		}
		l.Line, l.Col = at.of(n.Pos())
		l.Written = l.Dest
		if w, ok := written[n]; ok {
			l.Written = w
		}
		links = append(links, l)
		return ast.WalkContinue, nil
	})
	pc.Set(linksKey, links)
}

var scriptKey = parser.NewContextKey()

// defuse takes out, unless the renderer lets raw HTML through, each link
// and image whose destination could run a script (javascript:, and data:
// but for images), as the renderer tells them: a link becomes its text,
// an image its alternative text, rather than an element whose address was
// left empty (a link to the page itself). It warns of each.
type defuse struct{}

func (defuse) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	at := newLines(src)
	var found []ast.Node
	var ws []Warning
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest []byte
		what := "link"
		switch n := n.(type) {
		case *ast.Link:
			dest = n.Destination
		case *ast.Image:
			dest, what = n.Destination, "image"
		case *ast.AutoLink:
			dest = n.URL(src)
		default:
			return ast.WalkContinue, nil
		}
		// As the renderer reads it: with its character references
		// resolved ("&#106;avascript:").
		if html.IsDangerousURL(util.URLEscape(dest, true)) {
			line, col := at.of(n.Pos())
			ws = append(ws, Warning{Line: line, Col: col, Msg: fmt.Sprintf("%s %q is shown as its text: one that could run a script is left out (unsafe_html: true in postmortem.yaml keeps it)", what, dest)})
			found = append(found, n)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range found {
		parent := n.Parent()
		if a, ok := n.(*ast.AutoLink); ok {
			parent.InsertBefore(parent, n, ast.NewString(a.Label(src)))
		}
		for c := n.FirstChild(); c != nil; c = n.FirstChild() {
			parent.InsertBefore(parent, n, c)
		}
		parent.RemoveChild(parent, n)
	}
	pc.Set(scriptKey, ws)
}
