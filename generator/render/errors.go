package render

import (
	"cmp"
	"errors"
	"fmt"
	"html/template"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
)

// TemplateError is an error in a template of the theme: its file, as the
// theme names it (layouts/NAME.html, layouts/partials/NAME.html), the line
// and column (0 when not known), what went wrong there, and the page that
// was being rendered ("" while parsing).
type TemplateError struct {
	File      string
	Line, Col int
	Msg       string
	Page      string
}

func (e *TemplateError) Error() string {
	at := e.File
	if e.Line > 0 {
		at += ":" + strconv.Itoa(e.Line)
		if e.Col > 0 {
			at += ":" + strconv.Itoa(e.Col)
		}
	}
	if e.Page != "" {
		return fmt.Sprintf("%s: %s (rendering %s)", at, e.Msg, e.Page)
	}
	return at + ": " + e.Msg
}

// templateAtRE is where text/template says an error is: "template:
// NAME:LINE:COL: " when executing, "template: NAME:LINE: " when parsing.
// An error in a template another one calls holds both: the last is where
// it is.
var templateAtRE = regexp.MustCompile(`template: ([^:\s]+):(\d+)(?::(\d+))?: `)

// templateError returns err, from parsing or executing the template file
// of set (rendering page, when not ""), as a TemplateError at the file and
// line it names, else at file.
func templateError(err error, file, page string, set *template.Template) error {
	if te := (*TemplateError)(nil); errors.As(err, &te) {
		inner := *te // from a template a function of the page ran
		inner.Page = cmp.Or(inner.Page, page)
		return &inner
	}
	if he := (*template.Error)(nil); errors.As(err, &he) && he.ErrorCode != template.OK {
		return escapeError(he, set, file, page)
	}
	msg := err.Error()
	e := &TemplateError{File: file, Msg: msg, Page: page}
	all := templateAtRE.FindAllStringSubmatchIndex(msg, -1)
	if len(all) == 0 {
		return e
	}
	m := all[len(all)-1]
	e.File = templateFile(msg[m[2]:m[3]])
	e.Line, _ = strconv.Atoi(msg[m[4]:m[5]])
	if m[6] >= 0 {
		e.Col, _ = strconv.Atoi(msg[m[6]:m[7]])
	}
	e.Msg = msg[m[1]:]
	if strings.Contains(e.Msg, "in type *render.Shared") {
		e.Msg += "; a template run by .Shared (the site's header, footer and head) sees .Site and .Root only, the same on every page: show a page's own fields from base.html or a page template"
	}
	return e
}

// templateFile returns the theme's file that parsePages parsed as the
// template named name.
func templateFile(name string) string {
	if name == "base.html" || slices.Contains(Templates, name) {
		return path.Join("layouts", name)
	}
	return path.Join("layouts/partials", name)
}

// escapeError returns the TemplateError of e, an error html/template found
// as it escaped the templates of set for the template file: at the file
// and line of its node, looked for in every template of set (the escaper
// names the template it started from, which may be another), else of its
// name and line; in plain words for the errors a theme makes most.
func escapeError(e *template.Error, set *template.Template, file, page string) *TemplateError {
	out := &TemplateError{File: fileOf(set, e.Name), Line: e.Line, Msg: e.Description, Page: page}
	if e.Node != nil && set != nil {
		for _, t := range set.Templates() {
			if t.Tree == nil || !holds(t.Tree.Root, e.Node) {
				continue
			}
			loc, _ := t.Tree.ErrorContext(e.Node)
			if m := nodeAtRE.FindStringSubmatch(loc); m != nil {
				out.File = templateFile(m[1])
				out.Line, _ = strconv.Atoi(m[2])
				out.Col, _ = strconv.Atoi(m[3])
			}
			break
		}
	}
	switch e.ErrorCode {
	case template.ErrBadHTML:
		out.Msg = "a tag or attribute is not closed or is malformed (a quote missing?): " + strings.TrimPrefix(e.Description, "html/template: ")
	case template.ErrBranchEnd:
		out.Msg = "the branches of this {{if}}, {{with}} or {{range}} end in different places of the HTML: a quote, tag, comment or script string opened in one is not closed in it"
	case template.ErrEndContext:
		out.Msg = "the template ends inside a tag, attribute, comment or script string opened in it, or in a template it calls: close it"
		if called := calls(set, e.Name); len(called) > 0 {
			out.Msg += " (it calls " + strings.Join(called, ", ") + ")"
		} else if file != "" && file != out.File {
			// The escaper left nothing of the template to read: the
			// page's template is where it most likely is.
			out.Msg += " (this page's own templates are in " + file + ")"
		}
	case template.ErrRangeLoopReentry:
		out.Msg = "a {{range}} ends its body in another place of the HTML than it started: a quote, tag or script string opened in it is not closed in it"
	case template.ErrNoSuchTemplate:
		out.Msg = strings.TrimPrefix(e.Description, "html/template: ")
	}
	return out
}

// fileOf returns the theme's file of the template name of set: the file
// it was defined in.
func fileOf(set *template.Template, name string) string {
	if set != nil {
		if t := set.Lookup(name); t != nil && t.Tree != nil && t.Tree.ParseName != "" {
			return templateFile(t.Tree.ParseName)
		}
	}
	if path.Ext(name) == "" {
		name += ".html" // a partial of the default theme is defined in a file of its name
	}
	return templateFile(name)
}

// calls lists the files of the templates that the template name of set
// calls ({{template}}, {{block}}), sorted, each once.
func calls(set *template.Template, name string) []string {
	if set == nil {
		return nil
	}
	t := set.Lookup(name)
	if t == nil || t.Tree == nil {
		return nil
	}
	var files []string
	walk(t.Tree.Root, func(n parse.Node) bool {
		if c, ok := n.(*parse.TemplateNode); ok {
			files = append(files, fileOf(set, c.Name))
		}
		return true
	})
	slices.Sort(files)
	return slices.Compact(files)
}

// nodeAtRE is where parse.Tree.ErrorContext says a node is: "NAME:LINE:COL".
var nodeAtRE = regexp.MustCompile(`^([^:]+):(\d+):(\d+)$`)

// holds reports whether the parse tree under n holds the node target.
func holds(n, target parse.Node) bool {
	return !walk(n, func(m parse.Node) bool { return m != target })
}

// walk calls fn with n and each node under it, in order, until fn
// returns false; it reports whether fn never did.
func walk(n parse.Node, fn func(parse.Node) bool) bool {
	var kids []parse.Node
	switch n := n.(type) {
	case nil:
		return true
	case *parse.ListNode:
		if n == nil {
			return true
		}
		kids = n.Nodes
	case *parse.IfNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.RangeNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.WithNode:
		kids = []parse.Node{n.Pipe, n.List, n.ElseList}
	case *parse.ActionNode:
		kids = []parse.Node{n.Pipe}
	case *parse.TemplateNode:
		kids = []parse.Node{n.Pipe}
	case *parse.PipeNode:
		if n == nil {
			return true
		}
		for _, c := range n.Cmds {
			kids = append(kids, c)
		}
	case *parse.CommandNode:
		kids = n.Args
	}
	if !fn(n) {
		return false
	}
	for _, k := range kids {
		if !walk(k, fn) {
			return false
		}
	}
	return true
}
