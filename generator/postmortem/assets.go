package postmortem

import (
	"bytes"
	"path"
	"regexp"
	"strings"
)

// scriptedRE finds what runs a script in an SVG or XML file: a script
// element, an event attribute (onload=), a javascript: URL, or an element
// that holds another document.
var scriptedRE = regexp.MustCompile(`(?i)<script|<foreignobject|<iframe|<embed|<object|\son[a-z]+\s*=|javascript:`)

// Scripted says why a file of a page bundle would run a script in the
// site's origin once published, or "": a page or a script (.html, .js),
// or an SVG or XML file with a script in it. Such a file is published
// only where the site allows raw HTML (unsafe_html), as a body's own HTML
// is.
func Scripted(name string, data []byte) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs":
		return "a " + ext + " file runs as a page or a script of the site"
	case ".svg", ".xml", ".xsl":
		if scriptedRE.Match(data) || bytes.Contains(bytes.ToLower(data), []byte("<!entity")) {
			return "an " + strings.ToUpper(ext[1:]) + " file with a script in it (<script>, an on... attribute, a javascript: link, an embedded document) runs it on the site's origin when opened"
		}
	}
	return ""
}
