package markdown

import (
	"bytes"
	"html/template"
	"regexp"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// An internal block is the text between a line "::: internal" and a line
// ":::", each at the margin (at most three spaces in), outside any other
// block: what a team keeps out of its public build. An internal build
// shows it marked as internal; a public build (the Public option) leaves
// it out of everything, HTML, text, summary and timeline, by blanking its
// lines before the body is read at all (Renderer.Visible). Without a
// closing line it runs to the end of the body.

// KindInternal is the kind of Internal nodes.
var KindInternal = ast.NewNodeKind("Internal")

// Internal is an internal block, its blocks as children.
type Internal struct {
	ast.BaseBlock
	at int // the offset of its opening line in the source
}

// Kind implements ast.Node.
func (*Internal) Kind() ast.NodeKind { return KindInternal }

// Dump implements ast.Node.
func (n *Internal) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// Public sets a renderer for a public build: internal blocks are left out.
func Public() Option { return func(o *options) { o.public = true } }

// InternalTitle sets the words that mark an internal block in an internal
// build, for a site written in another language than English.
func InternalTitle(title string) Option { return func(o *options) { o.internalTitle = title } }

// fence says whether line opens ("::: internal") or closes (":::") an
// internal block: the one rule of both the parser and Visible.
// Three colons or more, the word in any case: "::: Internal", ":::: internal".
func fence(line []byte) (opens, closes bool) {
	trimmed := bytes.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 || !bytes.HasPrefix(trimmed, []byte(":::")) {
		return false, false
	}
	rest := bytes.TrimSpace(bytes.TrimLeft(trimmed, ":"))
	return bytes.EqualFold(rest, []byte("internal")), len(rest) == 0
}

// containerRE is what opens a line in a quote or a list item: "> ",
// "- ", "1. ", and those nested.
var containerRE = regexp.MustCompile(`^[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)+`)

// strayFences warns of each line of src that reads as "::: internal" once
// its indentation and the marks of a quote or a list item are taken off,
// but opened no internal block, opened holding the lines of those that
// the parser opened; lines of fenced code blocks aside. Either its text is
// published in the public build too, or, inside a list item at most three
// spaces in, the public build leaves it out (see Visible) while the
// internal build shows it as text.
func strayFences(src []byte, opened map[int]bool) []Warning {
	if !bytes.Contains(src, []byte(":::")) {
		return nil
	}
	var ws []Warning
	var code []byte // the fence of the code block open
	for n, line := range bytes.Split(src, []byte("\n")) {
		line = bytes.TrimRight(line, "\r")
		if f := codeFence(line); code != nil || f != nil {
			switch {
			case code == nil:
				code = f
			case f != nil && f[0] == code[0] && len(f) >= len(code) && len(bytes.TrimSpace(line)) == len(f):
				code = nil
			}
			continue
		}
		rest := line
		if m := containerRE.FindIndex(line); m != nil {
			rest = line[m[1]:]
		}
		if opens, _ := fence(bytes.TrimLeft(rest, " \t")); !opens || opened[n+1] {
			continue
		}
		msg := `"::: internal" in a quote, a list or indented opens no internal block: its text is published in the public build too; put the block at the margin, outside the quote or list`
		if opens, _ := fence(line); opens {
			msg = `"::: internal" inside a list item opens no internal block: the internal build shows its lines as text, and the public build leaves them out; put the block at the margin, after a blank line, outside the list`
		}
		ws = append(ws, Warning{Line: n + 1, Msg: msg})
	}
	return ws
}

// openedLines returns the lines of src on which the internal blocks of doc
// open.
func openedLines(doc ast.Node, src []byte) map[int]bool {
	var opened map[int]bool
	at := newLines(src)
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if in, ok := n.(*Internal); ok {
			if opened == nil {
				opened = map[int]bool{}
			}
			line, _ := at.of(in.at)
			opened[line] = true
		}
	}
	return opened
}

