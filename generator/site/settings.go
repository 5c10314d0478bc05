package site

import (
	"io/fs"
	"path"
	"strings"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/export"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/render"
	"github.com/postmortem/postmortem/generator/sitefs"
	"github.com/postmortem/postmortem/themes"
)

// reset loads the configuration and the theme and forgets every cached parse.
func (b *Builder) reset() {
	b.cfg, b.cfgDiags = config.Load(sitefs.New(b.disk, b.opts.Root, 0))
	b.cfgDiags = append(b.cfgDiags, b.cfg.SeverityPages(postmortem.PageName)...)
	b.fsys = sitefs.New(b.disk, b.opts.Root, int64(b.cfg.MaxFileSize))
	b.cfg.Drafts, b.cfg.Now, b.cfg.Public = b.opts.Drafts && !b.opts.Public, b.opts.Now, b.opts.Public
	if b.opts.BaseURL != "" {
		u, err := config.BaseURL(b.opts.BaseURL)
		if err != nil {
			b.cfgDiags.Add("--base-url", 0, 0, "%v", err)
		}
		b.cfg.BaseURL = u
	}
	if b.opts.Preview {
		b.cfg.BaseURL = ""
	}
	layers := themes.Layers(b.fsys, b.cfg.Theme)
	b.cfgDiags = append(b.cfgDiags, b.cfg.LoadLabels(layers)...)
	mdOpts := []markdown.Option{markdown.AlertTitles(b.cfg.AlertTitles()), markdown.InternalTitle(b.cfg.Labels["internal"]),
		markdown.SiteRoot(strings.Repeat("../", strings.Count(link.PostmortemURL("x"), "/"))), markdown.FactLines(postmortem.IsFactLine)}
	if b.cfg.Public {
		mdOpts = append(mdOpts, markdown.Public())
	}
	b.md = markdown.New(b.cfg.UnsafeHTML, mdOpts...)
	b.theme = themes.ForSite(b.fsys, b.cfg.Theme)
	// The theme reads the site's files it overrides silently: say here what
	// it skipped or could not read.
	dirs := []string{"layouts", "assets", config.LabelsDir}
	if t := path.Join("themes", b.cfg.Theme); path.Dir(t) == "themes" && b.cfg.Theme != "default" {
		dirs = append(dirs, t)
	}
	for _, dir := range dirs {
		sitefs.Walk(b.fsys, dir, &b.cfgDiags, func(p string) error {
			_, err := fs.Stat(b.fsys, p)
			return err
		})
	}
	b.parsed, b.sources, b.walked, b.skipped = map[string]*entry{}, nil, nil, nil
	b.site = nil // b.files stays: the next Changed is against the last output
	b.search = newSearchIndexer()
	b.insights = &insights.Cache{}
	b.feeds = &export.TermFeeder{Title: b.cfg.Title, BaseURL: b.cfg.BaseURL, Words: b.cfg.Labels}
	b.tables = &export.Tabler{Now: b.cfg.Now, Deadlines: b.cfg.ActionItemDeadlines, URL: link.PostmortemURL}
	b.export = &export.Exporter{Now: b.cfg.Now, Deadlines: b.cfg.ActionItemDeadlines}
	b.assets, b.static, b.spill, b.made = nil, nil, nil, map[string]madeFile{}
	r, err := render.New(b.theme, &b.cfg)
	if r != nil {
		r.Once = b.opts.Once
	}
	b.renderer = r
	failed(&b.cfgDiags, b.themed(err), "layouts")
	b.ready = true
}
