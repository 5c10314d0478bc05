package markdown

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/alecthomas/chroma/v2"
	chromahtml "github.com/alecthomas/chroma/v2/formatters/html"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// highlight renders fenced code blocks, highlighted by chroma at build time
// when the fence names a language chroma knows, other than plain text
// (chroma's plaintext lexer: text, txt, plain, no-highlight, a name such as
// robots.txt), which it writes as it does a block of another language:
// chroma would wrap each of its lines in two spans of no colour. Chroma's own lookup tries
// every lexer's file patterns for a name it does not know, about 4 ms a
// name and more for a long one; this one asks maps built once.
type highlight struct {
	formatter *chromahtml.Formatter
	style     *chroma.Style
}

func newHighlight() highlight {
	return highlight{formatter: chromahtml.New(chromahtml.WithClasses(true)), style: styles.Get("github")}
}

func (h highlight) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindFencedCodeBlock, h.render)
}

func (h highlight) render(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.FencedCodeBlock)
	var code strings.Builder
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		code.Write(seg.Value(src))
	}
	lang := n.Language(src)
	if len(lang) > MaxLanguage {
		lang = nil // warned about in warnings
	}
	if lexer := lookupLanguage(string(lang)); lexer != nil && lexer.Config().Name != "plaintext" {
		if it, err := chroma.Coalesce(lexer).Tokenise(nil, code.String()); err == nil {
			return ast.WalkContinue, h.formatter.Format(w, h.style, it)
		}
	}
	_, _ = w.WriteString("<pre><code")
	if len(lang) > 0 {
		_, _ = w.WriteString(` class="language-`)
		html.DefaultWriter.Write(w, lang)
		_ = w.WriteByte('"')
	}
	_ = w.WriteByte('>')
	html.DefaultWriter.RawWrite(w, []byte(code.String()))
	_, _ = w.WriteString("</code></pre>\n")
	return ast.WalkContinue, nil
}

// languageTable finds chroma's lexer for a name as chroma's lexers.Get
// does: a lexer's name or alias, as written or lower-cased, else the lexer
// of highest priority whose file patterns match the name as an extension
// ("filename.NAME") or as a file name.
type languageTable struct {
	names               map[string]bool           // names and aliases, as written and lower-cased
	ext                 map[string][]chroma.Lexer // "*.EXT" patterns by EXT
	file                map[string][]chroma.Lexer // patterns without wildcards
	globs               []glob                    // the other patterns
	aliasExt, aliasFile map[string][]chroma.Lexer // the same for chroma's second choice, AliasFilenames
}

var languages = sync.OnceValue(func() *languageTable {
	t := &languageTable{names: map[string]bool{}, ext: map[string][]chroma.Lexer{}, file: map[string][]chroma.Lexer{},
		aliasExt: map[string][]chroma.Lexer{}, aliasFile: map[string][]chroma.Lexer{}}
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		c := l.Config()
		for _, name := range append([]string{c.Name}, c.Aliases...) {
			t.names[name], t.names[strings.ToLower(name)] = true, true
		}
		t.addPatterns(l, c.Filenames, t.ext, t.file, true)
		t.addPatterns(l, c.AliasFilenames, t.aliasExt, t.aliasFile, false)
	}
	return t
})

func (t *languageTable) addPatterns(l chroma.Lexer, patterns []string, ext, file map[string][]chroma.Lexer, globs bool) {
	for _, p := range patterns {
		switch {
		case !strings.ContainsAny(p, `*?[\`):
			file[p] = append(file[p], l)
		case strings.HasPrefix(p, "*.") && !strings.ContainsAny(p[2:], `*?[\`):
			ext[p[2:]] = append(ext[p[2:]], l)
		case globs:
			i, j := strings.IndexAny(p, `*?[\`), strings.LastIndexAny(p, `*?]\`)
			t.globs = append(t.globs, glob{pattern: p, prefix: p[:i], suffix: p[j+1:], lexer: l})
		}
	}
}

// glob is a file pattern with wildcards, and the text before and after them.
type glob struct {
	pattern, prefix, suffix string
	lexer                   chroma.Lexer
}

// match reports whether name matches the pattern, testing the cheap
// conditions first: most names fail them.
func (g glob) match(name string) bool {
	if !strings.HasPrefix(name, g.prefix) || !strings.HasSuffix(name, g.suffix) {
		return false
	}
	ok, _ := filepath.Match(g.pattern, name)
	return ok
}

// lookupLanguage returns the lexer of the language a code fence names, or
// nil. Its cost is linear in the length of name.
func lookupLanguage(name string) chroma.Lexer {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return nil
	}
	t := languages()
	if t.names[name] || t.names[strings.ToLower(name)] {
		return lexers.Get(name) // found in chroma's own maps
	}
	var found chroma.PrioritisedLexers
	match := func(ext, file map[string][]chroma.Lexer) {
		found = append(found, file[name]...)
		// "filename.NAME" and NAME end in ".EXT" for each EXT after a dot of NAME.
		found = append(found, ext[name]...)
		for i := 0; i < len(name); i++ {
			if name[i] == '.' {
				found = append(found, ext[name[i+1:]]...)
			}
		}
	}
	match(t.ext, t.file)
	for _, g := range t.globs {
		if g.match("filename."+name) || g.match(name) {
			found = append(found, g.lexer)
		}
	}
	if len(found) == 0 {
		match(t.aliasExt, t.aliasFile)
	}
	var best chroma.Lexer
	for _, l := range found { // the first of the highest priority
		if best == nil || chroma.PrioritisedLexers([]chroma.Lexer{l, best}).Less(0, 1) {
			best = l
		}
	}
	return best
}
