package postmortem

import (
	"encoding/binary"
	"errors"
	"hash/fnv"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/sitefs"
)

// ContentDir is the folder of the site root that holds the postmortems.
const ContentDir = "content"

// Source is a postmortem file found under content/.
type Source struct {
	Path   string   // the Markdown file, relative to the site root
	Dir    string   // the bundle folder, "" when the file stands alone
	Assets []string // bundle files relative to Dir, sorted
}

// hidden reports whether a file or folder is left out of a walk without a
// word: dot files and folders (.git), and editors' backups (x~).
func hidden(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~")
}

// skipped says why the file or folder rel (relative to the content
// folder) is not a postmortem nor holds any, or "" when it may be: a
// README, a name that starts with _ (templates, partials), a template (a
// file of templateNames, a folder named templates), a match of one of the
// ignore patterns. A pattern without a slash matches a name at
// any depth; one with a slash, the whole path below the content folder.
func skipped(rel string, isDir bool, ignore []string) string {
	base := path.Base(rel)
	if strings.HasPrefix(base, "_") {
		return "its name starts with _"
	}
	stem := strings.ToLower(strings.TrimSuffix(base, path.Ext(base)))
	if !isDir && stem == "readme" {
		return "a README"
	}
	if isDir && stem == "templates" || !isDir && templateNames[strings.ReplaceAll(stem, "_", "-")] {
		return "a template"
	}
	for _, pat := range ignore {
		subject := base
		if strings.Contains(strings.TrimSuffix(pat, "/"), "/") {
			subject = rel
		}
		if ok, _ := path.Match(strings.TrimSuffix(pat, "/"), subject); ok {
			return "ignore: " + pat
		}
	}
	return ""
}

// templateNames are the names, without their extension, of the template
// a team keeps beside its postmortems; "-" stands for "_" too. A
// postmortem about a template ("broken-email-template") is none of them.
var templateNames = map[string]bool{"template": true, "postmortem-template": true, "incident-template": true,
	"postmortem-report-template": true, "incident-report-template": true, "rca-template": true}

// Skipped is a file or folder under content/ that is not read as a
// postmortem, and why.
type Skipped struct {
	Path   string // relative to the site root; a folder ends in /
	Reason string
}

// bundleIndexes are the names of the file that makes its folder a page
// bundle, in the order a folder's is looked for.
var bundleIndexes = []string{"index.md", "index.markdown"}

// documentExts are the extensions of documents that are not Markdown,
// which Discover tells it skips; other files (images, data) it leaves out
// silently.
var documentExts = []string{".txt", ".text", ".rst", ".adoc", ".asciidoc", ".org", ".mdx", ".docx", ".doc", ".odt", ".rtf", ".html", ".htm"}

func isBundleIndex(name string) bool { return slices.Contains(bundleIndexes, path.Base(name)) }

// Discover lists the postmortems under dir (content/ or a folder below it)
// in fsys, sorted by path, the Markdown files and the folders it skips by
// the rules of skipped (ignore holds the patterns of the config), and
// reports what it cannot read. A folder holding index.md is a page bundle:
// every other file below it is an asset of that postmortem. Other files
// are left out. Files that are not regular (links, named pipes) are listed
// as they are; fsys refuses them when they are read.
func Discover(fsys fs.FS, dir string, ignore []string) ([]Source, []Skipped, diag.List) {
	var diags diag.List
	st, err := fs.Stat(fsys, dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		diags.Add(dir, 0, 0, "no such folder: the postmortems go in %s/ of the site", dir)
		return nil, nil, diags
	case err != nil:
		sitefs.Report(&diags, dir, err)
		return nil, nil, diags
	case !st.IsDir():
		diags.Add(dir, 0, 0, "is a file, want the folder of the postmortems")
		return nil, nil, diags
	}
	var out []Source
	var skips []Skipped
	var bundle *Source
	_ = fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) { // else it went while we walked: the next build sees it
				sitefs.Report(&diags, p, err)
			}
			return nil
		}
		if p != dir && hidden(p) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if bundle != nil && !strings.HasPrefix(p, bundle.Dir+"/") {
			out = append(out, *bundle)
			bundle = nil
		}
		if bundle == nil && p != dir {
			if why := skipped(strings.TrimPrefix(p, dir+"/"), e.IsDir(), ignore); why != "" {
				if e.IsDir() {
					skips = append(skips, Skipped{p + "/", why})
					return fs.SkipDir
				}
				if markdown.IsFile(p) {
					skips = append(skips, Skipped{p, why})
				}
				return nil
			}
		}
		if e.IsDir() {
			if bundle == nil && p != dir {
				for _, idx := range bundleIndexes {
					if st, err := fs.Stat(fsys, path.Join(p, idx)); err == nil && !st.IsDir() {
						bundle = &Source{Path: path.Join(p, idx), Dir: p}
						break
					}
				}
			}
			return nil
		}
		if bundle != nil {
			if p != bundle.Path {
				bundle.Assets = append(bundle.Assets, strings.TrimPrefix(p, bundle.Dir+"/"))
			}
			return nil
		}
		switch {
		case path.Dir(p) == dir && isBundleIndex(p):
			diags.Add(p, 0, 0, "a page bundle at the root of %s/ would make every other file there part of it: move it with its files into a folder of its own, such as %s/NAME/%s, or rename it", dir, dir, path.Base(p))
		case markdown.IsFile(p):
			out = append(out, Source{Path: p})
		case e.Type().IsRegular() && slices.Contains(documentExts, strings.ToLower(path.Ext(p))):
			// A postmortem written in another format, or pasted as text:
			// told, as a file its author meant to be read may be.
			skips = append(skips, Skipped{p, "not Markdown: a postmortem is a .md or .markdown file"})
		case e.Type() != 0:
			// Not read, so not refused when read: say why it is left out,
			// should it be a link to a folder of postmortems.
			if _, err := fs.Stat(fsys, p); errors.Is(err, sitefs.ErrSkipped) {
				sitefs.Report(&diags, p, err)
			}
		}
		return nil
	})
	if bundle != nil {
		out = append(out, *bundle)
	}
	slices.SortFunc(out, func(a, b Source) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(skips, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	return out, skips, diags
}

// Load reads and parses the postmortem of src from fsys.
func Load(fsys fs.FS, src Source, cfg *config.Config, md *markdown.Renderer) (*Postmortem, diag.List) {
	data, err := fs.ReadFile(fsys, src.Path)
	if err != nil {
		var l diag.List
		sitefs.Report(&l, src.Path, err)
		return nil, l
	}
	p, diags := Parse(src.Path, data, cfg, md, src.Dir)
	p.Assets = src.Assets
	h := fnv.New64a()
	binary.Write(h, binary.LittleEndian, p.hash)
	for _, a := range src.Assets {
		h.Write([]byte(a + "\x00"))
	}
	p.hash = h.Sum64()
	return p, diags
}
