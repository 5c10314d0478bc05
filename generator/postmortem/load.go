package postmortem

import (
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/markdown"
)

// ContentDir is the folder of the site root that holds the postmortems.
const ContentDir = "content"

// Source is a postmortem file found under content/.
type Source struct {
	Path   string   // the Markdown file, relative to the site root
	Dir    string   // the bundle folder, "" when the file stands alone
	Assets []string // bundle files relative to Dir, sorted
}

// IsMarkdown reports whether name is a postmortem file name: .md or
// .markdown, and not hidden or an editor's backup.
func IsMarkdown(name string) bool {
	base := path.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasPrefix(base, "_") {
		return false
	}
	ext := path.Ext(base)
	return ext == ".md" || ext == ".markdown"
}

func hidden(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~")
}

func isBundleIndex(name string) bool {
	base := path.Base(name)
	return base == "index.md" || base == "index.markdown"
}

// Discover lists the postmortems under dir (content/ or a folder below it)
// in fsys, sorted by path. A folder holding index.md is a page bundle: every
// other file below it is an asset of that postmortem.
func Discover(fsys fs.FS, dir string) ([]Source, error) {
	var out []Source
	var bundle *Source
	err := fs.WalkDir(fsys, dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // vanished while we walked: the next build sees it
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
		if e.IsDir() {
			if bundle == nil {
				for _, idx := range []string{"index.md", "index.markdown"} {
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
		if IsMarkdown(p) {
			out = append(out, Source{Path: p})
		}
		return nil
	})
	if bundle != nil {
		out = append(out, *bundle)
	}
	slices.SortFunc(out, func(a, b Source) int { return strings.Compare(a.Path, b.Path) })
	return out, err
}

// Load reads and parses the postmortem of src from fsys.
func Load(fsys fs.FS, src Source, cfg *config.Config, md *markdown.Renderer) (*Postmortem, diag.List) {
	data, err := fs.ReadFile(fsys, src.Path)
	if err != nil {
		var l diag.List
		l.Add(src.Path, 0, 0, "%v", err)
		return nil, l
	}
	p, diags := Parse(src.Path, data, cfg, md, src.Dir)
	p.Assets = src.Assets
	return p, diags
}
