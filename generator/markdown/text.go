package markdown

import (
	"bytes"
	"html"
	"html/template"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// PlainText returns the text a reader sees in h, rendered by Render: its
// tags dropped and its entities decoded, each block on a line of its own,
// soft and hard line breaks as spaces, code as written, an image as its
// alternative text, a [[slug]] not yet resolved as its slug. The marks of
// footnotes (their numbers and the arrows back) are left out, as are the
// scripts and styles a site with unsafe HTML may hold.
//
// The text is made from the HTML when asked for, not kept beside it: at
// 100,000 postmortems the texts took 0.3 GB.
func PlainText(h template.HTML) string {
	s := string(h)
	var b strings.Builder
	b.Grow(len(s) / 2)
	pre := 0   // how many <pre> hold the text
	skip := "" // the element whose content is skipped, while in it
	depth := 0 // of the skipped element in itself
	for len(s) > 0 {
		lt := strings.IndexByte(s, '<')
		if lt < 0 {
			lt = len(s)
		}
		if skip == "" {
			writeText(&b, s[:lt], pre > 0)
		}
		s = s[lt:]
		if s == "" {
			break
		}
		if strings.HasPrefix(s, "<!--") {
			end := strings.Index(s, "-->")
			if end < 0 {
				break
			}
			s = s[end+3:]
			continue
		}
		gt := tagEnd(s)
		if gt < 0 {
			break
		}
		tag := s[1:gt]
		s = s[gt+1:]
		closing := strings.HasPrefix(tag, "/")
		name := strings.ToLower(tagName(strings.TrimPrefix(tag, "/")))
		if skip != "" {
			switch {
			case name != skip:
			case closing:
				depth--
				if depth == 0 {
					skip = ""
				}
			default:
				depth++
			}
			continue
		}
		switch {
		case closing:
		case name == "script", name == "style":
			// Their text is not markup: skip to the end tag as written.
			end := strings.Index(strings.ToLower(s), "</"+name)
			if end < 0 {
				return strings.TrimSpace(b.String())
			}
			s = s[end:]
			continue
		case strings.Contains(tag, `role="doc-noteref"`), strings.Contains(tag, `role="doc-backlink"`):
			skip, depth = name, 1
			continue
		case name == "img":
			writeText(&b, attr(tag, "alt"), false)
		case name == "br":
			b.WriteByte(' ')
		}
		if name == "pre" {
			if closing {
				pre = max(0, pre-1)
			} else {
				pre++
			}
		}
		if blocks[name] && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n") {
			b.WriteByte('\n')
		}
	}
	return strings.TrimSpace(b.String())
}

// tagEnd returns the index of the > that ends the tag s starts with, one
// in a quoted attribute value skipped; -1 when there is none.
func tagEnd(s string) int {
	quote := byte(0)
	for i := 1; i < len(s); i++ {
		switch c := s[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return -1
}

// writeText writes the text t of the HTML, decoded; its line breaks become
// spaces unless it is preformatted.
func writeText(b *strings.Builder, t string, pre bool) {
	if t == "" {
		return
	}
	if strings.IndexByte(t, '&') >= 0 {
		t = html.UnescapeString(t)
	}
	if !pre {
		if b.Len() == 0 || strings.HasSuffix(b.String(), "\n") || strings.HasSuffix(b.String(), " ") {
			t = strings.TrimLeft(t, "\n") // a break after a block or a <br>
		}
		t = strings.ReplaceAll(t, "\n", " ")
	}
	b.WriteString(t)
}

// tagName returns the name that a tag's text (between its brackets) starts
// with.
func tagName(tag string) string {
	if i := strings.IndexAny(tag, " \t\n/"); i >= 0 {
		return tag[:i]
	}
	return tag
}

// attr returns the value of the attribute name in a tag's text, as the
// renderer writes it (name="value"), "" when it has none.
func attr(tag, name string) string {
	_, v, ok := strings.Cut(tag, " "+name+`="`)
	if !ok {
		return ""
	}
	v, _, _ = strings.Cut(v, `"`)
	return v
}

// blocks are the elements whose text stands on lines of its own.
var blocks = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "dd": true, "details": true,
	"div": true, "dl": true, "dt": true, "figcaption": true, "figure": true, "footer": true, "h1": true,
	"h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true, "hr": true, "li": true,
	"ol": true, "p": true, "pre": true, "section": true, "summary": true, "table": true, "tbody": true,
	"td": true, "tfoot": true, "th": true, "thead": true, "tr": true, "ul": true,
}

// inline renders a line of Markdown for InlineText: as a paragraph
// whatever it starts with (no heading, quote, list or link definition),
// its raw HTML shown as text, as the body's is on a site without unsafe
// HTML.
var inline = goldmark.New(
	goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...))),
	goldmark.WithExtensions(extension.Strikethrough),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(util.Prioritized(escapeRaw{}, 100))),
)

// InlineText returns the text a reader sees in s, a line of Markdown such
// as a timeline entry's: "Fixed `robots.txt` **deployed**" is "Fixed
// robots.txt deployed", a link is its text.
func InlineText(s string) string {
	if !strings.ContainsAny(s, "`*_[]<>&\\~!") {
		return s // nothing to read as Markdown: most lines
	}
	var b bytes.Buffer
	// Indented, it would be code, which the paragraph parser leaves out.
	if err := inline.Convert([]byte(strings.TrimLeft(s, " \t")), &b); err != nil {
		return s
	}
	return strings.TrimSpace(PlainText(template.HTML(b.String())))
}