// codeFence returns the fence (``` or ~~~, three or more) that line opens
// or closes a fenced code block with, at the margin (at most three spaces
// in), or nil.
func codeFence(line []byte) []byte {
	trimmed := bytes.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 || len(trimmed) < 3 || trimmed[0] != '`' && trimmed[0] != '~' {
		return nil
	}
	n := len(trimmed) - len(bytes.TrimLeft(trimmed, string(trimmed[:1])))
	if n < 3 {
		return nil
	}
	return trimmed[:n]
}

// Visible returns src with the lines of its internal blocks blank when the
// renderer is for a public build, and src itself otherwise. Line numbers
// stay those of src.
func (r *Renderer) Visible(src []byte) []byte {
	if !r.public || !bytes.Contains(src, []byte(":::")) {
		return src
	}
	out, _ := hideInternal(src)
	return out
}

// Unclosed returns the line of src that opens an internal block which no
// line closes, so that it runs to the end of src; 0 when there is none.
func Unclosed(src []byte) int {
	if !bytes.Contains(src, []byte(":::")) {
		return 0
	}
	_, open := hideInternal(src)
	return open
}

// hideInternal returns src with the lines of its internal blocks blank,
// and the line of the opening fence of a block still open at its end, or
// 0.
func hideInternal(src []byte) (out []byte, open int) {
	out = make([]byte, 0, len(src))
	inside := false
	var code []byte // the fence of the code block open outside internal blocks, as the parser shields it
	for n, rest := 0, src; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
		n++
		bare := bytes.TrimRight(line, "\r\n")
		if f := codeFence(bare); !inside && (code != nil || f != nil) {
			switch {
			case code == nil:
				code = f
			case f != nil && f[0] == code[0] && len(f) >= len(code) && len(bytes.TrimSpace(bare)) == len(f):
				code = nil
			}
			out = append(out, line...)
			continue
		}
		opens, closes := fence(bare)
		switch {
		case !inside && opens:
			inside, open = true, n
		case inside && closes:
			inside, open = false, 0
		case !inside:
			out = append(out, line...)
			continue
		}
		if bytes.HasSuffix(line, []byte("\n")) {
			out = append(out, '\n')
		}
	}
	return out, open
}

// internalBlocks parses and renders internal blocks.
type internalBlocks struct{ title string }

// Extend adds the parser and the renderer of internal blocks.
func (b internalBlocks) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(util.Prioritized(b, 90)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(b, 300)))
}

// Trigger implements parser.BlockParser.
func (internalBlocks) Trigger() []byte { return []byte{':'} }

// Open opens an internal block at the top level of the document.
func (internalBlocks) Open(parent ast.Node, reader text.Reader, _ parser.Context) (ast.Node, parser.State) {
	if parent.Kind() != ast.KindDocument {
		return nil, parser.NoChildren
	}
	line, seg := reader.PeekLine()
	if opens, _ := fence(bytes.TrimRight(line, "\r\n")); !opens {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &Internal{at: seg.Start}, parser.HasChildren
}

// Continue closes the block at its closing line.
func (internalBlocks) Continue(_ ast.Node, reader text.Reader, _ parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if _, closes := fence(bytes.TrimRight(line, "\r\n")); closes {
		reader.AdvanceToEOL()
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

// Close implements parser.BlockParser.
func (internalBlocks) Close(ast.Node, text.Reader, parser.Context) {}

// CanInterruptParagraph implements parser.BlockParser.
func (internalBlocks) CanInterruptParagraph() bool { return true }

// CanAcceptIndentedLine implements parser.BlockParser.
func (internalBlocks) CanAcceptIndentedLine() bool { return false }

// RegisterFuncs registers the renderer of Internal nodes: a div of class
// "internal", headed by the title.
func (b internalBlocks) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindInternal, func(w util.BufWriter, _ []byte, _ ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			_, _ = w.WriteString("</div>\n")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString(`<div class="internal">` + "\n" + `<p class="internal-title">`)
		template.HTMLEscape(w, []byte(b.title))
		_, _ = w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	})
}
