package render

import (
	"html/template"
	"strings"
	"sync"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// The types of this file are the data of the templates. Each page is
// re-rendered when its data changed, as key hashes it: every exported field
// counts, and a method may only show what exported fields, or the
// postmortem an Incident is made from, hold.

// Page is what a page template, and layouts/base.html, is executed with.
// The fields after Site are set for some kinds of page only, as the package
// documentation says.
type Page struct {
	Kind  string // home, catalog, postmortem, term, terms, taxonomy, search, 404
	Title string // the page's own title; the home page's is the site's
	Path  string // output path of the page, relative to the site root
	// Root is the relative path from the page to the site root: "" or
	// "../", and on 404.html the absolute path of the root.
	Root string
	Site *Site

	Incident *Incident // postmortem
	// References are the incidents the body refers to, in the order of
	// Incident.PM.Refs, nil for one not on the site (a draft): postmortem.
	References []*Incident
	// ReferencedBy are the incidents whose bodies refer to this one,
	// newest first: postmortem.
	ReferencedBy []*Incident
	Related      []Related       // postmortem: best first
	Prev, Next   *Incident       // postmortem: the incidents before and after in time, or nil
	Incidents    []*Incident     // home (the recent ones), catalog, term (those of this page of the list): newest first
	Pager        *Pager          // catalog, term: the page's place in its list
	Term         *Term           // term
	Taxonomy     *Taxonomy       // term, terms
	Terms        []*Term         // terms: most incidents first
	TopCauses    []*Term         // home: the most frequent root causes
	Totals       link.Totals     // home
	Report       *TaxonomyReport // taxonomy
	Insights     *InsightsView   // insights
	Ledger       *LedgerView     // action-items
	Actions      *ActionsView    // postmortem: its action items, nil without any
	// TermInsights and TermFeed are set on the pages of root causes,
	// services and severities: their figures, and the URL of their Atom
	// feed.
	TermInsights *TermInsights
	TermFeed     string
	// TermSearch is set on the pages of terms of a taxonomy the search
	// page filters by (all but tags): the URL of the search page with
	// that filter, to search within the term's incidents.
	TermSearch string

	shared *sharedCache
}

// Shared returns the named template executed with the page's Shared data,
// once per build and Root: for the parts of a page that are the same on
// every page at its depth, such as the site header.
func (p *Page) Shared(name string) (template.HTML, error) {
	return p.shared.get(sharedKey{name: name, root: p.Root}, &Shared{Site: p.Site, Root: p.Root})
}

// Links joins links to terms as the "term-link" template shows each, with
// class, and sep between them.
func (p *Page) Links(links []Link, class, sep string) (template.HTML, error) {
	return p.shared.links(links, class, sep)
}

// Body returns the body of the postmortem of the page with its references
// to other incidents made links: show it, not .Incident.PM.HTML, which has
// them unresolved.
func (p *Page) Body() template.HTML {
	if p.Incident == nil {
		return ""
	}
	return body(p.Incident.PM, p.References, p.Site.unnamed)
}

// Canonical returns the page's absolute URL under the site's base URL, as
// the sitemap lists it (link.WebPath), or "" without a base URL and on the
// 404 page, which has no address of its own.
func (p *Page) Canonical() string {
	if p.Site.BaseURL == "" || p.Kind == "404" {
		return ""
	}
	return p.Site.BaseURL + link.WebPath(p.Path)
}

// Description returns what the page is about, for search engines and link
// previews: the summary of its postmortem, cut at a word past
// descriptionMax characters, on a postmortem page, and the site's
// description on the others.
func (p *Page) Description() string {
	if p.Incident == nil || p.Incident.PM.Summary == "" {
		return p.Site.Description
	}
	s := strings.Join(strings.Fields(p.Incident.PM.Summary), " ")
	if r := []rune(s); len(r) > descriptionMax {
		cut := string(r[:descriptionMax])
		if i := strings.LastIndexByte(cut, ' '); i > descriptionMax/2 {
			cut = cut[:i]
		}
		s = strings.TrimRight(cut, " ,;:.") + "…"
	}
	return s
}

// descriptionMax is the most characters of a summary Description keeps,
// about what a search engine shows.
const descriptionMax = 200

// Facts returns the times and durations of the postmortem of the page.
func (p *Page) Facts() []Fact {
	if p.Incident == nil {
		return nil
	}
	return p.Incident.Facts()
}

// Timeline returns the drawn timeline of the postmortem of the page.
func (p *Page) Timeline() []TimelineEntry {
	if p.Incident == nil {
		return nil
	}
	return p.Incident.Timeline()
}

// Shared is what the templates Page.Shared names are executed with: only
// what every page at one depth shares, so that a page's own field there is
// an error, not the first page's value on every page.
type Shared struct {
	Site *Site
	Root string // as Page.Root
}

// Site is the site-wide part of every page, its URLs relative to the page.
type Site struct {
	Title, Description string
	BaseURL            string // absolute, ending in a slash; "" when not configured
	Language           string // the site's language tag, for the lang of its pages
	// CustomCSS is set when the site (or its theme) has assets/custom.css,
	// which pages link after the theme's styles.
	CustomCSS bool
	// Home, Catalog, Search, Feed and Export are the URLs of the home page,
	// the list of all incidents, the search page, the Atom feed and
	// index.json; Report, that of the taxonomy report.
	Home, Catalog, Search, Feed, Export, Report string
	Nav                                         []Link          // the catalog, the taxonomies that have terms, the search
	Taxonomies                                  []*SiteTaxonomy // in display order

	key     uint64 // of the fields above, set by newSite
	unnamed string // link.Site.Unnamed, the same for every build of the renderer
}

// Taxonomy finds a taxonomy by key (root_cause, service, ...), or nil.
func (s *Site) Taxonomy(key string) *SiteTaxonomy {
	for _, t := range s.Taxonomies {
		if t.Key == key {
			return t
		}
	}
	return nil
}

// SiteTaxonomy is a taxonomy as every page has it: what the menu needs,
// without the count of its terms, which would change every page of the
// site with each term added (the page of its terms has its Taxonomy, with
// the count).
type SiteTaxonomy struct {
	Key, Title, Singular, URL string
	HasTerms                  bool // it has a term: the menu links to it
}

// Link is a named link, its URL relative to the page it is on.
type Link struct {
	Name, URL string
}

// TermLink is what the "term-link" template shows: a link to a term, with
// its class.
type TermLink struct {
	Name, URL, Class string
}

// Taxonomy is one way of grouping incidents: root causes, services, ...
type Taxonomy struct {
	Key      string // root_cause, contributing_factor, service, severity, year, tag
	Title    string // "Root causes"
	Singular string // "root cause"
	URL      string // the page that lists its terms
	Count    int    // how many terms it has
	// Without counts the incidents that have none of its terms, on the
	// page of its terms only: a count that every new incident may change
	// would make every term page change with it.
	Without int
}

// Term is one value of a taxonomy with its incidents.
type Term struct {
	Name, Slug string
	URL        string      // the term's page
	Incidents  []*Incident // newest first
	// TotalMinutes and MedianMinutes are over the Measured incidents, those
	// with a known duration; the median of an even count is the mean of
	// the middle two.
	TotalMinutes, MedianMinutes, Measured int
	First, Last                           time.Time // dates of the oldest and newest incident
	CoCauses                              []Link    // root causes seen with this term, "name (count)", most frequent first
	// Direct counts the incidents that have the term itself, not only one
	// of the terms below it (root causes/dns is below root causes/network).
	Direct int
	// Parent is the term above this one, nil when none; Children are the
	// terms below it, "name (count)"; Depth counts the terms above it.
	Parent   *Link
	Children []Link
	Depth    int

	key uint64 // of the fields above
}

// Incident is a postmortem as the templates see it, with its links. The
// postmortem is a named field, not an embedded one: templates look fields of
// embedded structs up by a slow path, and a site has thousands of pages.
type Incident struct {
	PM                                                  *postmortem.Postmortem
	URL                                                 string // its page
	RootCauseLinks, FactorLinks, ServiceLinks, TagLinks []Link
	SeverityURL, YearURL                                string // "" when it has no severity

	root  string
	words config.Labels
	key   uint64 // of the postmortem and root
	frag  func(in *Incident, f int) (template.HTML, error)

	// frags is held by pointer, so that a template that prints the
	// incident whole copies no lock nor fragment another page is
	// rendering.
	frags *rendered
}

// rendered holds the fragments of an incident rendered so far.
type rendered struct {
	mu   sync.Mutex
	html [len(fragments)]template.HTML // as fragments names them
	done [len(fragments)]bool
}

// Row returns the incident as a row of the incident table: the
// "incident-row" template, rendered once per build and depth.
func (in *Incident) Row() (template.HTML, error) { return in.frag(in, rowFragment) }

// Link returns the incident as a link with its date and severity: the
// "incident-link" template, rendered once per build and depth.
func (in *Incident) Link() (template.HTML, error) { return in.frag(in, linkFragment) }

// String is the incident's title: what a template shows of an incident
// printed whole ({{.Previous}}), rather than its fields.
func (in *Incident) String() string { return in.PM.Title }

// Fragment is what the "incident-row" and "incident-link" templates are
// executed with.
type Fragment struct {
	Incident *Incident
	Root     string // as Page.Root
	shared   *sharedCache
}

// Links joins links to terms as the "term-link" template shows each, with
// class, and sep between them.
func (f *Fragment) Links(links []Link, class, sep string) (template.HTML, error) {
	return f.shared.links(links, class, sep)
}

// Related is a related incident and why it is related.
type Related struct {
	Incident *Incident
	Reason   string // "shares root cause dns", "similar title", "2 days apart"
}

// Fact is one time or duration in the header of a postmortem's page.
type Fact struct {
	Label string // "Duration", "Started", ...
	Text  string // "3 h 30 min", "6 Aug 2023 08:00 WAT"
	// Time is the time as RFC 3339, for a <time> element; "" for a duration.
	Time string
	// FromTimeline is set when the time was read from the timeline, not
	// given in the front matter.
	FromTimeline bool
}

// TimelineEntry is one line of a drawn timeline.
type TimelineEntry struct {
	Time time.Time
	// ISO is the time as RFC 3339, Clock as hours and minutes as the
	// postmortem wrote them, with the zone when it is not the page's.
	ISO, Clock string
	// Day is the date of the entry, "" unless the timeline spans days and
	// the entry is the first of its day.
	Day  string
	Text string // as a reader sees it: the marks of its Markdown read (markdown.InlineText)
	// Offset is the time since the first entry, as "+1 h 05 min".
	Offset string
	// Percent places the entry on a bar from the first entry to the last.
	Percent int
}
