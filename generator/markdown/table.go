package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// tableAlign writes the alignment of a GFM table column as a class of its
// cells (align-left, align-right, align-center) that the theme styles,
// instead of the align attribute HTML no longer has.
type tableAlign struct{}

// Extend turns goldmark's own alignment markup off and adds the classes.
func (tableAlign) Extend(m goldmark.Markdown) {
	m.Renderer().AddOptions(extension.WithTableCellAlignMethod(extension.TableCellAlignNone))
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(tableAlign{}, 200)))
}

// Transform sets the class of every aligned table cell.
func (tableAlign) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *east.TableCell:
			switch n.Alignment {
			case east.AlignLeft, east.AlignRight, east.AlignCenter:
				n.SetAttributeString("class", "align-"+n.Alignment.String())
			}
			return ast.WalkSkipChildren, nil
		case *ast.Paragraph, *ast.Heading, *ast.FencedCodeBlock, *ast.CodeBlock:
			return ast.WalkSkipChildren, nil // no table inside
		}
		return ast.WalkContinue, nil
	})
}
