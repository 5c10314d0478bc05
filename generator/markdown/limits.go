package markdown

import (
	"bytes"
	"fmt"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The limits below keep the work of a body linear in its size: goldmark
// passes every line through every open block, and measures the line's
// indentation again in each, so a list nested n deep costs n times each of
// its lines; and a language name is looked up among every lexer's file
// patterns. Beyond them, a body is rendered as text and a warning says so.
const (
	// MaxDepth is how deep lists, block quotes and footnotes nest. A list
	// or block quote that would open deeper is read as text.
	MaxDepth = 16
	// MaxLanguage is the longest language name of a code fence that is
	// looked up for highlighting; the longest that names a lexer is 20
	// bytes. A longer one is neither highlighted nor written as a class.
	MaxLanguage = 64
)

// Warning is a problem in a body that does not stop it from rendering.
type Warning struct {
	Line int // 1-based line of the body
	Col  int // 1-based column; 0 when unknown
	Msg  string
}

// limits records in a parser context where a body went past a limit.
type limits struct {
	deepLine int // 1-based line of the first block not nested deeper; 0 if none
	table    int // byte offset of the first table left as text; -1 if none
	cells    int // of the tables made so far
	marks    int // byte offset of the first block with too many marks; -1 if none
}

var limitsKey = parser.NewContextKey()

// capDepth is a block parser that opens nothing nested MaxDepth deep.
type capDepth struct{ parser.BlockParser }

func (c capDepth) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if depth(parent) >= MaxDepth {
		if l, _ := pc.Get(limitsKey).(*limits); l != nil && l.deepLine == 0 {
			line, _ := reader.Position()
			l.deepLine = line + 1
		}
		return nil, parser.NoChildren
	}
	return c.BlockParser.Open(parent, reader, pc)
}

// SetOption passes the parser's options on: the ATX heading parser takes
// the option that gives headings their ids.
func (c capDepth) SetOption(name parser.OptionName, value any) { setOption(c.BlockParser, name, value) }

func setOption(p any, name parser.OptionName, value any) {
	if o, ok := p.(parser.SetOptioner); ok {
		o.SetOption(name, value)
	}
}

// depth returns how many list items, block quotes and footnotes hold n,
// n included, counting no further than MaxDepth.
func depth(n ast.Node) int {
	d := 0
	for ; n != nil && d < MaxDepth; n = n.Parent() {
		switch n.Kind() {
		case ast.KindListItem, ast.KindBlockquote, east.KindFootnote:
			d++
		}
	}
	return d
}

// warnings returns the warnings of the body src parsed into doc with pc.
func warnings(doc ast.Node, src []byte, pc parser.Context) []Warning {
	var ws []Warning
	lines := lineCounter{src: src, line: 1}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if f, ok := n.(*ast.FencedCodeBlock); ok {
			if lang := f.Language(src); f.Info != nil && len(lang) > MaxLanguage {
				off := f.Info.Segment.Start
				line, col := lines.at(off)
				ws = append(ws, Warning{Line: line, Col: col, Msg: fmt.Sprintf(
					"code fence language name is %d bytes long: names over %d bytes are not looked up, the code is not highlighted", len(lang), MaxLanguage)})
			}
			if line, ok := unclosed(f, src, &lines); ok {
				ws = append(ws, Warning{Line: line, Msg: "a code block opens here and is never closed: the rest of the body is shown as code (close it with a line of the same fence, ``` or ~~~)"})
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	l, _ := pc.Get(limitsKey).(*limits)
	if l != nil && l.deepLine > 0 {
		ws = append(ws, Warning{Line: l.deepLine, Msg: fmt.Sprintf(
			"lists, block quotes and footnotes nest more than %d deep: deeper ones are shown as text", MaxDepth)})
	}
	if l != nil && l.marks >= 0 {
		line, _ := lines.at(l.marks)
		ws = append(ws, Warning{Line: line, Msg: fmt.Sprintf(
			"a paragraph, heading or table cell holds more than %d of * _ ~ ` [ ] <: shown as plain text, without links or emphasis", MaxMarks)})
	}
	if l != nil && l.table >= 0 {
		line, _ := lines.at(l.table)
		ws = append(ws, Warning{Line: line, Msg: fmt.Sprintf(
			"a table has more than %d cells, or more cells than bytes (by over %d: its rows lack cells the header has), or the body's tables more than %d: shown as text", MaxCells, MaxPadding, MaxBodyCells)})
	}
	return ws
}

// lineCounter turns byte offsets into lines and columns, counting the
// newlines once when asked in increasing order.
// unclosed reports whether the fenced code block f runs to the end of src
// without its closing fence, and the line that opens it. A block closed
// has its fence after its last line; one left open, only blanks.
func unclosed(f *ast.FencedCodeBlock, src []byte, lines *lineCounter) (int, bool) {
	end, open := -1, -1
	if f.Info != nil {
		end = f.Info.Segment.Stop
		open, _ = lines.at(f.Info.Segment.Start)
	}
	if n := f.Lines().Len(); n > 0 {
		first, last := f.Lines().At(0), f.Lines().At(n-1)
		if open < 0 {
			l, _ := lines.at(first.Start)
			open = l - 1
		}
		end = last.Stop
	}
	if open < 1 || end < 0 || end > len(src) || len(bytes.TrimSpace(src[end:])) > 0 {
		return 0, false
	}
	return open, true
}

type lineCounter struct {
	src       []byte
	off, line int // the line of byte off, which starts a line
}

// at returns the 1-based line and column of the byte at off.
func (c *lineCounter) at(off int) (line, col int) {
	if off < c.off {
		c.off, c.line = 0, 1
	}
	for {
		i := bytes.IndexByte(c.src[c.off:off], '\n')
		if i < 0 {
			break
		}
		c.off += i + 1
		c.line++
	}
	return c.line, off - c.off + 1
}

// blockParsers returns goldmark's block parsers, in its order, with the
// lists and block quotes capped in depth.
func blockParsers() []util.PrioritizedValue {
	return []util.PrioritizedValue{
		util.Prioritized(capHeading{parser.NewSetextHeadingParser()}, 100),
		util.Prioritized(parser.NewThematicBreakParser(), 200),
		util.Prioritized(capDepth{parser.NewListParser()}, 300),
		util.Prioritized(parser.NewListItemParser(), 400),
		util.Prioritized(parser.NewCodeBlockParser(), 500),
		util.Prioritized(capHeading{parser.NewATXHeadingParser()}, 600),
		util.Prioritized(parser.NewFencedCodeBlockParser(), 700),
		util.Prioritized(capDepth{parser.NewBlockquoteParser()}, 800),
		util.Prioritized(parser.NewHTMLBlockParser(), 900),
		util.Prioritized(parser.NewParagraphParser(), 1000),
	}
}

// footnotes is goldmark's footnote extension with its definitions capped
// in depth: a definition may hold another.
type footnotes struct{}

func (footnotes) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithBlockParsers(util.Prioritized(capDepth{extension.NewFootnoteBlockParser()}, 999)),
		parser.WithInlineParsers(util.Prioritized(extension.NewFootnoteParser(), 101)),
		parser.WithASTTransformers(util.Prioritized(extension.NewFootnoteASTTransformer(), 999)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500)))
}

