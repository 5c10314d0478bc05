package markdown

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Ref is a reference from a body to another postmortem: [[slug]],
// [[slug|text]], or a relative link to its Markdown file. Which postmortem
// it names is known only once all are parsed; until then the rendered HTML
// holds a marked link in its place, which Resolve replaces.
type Ref struct {
	_ [0]func() // not comparable: eq in a template would compare Line and Col
	// Slug is the slug a [[slug]] names; "" for a link to a file.
	Slug string
	// Path is the Markdown file a link names, as written, relative to the
	// folder of the postmortem and without its #fragment; "" for [[slug]].
	// A postmortem's Refs have it from the site root; Written keeps it as
	// written.
	Path, Written string
	// Fragment is the #fragment of a link, with its "#", unescaped; ""
	// when none.
	Fragment string
	// Titled is set when the reference has no text of its own: it then
	// shows the title of the postmortem it names.
	Titled bool
	// Line and Col are where the reference starts in the body, from 1;
	// Col counts characters.
	Line, Col int
}

// String returns what the reference names, [[slug]] or the file and its
// fragment: what a template shows of a reference printed whole, without
// its place.
func (r Ref) String() string {
	if r.Path == "" {
		return "[[" + r.Slug + "]]"
	}
	return r.Path + r.Fragment
}

// MarshalJSON writes the reference as encoding/json would, without its
// place: what a template writes of it into a script.
func (r Ref) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Slug, Path, Fragment string
		Titled               bool
	}{r.Slug, r.Path, r.Fragment, r.Titled})
}

// Target is what a reference resolves to, for Resolve.
type Target struct {
	// URL is the link's destination, "" to show the text without a link
	// (the postmortem it names is not on the site).
	URL string
	// Title is the title of the postmortem, shown by a reference without
	// text of its own.
	Title string
}

// The rendered HTML marks each reference so that Resolve finds it, and
// reads well where it is not resolved: the opening tag of reference N is
// <a class="xref" data-ref="N" href="SLUG.html"> (no href for a link to a
// file, whose slug is not known yet), and the title a [[slug]] shows is
// <span data-ref-title="N">SLUG</span>. Raw HTML of the source is escaped,
// so only the renderer writes these.
const (
	markOpen  = `<a class="xref" data-ref="`
	markTitle = `<span data-ref-title="`
	endTitle  = `</span>`
)

// Resolve returns html, rendered by Render, with its references replaced
// by links to their targets: targets[i] is that of the result's Refs[i].
func Resolve(html template.HTML, targets []Target) template.HTML {
	s := string(html)
	if !strings.Contains(s, markOpen) && !strings.Contains(s, markTitle) {
		return html
	}
	var b strings.Builder
	b.Grow(len(s) + 32*len(targets))
	for {
		i, mark := strings.Index(s, markOpen), markOpen
		if j := strings.Index(s, markTitle); j >= 0 && (i < 0 || j < i) {
			i, mark = j, markTitle
		}
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		rest := s[i+len(mark):]
		q := strings.IndexByte(rest, '"')
		gt := strings.IndexByte(rest, '>')
		n, err := strconv.Atoi(rest[:max(q, 0)])
		if q < 0 || gt < q || err != nil || n < 0 || n >= len(targets) {
			// Not one of ours: leave it as it is.
			b.WriteString(mark)
			s = rest
			continue
		}
		t := targets[n]
		if mark == markTitle {
			end := strings.Index(rest, endTitle)
			if end < 0 {
				b.WriteString(mark)
				s = rest
				continue
			}
			b.WriteString(template.HTMLEscapeString(t.Title))
			s = rest[end+len(endTitle):]
			continue
		}
		if t.URL == "" {
			b.WriteString(`<a class="xref">`)
		} else {
			b.WriteString(`<a class="xref" href="`)
			b.WriteString(template.HTMLEscapeString(t.URL))
			b.WriteString(`">`)
		}
		s = rest[gt+1:]
	}
	return template.HTML(b.String())
}

// KindXRef is the kind of XRef nodes.
var KindXRef = ast.NewNodeKind("XRef")

// XRef is a reference to another postmortem; its children are its text,
// none when it shows the title of the postmortem it names.
type XRef struct {
	ast.BaseInline
	Ref Ref
	// N is the reference's position in the result's Refs.
	N int
}

// Kind implements ast.Node.
func (*XRef) Kind() ast.NodeKind { return KindXRef }

// Dump implements ast.Node.
func (x *XRef) Dump(src []byte, level int) {
	ast.DumpHelper(x, src, level, map[string]string{"Slug": x.Ref.Slug, "Path": x.Ref.Path}, nil)
}

var refsKey = parser.NewContextKey()

// xrefs parses [[slug]] and [[slug|text]], and turns relative links to
// Markdown files into references.
type xrefs struct{}

// Extend adds the parser, the transformer and the renderer of references.
func (x xrefs) Extend(m goldmark.Markdown) {
	// Before the link parser (200), which would read [[ as a bracket; the
	// transformer before rebase (100), which would rebase the file links.
	m.Parser().AddOptions(parser.WithInlineParsers(util.Prioritized(x, 199)),
		parser.WithASTTransformers(util.Prioritized(x, 99)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(x, 100)))
}

