package postmortem

import (
	"bytes"
	"compress/gzip"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scriptedRE finds what runs a script in an SVG or XML file written
// plainly: a script element, an event attribute (onload=), a javascript:
// URL, an element that holds another document, or an attribute the
// document's type adds. xmlScripted reads the file as a browser does, for
// what is written otherwise. A foreignObject (draw.io's labels) is
// read through like the rest, not refused whole.
var scriptedRE = regexp.MustCompile(`(?i)<script|<iframe|<embed|<object|\son[a-z]+\s*=|javascript:|<!attlist`)

// Scripted says why a file of a page bundle would run a script in the
// site's origin once published, or "": a page or a script (.html, .js),
// a style sheet for XML (.xsl), or an SVG, XML or other file of markup
// with a script in it, or that cannot be read as XML in UTF-8 to tell. A
// file of markup is told by its bytes, whatever its extension, as servers
// serve .xsd or .xhtm as XML that a browser runs. Such a file is published
// only where the site allows raw HTML (unsafe_html), as a body's own HTML
// is.
func Scripted(name string, data []byte) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".xsl", ".xslt":
		return "a " + ext + " file runs as a page or a script of the site"
	case ".svgz":
		z, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return "an SVGZ file that is not gzip cannot be told free of scripts"
		}
		plain, err := io.ReadAll(io.LimitReader(z, 64<<20))
		if err != nil {
			return "an SVGZ file that does not unpack cannot be told free of scripts"
		}
		if why := xmlScripted(plain); why != "" {
			return "an SVGZ" + why
		}
	case ".svg", ".xml":
		if why := xmlScripted(data); why != "" {
			return "an " + strings.ToUpper(ext[1:]) + why
		}
	default:
		if markup(data) {
			if why := xmlScripted(data); why != "" {
				return "a markup" + why
			}
		}
	}
	return ""
}

// markup reports whether data reads as XML or HTML to a browser that is
// told it is, or that guesses: after a byte order mark and white space
// (and the zero bytes of UTF-16 or UTF-32), it starts with "<". A binary
// format (PNG, PDF, a zip) is told at its first byte.
func markup(data []byte) bool {
	for _, bom := range [][]byte{{0xef, 0xbb, 0xbf}, {0xfe, 0xff}, {0xff, 0xfe}} {
		if bytes.HasPrefix(data, bom) {
			data = data[len(bom):]
			break
		}
	}
	for _, c := range data {
		switch c {
		case ' ', '\t', '\n', '\r', '\f', 0:
			continue
		}
		return c == '<'
	}
	return false
}

// xmlScripted says why the SVG or XML document data may run a script, as
// Scripted's message goes on (" file with ..."), or "".
func xmlScripted(data []byte) string {
	if scriptedRE.Match(data) || bytes.Contains(bytes.ToLower(data), []byte("<!entity")) {
		return scripted
	}
	// A browser reads other encodings (UTF-16) that the checks here do not.
	if !utf8.Valid(data) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return " file not in UTF-8 cannot be told free of scripts"
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.CharsetReader = func(label string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(label, "utf-8") || strings.EqualFold(label, "us-ascii") {
			return r, nil
		}
		return nil, errors.New("not UTF-8")
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return ""
		}
		if err != nil {
			return " file that does not read as XML cannot be told free of scripts (" + err.Error() + ")"
		}
		switch t := tok.(type) {
		case xml.Directive:
			// A default attribute declared in the document's type
			// (<!ATTLIST svg onload ...>) is one the browser adds.
			if bytes.Contains(bytes.ToUpper(t), []byte("ATTLIST")) {
				return scripted
			}
		case xml.ProcInst:
			if t.Target == "xml-stylesheet" {
				return scripted
			}
		case xml.StartElement:
			if runsElement[strings.ToLower(t.Name.Local)] {
				return scripted
			}
			for _, a := range t.Attr {
				if runsAttr(t.Name.Local, a) {
					return scripted
				}
			}
		}
	}
}

// scripted is how Scripted's message of a file with a script goes on.
const scripted = " file with a script in it (<script>, an on... attribute, a javascript: link, an embedded document or style sheet) runs it on the site's origin when opened"

// runsElement are the elements, in any namespace, that run a script or
// hold a document that may.
var runsElement = map[string]bool{"script": true, "iframe": true, "frame": true, "embed": true,
	"object": true, "applet": true, "handler": true, "listener": true, "base": true, "meta": true}

// runsAttr reports whether the attribute a of the element elem may run a
// script: an event handler (onload), a URL of a scheme that runs one, or
// an animation that sets an event handler or a link.
func runsAttr(elem string, a xml.Attr) bool {
	name := strings.ToLower(a.Name.Local)
	if strings.HasPrefix(name, "on") {
		return true
	}
	v := strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return -1
		}
		return r
	}, a.Value))
	for _, bad := range []string{"javascript:", "vbscript:", "data:text/html", "data:application/xhtml", "data:image/svg", "data:text/xml", "data:application/xml"} {
		if strings.Contains(v, bad) {
			return true
		}
	}
	switch strings.ToLower(elem) {
	case "animate", "set", "animatemotion", "animatetransform":
		return name == "attributename" && (strings.HasPrefix(v, "on") || strings.HasSuffix(v, "href"))
	}
	return false
}