// MaxPadding is how many cells a table may have beyond one a byte of its
// source: a row with fewer cells than the header gets empty ones, so a
// header of 10,000 columns over rows of "|x" made gigabytes.
const MaxPadding = 1000

// MaxCells is the most cells a table may have: each costs some 400 bytes
// of memory while the body is rendered, and a table of 5,000 columns in a
// file of 8 MB took 2 GB. A larger table is shown as text.
const MaxCells = 50_000

// MaxBodyCells is the most cells the tables of one body may have in all;
// the tables past it are shown as text. 120 tables of 48,000 cells had
// taken 2.9 GB.
const MaxBodyCells = 200_000

// tables is goldmark's table extension with tables of more than MaxCells
// cells, or whose cells outnumber their bytes by more than MaxPadding, left
// as text.
type tables struct{}

func (tables) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(
		parser.WithParagraphTransformers(util.Prioritized(capTable{extension.NewTableParagraphTransformer()}, 200)),
		parser.WithASTTransformers(util.Prioritized(extension.NewTableASTTransformer(), 0)),
	)
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(extension.NewTableHTMLRenderer(), 500)))
}

type capTable struct{ parser.ParagraphTransformer }

func (c capTable) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines, src := node.Lines(), reader.Source()
	for i := 1; i < lines.Len(); i++ {
		seg := lines.At(i)
		delim := bytes.TrimSpace(seg.Value(src))
		if !isDelimiterRow(delim) {
			continue
		}
		cols := bytes.Count(bytes.Trim(delim, "|"), []byte("|")) + 1
		first, last := lines.At(i-1), lines.At(lines.Len()-1)
		cells := cols * (lines.Len() - i)
		l, _ := pc.Get(limitsKey).(*limits)
		if cells > last.Stop-first.Start+MaxPadding || cells > MaxCells || l != nil && l.cells+cells > MaxBodyCells {
			if l != nil && l.table < 0 {
				l.table = first.Start
			}
			return
		}
		if l != nil {
			l.cells += cells
		}
		break
	}
	parent, prev := node.Parent(), node.PreviousSibling()
	c.ParagraphTransformer.Transform(node, reader, pc)
	// The table, if one was made, follows prev.
	first := parent.FirstChild()
	if prev != nil {
		first = prev.NextSibling()
	}
	capCells(first, src, pc)
}

// isDelimiterRow reports whether line may be the delimiter row of a table:
// dashes, colons, pipes and spaces, at least one dash. It accepts every row
// goldmark accepts, and more.
func isDelimiterRow(line []byte) bool {
	dash := false
	for _, b := range line {
		switch b {
		case '-':
			dash = true
		case '|', ':', ' ', '\t':
		default:
			return false
		}
	}
	return dash
}
