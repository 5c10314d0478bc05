package render

import (
	"cmp"
	"errors"
	"fmt"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
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
// (rendering page, when not ""), as a TemplateError at the file and line
// it names, else at file.
func templateError(err error, file, page string) error {
	if te := (*TemplateError)(nil); errors.As(err, &te) {
		inner := *te // from a template a function of the page ran
		inner.Page = cmp.Or(inner.Page, page)
		return &inner
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
