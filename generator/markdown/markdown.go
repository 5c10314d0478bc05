// Package markdown holds the Markdown renderer of postmortem bodies:
// CommonMark with GFM, footnotes, heading anchors, GitHub-style alerts and
// build-time highlighting.
package markdown

import (
	"bufio"
	"bytes"
	"cmp"
	"html/template"
	"io"
	"strings"
	"sync"

	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer turns Markdown into HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	public bool // internal blocks are left out (see Visible)
	unsafe bool // raw HTML and every link are kept as written
	root   string
	fact   func(line string) bool
}

// FactLines sets what tells a line that states a fact of the incident
// ("**Date:** March 3, 2024"): a paragraph of such lines alone is not the
// first paragraph of Result, which is the summary when the front matter
// gives none.
func FactLines(is func(line string) bool) Option { return func(o *options) { o.fact = is } }

// SiteRoot sets the relative path from the page a body is shown on to the
// site's root ("../"): a destination written from the root of the host
// ("/img/graph.png") is made relative, root and the rest, so that it
// leads to the site's own file when the site is published under a path
// (https://example.github.io/kb/) or opened from file://, and is checked
// as a relative one is. Without it, such a destination is kept as written.
func SiteRoot(root string) Option { return func(o *options) { o.root = root } }

// Result is a rendered body.
type Result struct {
	// HTML is the body; PlainText gives its text.
	HTML template.HTML
	// FirstParagraph is the plain text of the first paragraph.
	FirstParagraph string
	// FirstParagraphRefs is the HTML of the first paragraph when it names
	// a postmortem by a [[slug]] without text of its own, "" otherwise:
	// PlainText of it, once Resolve gave the titles, is the paragraph as
	// the page reads.
	FirstParagraphRefs template.HTML
	// Warnings are where the body went past a limit (see MaxDepth).
	Warnings []Warning
	// Refs are the references to other postmortems, in the order of the
	// body: HTML holds marked links in their place until Resolve replaces
	// them.
	Refs []Ref
	// Links are the links and images to files of the site, in order.
	Links []Link
}

// New returns a renderer. Raw HTML in the source is escaped and shown as text
// unless unsafe is set.
func New(unsafe bool, opts ...Option) *Renderer {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	rendererOpts := []renderer.Option{html.WithXHTML(),
		renderer.WithNodeRenderers(util.Prioritized(newHighlight(), 100), util.Prioritized(renderPlainText{}, 100))}
	if unsafe {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	} else {
		rendererOpts = append(rendererOpts, renderer.WithNodeRenderers(util.Prioritized(escapeRaw{}, 100)))
	}
	md := goldmark.New(
		goldmark.WithParser(parser.NewParser(parser.WithBlockParsers(blockParsers()...),
			parser.WithInlineParsers(parser.DefaultInlineParsers()...),
			parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
			parser.WithParagraphTransformers(util.Prioritized(capRefs{}, 50), util.Prioritized(capParagraph{}, 1000)))),
		goldmark.WithExtensions(extension.Linkify, tables{}, extension.Strikethrough, extension.TaskList,
			tableAlign{}, alerts{titles: o.alertTitles}, internalBlocks{title: cmp.Or(o.internalTitle, "Internal")}, xrefs{}, footnotes{}),
		goldmark.WithParserOptions(parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(rebase{}, 100), util.Prioritized(linkList{}, 101))),
		goldmark.WithRendererOptions(rendererOpts...),
	)
	if !unsafe {
		md.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(defuse{}, 99)))
	}
	return &Renderer{md: md, public: o.public, unsafe: unsafe, root: o.root, fact: o.fact}
}

// writers are the bufio.Writers Render gives goldmark.
var writers = sync.Pool{New: func() any { return bufio.NewWriterSize(nil, 4096) }}

// Render renders src, its internal blocks left out in a public build.
// Relative link and image destinations get base put
// before them: a page bundle's page is not in the folder of its files.
func (r *Renderer) Render(src []byte, base string) (Result, error) {
	src = r.Visible(src)
	pc := parser.NewContext()
	pc.Set(baseKey, bases{page: base, root: r.root})
	pc.Set(limitsKey, &limits{table: -1, marks: -1})
	doc := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/2) // HTML is longer than its Markdown
	// goldmark writes through a bufio.Writer, and makes one of 4 KB per
	// call unless given one: one kept for the next body.
	w := writers.Get().(*bufio.Writer)
	defer func() {
		w.Reset(nil)
		writers.Put(w)
	}()
	w.Reset(&buf)
	if err := r.md.Renderer().Render(w, src, doc); err != nil {
		return Result{}, err
	}
	res := Result{HTML: template.HTML(buf.String()), Warnings: warnings(doc, src, pc)}
	if ws, ok := pc.Get(scriptKey).([]Warning); ok {
		res.Warnings = append(res.Warnings, ws...)
	}
	res.Warnings = append(res.Warnings, strayFences(src, openedLines(doc, src))...)
	res.Refs, _ = pc.Get(refsKey).([]Ref)
	res.Links, _ = pc.Get(linksKey).([]Link)
	// The first paragraph with text, not that of a list nor of an internal
	// block, so that the summary of both builds is the same: its text as
	// PlainText makes it, so that the body's text holds it as it is.
	err := ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering || n.Kind() != ast.KindParagraph {
			return ast.WalkContinue, nil
		}
		if k := n.Parent().Kind(); k == ast.KindListItem || k == KindInternal || r.facts(n, src) {
			return ast.WalkSkipChildren, nil
		}
		buf.Reset()
		w.Reset(&buf)
		if err := r.md.Renderer().Render(w, src, n); err != nil {
			return ast.WalkStop, err
		}
		if t := PlainText(template.HTML(buf.String())); t != "" {
			res.FirstParagraph = t
			if strings.Contains(buf.String(), markTitle) {
				res.FirstParagraphRefs = template.HTML(buf.String())
			}
			return ast.WalkStop, nil
		}
		return ast.WalkSkipChildren, nil
	})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// facts reports whether every line of the paragraph n states a fact (see
