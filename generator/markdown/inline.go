package markdown

import (
	"html/template"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxMarks is the most marks (* _ ~ ` [ ] <) a paragraph, heading or table
// cell may hold and still be read for emphasis, links and code: goldmark
// matches them in time that grows with their square (a paragraph of
// "[a](b" 40,000 times took 19 s, of "*a_ " 12 s). A block with more is
// shown as plain text.
const MaxMarks = 500

// marks counts the marks of the lines of n, up to MaxMarks+1.
func marks(n ast.Node, src []byte) int {
	count := 0
	lines := n.Lines()
	for i := 0; i < lines.Len() && count <= MaxMarks; i++ {
		seg := lines.At(i)
		for _, b := range seg.Value(src) {
			switch b {
			case '*', '_', '~', '`', '[', ']', '<':
				count++
			}
		}
	}
	return count
}

// plainText is the text of a block with too many marks, kept as written
// in its lines: a raw block, which the inline parser does not read. It
// stands for a paragraph (para), or is the one child of a heading or a
// table cell.
type plainText struct {
	ast.BaseBlock
	para bool
}

var kindPlainText = ast.NewNodeKind("PlainText")

func (n *plainText) Kind() ast.NodeKind { return kindPlainText }

func (n *plainText) IsRaw() bool { return true }

func (n *plainText) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// tooManyMarks reports whether n has more than MaxMarks marks, and notes
// the first such block for its warning.
func tooManyMarks(n ast.Node, src []byte, pc parser.Context) bool {
	if n.Lines().Len() == 0 || marks(n, src) <= MaxMarks {
		return false
	}
	if l, _ := pc.Get(limitsKey).(*limits); l != nil && l.marks < 0 {
		l.marks = n.Lines().At(0).Start
	}
	return true
}

// capMarks moves the lines of the heading or cell n into a plainText child
// when it has too many marks.
func capMarks(n ast.Node, src []byte, pc parser.Context) {
	if !tooManyMarks(n, src, pc) {
		return
	}
	t := &plainText{}
	t.SetLines(n.Lines())
	n.SetLines(text.NewSegments())
	n.AppendChild(n, t)
}

// capParagraph is a paragraph transformer that runs after the others, on
// what is left a paragraph.
type capParagraph struct{}

func (capParagraph) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	if !tooManyMarks(node, src, pc) {
		return
	}
	// Replaced, the paragraph is not closed: its spaces are trimmed here.
	t := &plainText{para: true}
	lines := node.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		seg = seg.TrimLeftSpace(src)
		if i == lines.Len()-1 {
			seg = seg.TrimRightSpace(src)
		}
		t.Lines().Append(seg)
	}
	node.Parent().ReplaceChild(node.Parent(), node, t)
}

// capRefs is a paragraph transformer that runs before goldmark reads link
// reference definitions ("[a]: url"), whose cost grows faster than their
// number: a paragraph that starts like one and holds too many marks is
// plain text. It is the last thing a paragraph with them can be but for a
// table, whose first line starts with "|" as a rule.
type capRefs struct{}

func (capRefs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	if lines := node.Lines(); lines.Len() > 0 {
		first := lines.At(0)
		if line := first.Value(reader.Source()); len(line) > 0 && line[0] == '[' {
			capParagraph{}.Transform(node, reader, pc)
		}
	}
}

// capHeading is a heading parser whose headings with too many marks are
// plain text.
type capHeading struct{ parser.BlockParser }

func (c capHeading) SetOption(name parser.OptionName, value any) {
	setOption(c.BlockParser, name, value)
}

func (c capHeading) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	c.BlockParser.Close(node, reader, pc)
	capMarks(node, reader.Source(), pc)
}

// capCells caps the marks of each cell of the tables among the children
// of parent from first on.
func capCells(first ast.Node, src []byte, pc parser.Context) {
	for n := first; n != nil; n = n.NextSibling() {
		if _, ok := n.(*east.Table); !ok {
			continue
		}
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if cell, ok := c.(*east.TableCell); ok && entering {
				capMarks(cell, src, pc)
				return ast.WalkSkipChildren, nil
			}
			return ast.WalkContinue, nil
		})
	}
}

// renderPlainText writes the lines of a plainText node, escaped.
type renderPlainText struct{}

func (renderPlainText) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(kindPlainText, func(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		t := n.(*plainText)
		if t.para {
			_, _ = w.WriteString("<p>")
		}
		lines := t.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			template.HTMLEscape(w, seg.Value(src))
		}
		if t.para {
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkSkipChildren, nil
	})
}
