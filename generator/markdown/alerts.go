package markdown

import (
	"bytes"
	"html/template"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// AlertKinds are the kinds of GitHub-style alerts, as written between "[!"
// and "]" in lower case, in the order GitHub documents them.
var AlertKinds = []string{"note", "tip", "important", "warning", "caution"}

// defaultAlertTitles are the titles of alerts when the renderer is given none.
var defaultAlertTitles = map[string]string{
	"note": "Note", "tip": "Tip", "important": "Important", "warning": "Warning", "caution": "Caution",
}

// Option is a setting of New.
type Option func(*options)

type options struct {
	alertTitles   map[string]string
	public        bool
	internalTitle string
	root          string                 // see SiteRoot
	fact          func(line string) bool // see FactLines
}

// AlertTitles sets the titles of alerts by kind (see AlertKinds), for a
// site written in another language than English. Kinds it lacks keep
// their English title.
func AlertTitles(titles map[string]string) Option {
	return func(o *options) { o.alertTitles = titles }
}

// KindAlert is the kind of Alert nodes.
var KindAlert = ast.NewNodeKind("Alert")

// Alert is a GitHub-style alert: a block quote at the top level of a
// document whose first line is "[!NOTE]", "[!TIP]", "[!IMPORTANT]",
// "[!WARNING]" or "[!CAUTION]", with the quote's other blocks as children.
type Alert struct {
	ast.BaseBlock
	// AlertKind is one of AlertKinds.
	AlertKind string
}

// Kind implements ast.Node.
func (*Alert) Kind() ast.NodeKind { return KindAlert }

// Dump implements ast.Node.
func (a *Alert) Dump(src []byte, level int) {
	ast.DumpHelper(a, src, level, map[string]string{"AlertKind": a.AlertKind}, nil)
}

// alerts turns block quotes that start with an alert marker into callouts:
// a div of class "callout callout-KIND" headed by the kind's title.
type alerts struct {
	titles map[string]string
}

// Extend adds the transformer and the renderer of alerts.
func (a alerts) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(a, 300)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(a, 300)))
}

// Transform replaces the alert block quotes of doc by Alert nodes. As on
// GitHub, alerts are not recognised inside other blocks, and a marker with
// nothing after it is left a block quote.
func (alerts) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	for n := doc.FirstChild(); n != nil; {
		next := n.NextSibling()
		if bq, ok := n.(*ast.Blockquote); ok {
			if kind, ok := alertOf(bq, src); ok {
				a := &Alert{AlertKind: kind}
				for c := bq.FirstChild(); c != nil; {
					cn := c.NextSibling()
					a.AppendChild(a, c)
					c = cn
				}
				doc.ReplaceChild(doc, bq, a)
			}
		}
		n = next
	}
}

// alertOf reports the kind of alert bq is, and strips its marker line.
func alertOf(bq *ast.Blockquote, src []byte) (string, bool) {
	para, ok := bq.FirstChild().(*ast.Paragraph)
	if !ok || para.Lines().Len() == 0 {
		return "", false
	}
	if _, ok := para.FirstChild().(*ast.Text); !ok {
		return "", false // a link, when the marker is also a reference's name
	}
	first := para.Lines().At(0)
	marker := bytes.TrimSpace(first.Value(src))
	if len(marker) < 4 || !bytes.HasPrefix(marker, []byte("[!")) || marker[len(marker)-1] != ']' {
		return "", false
	}
	kind := string(bytes.ToLower(marker[2 : len(marker)-1]))
	if _, known := defaultAlertTitles[kind]; !known {
		return "", false
	}
	if para.Lines().Len() == 1 {
		if para.NextSibling() == nil {
			return "", false // nothing but the marker
		}
		bq.RemoveChild(bq, para)
		return kind, true
	}
	// Drop the inline nodes of the marker line: its text, split where the
	// link parser looked for a reference.
	for c := para.FirstChild(); c != nil; {
		next := c.NextSibling()
		t, isText := c.(*ast.Text)
		if !isText || t.Segment.Start >= first.Stop {
			break
		}
		para.RemoveChild(para, c)
		c = next
	}
	lines := text.NewSegments()
	for i := 1; i < para.Lines().Len(); i++ {
		lines.Append(para.Lines().At(i))
	}
	para.SetLines(lines)
	return kind, true
}

// RegisterFuncs registers the renderer of Alert nodes.
func (a alerts) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindAlert, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		kind := n.(*Alert).AlertKind
		if !entering {
			_, _ = w.WriteString("</div>\n")
			return ast.WalkContinue, nil
		}
		title, ok := a.titles[kind]
		if !ok {
			title = defaultAlertTitles[kind]
		}
		// kind is one of AlertKinds, so safe in the attribute as it is.
		_, _ = w.WriteString(`<div class="callout callout-` + kind + `">` + "\n" + `<p class="callout-title">`)
		template.HTMLEscape(w, []byte(title))
		_, _ = w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	})
}
