package postmortem

import (
	"bytes"
	"compress/gzip"
	"testing"
	"unicode/utf16"
)

// evilXML is XML of no known extension that a browser runs a script of.
const evilXML = `<?xml version="1.0"?>
<root xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert('X')</h:script></root>`

// TestScripted: the files of a bundle that would run a script on the
// site's origin, however the script is written, are told; plain diagrams
// and images are not.
func TestScripted(t *testing.T) {
	utf16le := func(s string) []byte {
		b := []byte{0xff, 0xfe}
		for _, u := range utf16.Encode([]rune(s)) {
			b = append(b, byte(u), byte(u>>8))
		}
		return b
	}
	gz := func(s string) []byte {
		var b bytes.Buffer
		w := gzip.NewWriter(&b)
		w.Write([]byte(s))
		w.Close()
		return b.Bytes()
	}
	const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">`
	for _, tc := range []struct {
		name string
		data []byte
		runs bool
	}{
		{"plain.svg", []byte(svg + `<rect width="10" height="10"/><text>on time</text></svg>`), false},
		{"link.svg", []byte(svg + `<a xlink:href="https://example.com/"><rect/></a></svg>`), false},
		{"styled.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><data><item>one</item></data>`), false},
		{"image.png", []byte("\x89PNG<script>"), false},
		{"script.svg", []byte(svg + `<script>alert(1)</script></svg>`), true},
		{"prefixed.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>`), true},
		{"svgns.svg", []byte(`<x:svg xmlns:x="http://www.w3.org/2000/svg"><x:script>alert(1)</x:script></x:svg>`), true},
		{"entity.svg", []byte(svg + `<a xlink:href="&#106;avascript:alert(1)"><rect/></a></svg>`), true},
		{"split.svg", []byte(svg + `<a xlink:href="java&#x09;script:alert(1)"><rect/></a></svg>`), true},
		{"animate.svg", []byte(svg + `<a><set attributeName="xlink:href" to="jav&#x61;script:alert(1)"/><rect/></a></svg>`), true},
		{"handler.svg", []byte(svg + `<rect ONLOAD="alert(1)"/></svg>`), true},
		{"utf16.svg", utf16le(svg + `<script>alert(1)</script></svg>`), true},
		{"latin1.svg", []byte(`<?xml version="1.0" encoding="ISO-8859-1"?>` + svg + `<rect/></svg>`), true},
		{"sheet.xml", []byte(`<?xml-stylesheet type="text/xsl" href="x.xsl"?><data/>`), true},
		{"doc.xml", []byte(`<html xmlns="http://www.w3.org/1999/xhtml"><body><h:script xmlns:h="http://www.w3.org/1999/xhtml">x</h:script></body></html>`), true},
		{"broken.svg", []byte(svg + `<rect></svg>`), true},
		{"zipped.svgz", gz(svg + `<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>`), true},
		{"zipped-plain.svgz", gz(svg + `<rect/></svg>`), false},
		{"page.html", []byte("<p>hi</p>"), true},
		{"attlist.svg", []byte(`<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>` + "\n" + svg + `<rect/></svg>`), true},
		{"drawio.svg", []byte(svg + `<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml" style="color: red">Label</div></foreignObject></svg>`), false},
		{"drawio-iframe.svg", []byte(svg + `<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="x"/></foreignObject></svg>`), true},
		{"sheet.xsl", []byte("<xsl:stylesheet/>"), true},
		{"evil.xsd", []byte(evilXML), true},
		{"evil.rng", []byte(evilXML), true},
		{"evil.xhtm", []byte(evilXML), true},
		{"evil", []byte(evilXML), true},
		{"evil.txt", []byte("\ufeff \r\n\t" + evilXML), true},
		{"evil16.xsd", utf16le(evilXML), true},
		{"evil.dat", []byte("<p>hi<br></p><img src=x onerror=alert(1)>"), true},
		{"schema.xsd", []byte(`<?xml version="1.0"?>` + "\n" + `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="a"/></xs:schema>`), false},
		{"notes.txt", []byte("Check the <script> tags on the page."), false},
		{"graph.pdf", []byte("%PDF-1.7\n<< /Type /Catalog >> <script>"), false},
	} {
		if got := Scripted(tc.name, tc.data); (got != "") != tc.runs {
			t.Errorf("%s: %q, want a reason: %v", tc.name, got, tc.runs)
		}
	}
}