// Trigger implements parser.InlineParser.
func (xrefs) Trigger() []byte { return []byte{'['} }

// Parse reads [[slug]] or [[slug|text]] on one line. The slug has no
// brackets, bars or line breaks; the text no brackets.
func (xrefs) Parse(_ ast.Node, block text.Reader, _ parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if !bytes.HasPrefix(line, []byte("[[")) {
		return nil
	}
	end := bytes.Index(line, []byte("]]"))
	if end < 0 {
		return nil
	}
	inner := line[2:end]
	if bytes.ContainsAny(inner, "[]\n") {
		return nil
	}
	slug, label, hasText := bytes.Cut(inner, []byte("|"))
	slug = bytes.TrimSpace(slug)
	if len(slug) == 0 || bytes.ContainsAny(slug, " \t") {
		return nil
	}
	x := &XRef{Ref: Ref{Slug: string(slug)}}
	x.SetPos(seg.Start)
	if hasText {
		label = bytes.TrimSpace(label)
		if len(label) == 0 {
			return nil
		}
		start := seg.Start + 2 + bytes.Index(inner, label)
		x.AppendChild(x, ast.NewTextSegment(text.NewSegment(start, start+len(label))))
	} else {
		x.Ref.Titled = true
	}
	block.Advance(end + 2)
	return x
}

// Transform turns relative links to .md and .markdown files into XRef
// nodes, numbers the references in document order and puts them in the
// parser context.
func (xrefs) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	at := newLines(src)
	var refs []Ref
	var links []*ast.Link
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Image:
			// Its text is the image's alt text: a reference there
			// renders as no link, so it is none.
			return ast.WalkSkipChildren, nil
		case *XRef:
			n.N = len(refs)
			n.Ref.Line, n.Ref.Col = at.of(n.Pos())
			refs = append(refs, n.Ref)
		case *ast.Link:
			if p, frag, ok := markdownFile(string(n.Destination)); ok {
				links = append(links, n)
				x := &XRef{Ref: Ref{Path: p, Fragment: frag, Titled: !n.HasChildren()}, N: len(refs)}
				x.Ref.Line, x.Ref.Col = at.of(n.Pos())
				refs = append(refs, x.Ref)
				n.SetAttributeString("xref", x)
			}
		}
		return ast.WalkContinue, nil
	})
	for _, l := range links {
		v, _ := l.AttributeString("xref")
		x := v.(*XRef)
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			x.AppendChild(x, c)
			c = next
		}
		l.Parent().ReplaceChild(l.Parent(), l, x)
	}
	pc.Set(refsKey, refs)
}

// markdownFile reports whether dest is a relative path to a Markdown file,
// and returns it unescaped, and its fragment.
func markdownFile(dest string) (p, frag string, ok bool) {
	if !relativePath(dest) {
		return "", "", false
	}
	p, frag, _ = strings.Cut(dest, "#")
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	if frag != "" {
		frag = "#" + frag
	}
	if strings.Contains(p, "?") {
		return "", "", false
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	if !IsFile(p) {
		return "", "", false
	}
	return p, frag, true
}

// IsFile reports whether name is a Markdown file's: it ends in .md or
// .markdown, in any case (.MD, .Markdown), as Hugo reads them.
func IsFile(name string) bool {
	ext := path.Ext(name)
	return strings.EqualFold(ext, ".md") || strings.EqualFold(ext, ".markdown")
}

// lines gives the line and column, from 1, of offsets in one source. It
// counts from the offset asked for last when the next is after it, as
// those of a walk of the document are: a count from the start of the
// source for each made a body of many links take time in the square of
// its size.
type lines struct {
	src           []byte
	at, line, col int // the last offset asked for, and its line and column
}

func newLines(src []byte) *lines { return &lines{src: src, line: 1, col: 1} }

// of returns the line and column of offset.
func (l *lines) of(offset int) (int, int) {
	offset = min(max(offset, 0), len(l.src))
	if offset < l.at {
		l.at, l.line, l.col = 0, 1, 1
	}
	seg := l.src[l.at:offset]
	if i := bytes.LastIndexByte(seg, '\n'); i >= 0 {
		l.line += bytes.Count(seg, []byte("\n"))
		l.col = 1 + utf8.RuneCount(seg[i+1:])
	} else {
		l.col += utf8.RuneCount(seg)
	}
	l.at = offset
	return l.line, l.col
}

// RegisterFuncs registers the renderer of XRef nodes: the marked links that
// Resolve replaces.
func (xrefs) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindXRef, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		x := n.(*XRef)
		if !entering {
			_, _ = w.WriteString("</a>")
			return ast.WalkContinue, nil
		}
		num := strconv.Itoa(x.N)
		_, _ = w.WriteString(markOpen + num + `"`)
		if x.Ref.Slug != "" {
			_, _ = w.WriteString(` href="`)
			template.HTMLEscape(w, []byte(url.PathEscape(x.Ref.Slug)+".html"))
			_, _ = w.WriteString(`"`)
		}
		_, _ = w.WriteString(">")
		if x.Ref.Titled {
			_, _ = w.WriteString(markTitle + num + `">`)
			template.HTMLEscape(w, []byte(x.Ref.Slug+x.Ref.Path))
			_, _ = w.WriteString(endTitle)
		}
		return ast.WalkContinue, nil
	})
}
