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
type Internal struct{ ast.BaseBlock }

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

// strayFences warns of each line of src that would open an internal block
// (see fence) in a quote or a list item, where none opens: its text is
// shown as any other, in the public build too.
func strayFences(src []byte) []Warning {
	if !bytes.Contains(src, []byte(":::")) {
		return nil
	}
	var ws []Warning
	for n, line := range bytes.Split(src, []byte("\n")) {
		m := containerRE.FindIndex(line)
		if m == nil {
			continue
		}
		if opens, _ := fence(bytes.TrimRight(line[m[1]:], "\r")); opens {
			ws = append(ws, Warning{Line: n + 1,
				Msg: `"::: internal" in a quote or a list opens no internal block: its text is published in the public build too; put the block at the margin, outside the quote or list`})
		}
	}
	return ws
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
	out := make([]byte, 0, len(src))
	inside := false
	var code []byte // the fence of the code block open outside internal blocks, as the parser shields it
	for rest := src; len(rest) > 0; {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i+1], rest[i+1:]
		} else {
			rest = nil
		}
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
			inside = true
		case inside && closes:
			inside = false
		case !inside:
			out = append(out, line...)
			continue
		}
		if bytes.HasSuffix(line, []byte("\n")) {
			out = append(out, '\n')
		}
	}
	return out
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
	line, _ := reader.PeekLine()
	if opens, _ := fence(bytes.TrimRight(line, "\r\n")); !opens {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &Internal{}, parser.HasChildren
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