// FactLines).
func (r *Renderer) facts(n ast.Node, src []byte) bool {
	lines := n.Lines()
	if r.fact == nil || lines.Len() == 0 {
		return false
	}
	for i := range lines.Len() {
		if seg := lines.At(i); !r.fact(string(seg.Value(src))) {
			return false
		}
	}
	return true
}

// SyntaxCSS writes the stylesheet of the highlighting classes: a light style,
// and a dark one for readers who prefer it.
func SyntaxCSS(w io.Writer) error {
	f := chromahtml.New(chromahtml.WithClasses(true))
	if err := f.WriteCSS(w, styles.Get("github")); err != nil {
		return err
	}
	if _, err := io.WriteString(w, "@media (prefers-color-scheme: dark) {\n"); err != nil {
		return err
	}
	if err := f.WriteCSS(w, styles.Get("github-dark")); err != nil {
		return err
	}
	_, err := io.WriteString(w, "}\n")
	return err
}

// escapeRaw renders raw HTML as escaped text, so that it shows as written
// and never runs.
type escapeRaw struct{}

func (escapeRaw) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			segs := n.(*ast.RawHTML).Segments
			for i := 0; i < segs.Len(); i++ {
				seg := segs.At(i)
				template.HTMLEscape(w, seg.Value(src))
			}
		}
		return ast.WalkSkipChildren, nil
	})
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		b := n.(*ast.HTMLBlock)
		_, _ = w.WriteString("<p>")
		lines := b.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			template.HTMLEscape(w, seg.Value(src))
		}
		if b.HasClosure() {
			template.HTMLEscape(w, b.ClosureLine.Value(src))
		}
		_, _ = w.WriteString("</p>\n")
		return ast.WalkSkipChildren, nil
	})
}

var (
	baseKey    = parser.NewContextKey()
	writtenKey = parser.NewContextKey()
)

// bases are what rebase puts before destinations: page before a relative
// one (the bundle's folder), root in place of the slash of one written
// from the root of the host (see SiteRoot).
type bases struct{ page, root string }

// rebase puts the bases of the parser context before destinations, and
// notes what each it changed was as written, by node.
type rebase struct{}

func (rebase) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	b, _ := pc.Get(baseKey).(bases)
	if b.page == "" && (b.root == "" || !mayRoot(reader.Source())) {
		return // most bodies: no walk of the tree
	}
	written := map[ast.Node]string{}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		var dest *[]byte
		switch n := n.(type) {
		case *ast.Link:
			dest = &n.Destination
		case *ast.Image:
			dest = &n.Destination
		default:
			return ast.WalkContinue, nil
		}
		if d := rebased(b, *dest); string(d) != string(*dest) {
			written[n], *dest = string(*dest), d
		}
		return ast.WalkContinue, nil
	})
	pc.Set(writtenKey, written)
}

// mayRoot is a quick test for a source whose links may lead from the root
// of the host: a "]" followed by "(/" or by ":" and "/", blanks and a "<"
// aside.
func mayRoot(src []byte) bool {
	for i := bytes.IndexByte(src, ']'); i >= 0; {
		rest := bytes.TrimLeft(src[i+1:], " \t\r\n\v\f") // any space a destination may follow
		if len(rest) > 0 && (rest[0] == '(' || rest[0] == ':') {
			if r := bytes.TrimLeft(rest[1:], " \t\r\n\v\f<"); len(r) > 0 && r[0] == '/' {
				return true
			}
		}
		j := bytes.IndexByte(src[i+1:], ']')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// rebased returns dest under b.page when dest is a relative path, and
// from b.root when it is written from the root of the host: "/x", not
// "//host/x".
func rebased(b bases, dest []byte) []byte {
	d := string(dest)
	switch {
	case b.root != "" && strings.HasPrefix(d, "/") && !strings.HasPrefix(d, "//"):
		return []byte(b.root + d[1:])
	case b.page == "" || !relativePath(d):
		return dest
	}
	return []byte(strings.TrimSuffix(b.page, "/") + "/" + d)
}

// relativePath reports whether dest is a relative path: not empty, not
// absolute, not only a #fragment or ?query, and with no scheme.
func relativePath(dest string) bool {
	if dest == "" || strings.HasPrefix(dest, "/") || strings.HasPrefix(dest, "#") || strings.HasPrefix(dest, "?") {
		return false
	}
	i := strings.IndexAny(dest, ":/?#")
	return i < 0 || dest[i] != ':'
}
