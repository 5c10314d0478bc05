// Package render holds the page renderer: a theme's templates executed over
// a linked site, each page rendered again only when the data it is
// executed with has changed.
//
// The rest of this comment is the contract between the generator and a
// theme: where templates are looked up, the data each one is executed
// with, and the functions it may call. The start of the Themes section of
// README.md is made from it (go test ./generator/render -update writes it
// again).
//
// # Lookup
//
// A theme is a folder with layouts/ (html/template files), labels/ (the
// words it shows, labels/en.yaml and one file per language) and assets/
// (copied to the output's assets/). A file is looked up in the site's own
// layouts/, labels/ and assets/ first, then in themes/NAME/ when
// postmortem.yaml says theme: NAME (a name with no such folder is an
// error), then in the default theme, which is embedded in the binary
// (themes/default/ in the source; postmortem theme export writes it out as
// a starting point). The first that has the path wins, so a site replaces
// one file of a theme by writing a file of the same path (copied from the
// export, say), and the rest follows the default theme of later versions.
// assets/syntax.css, the colours of highlighted code, is made by the build
// unless a layer has its own. A site's
// assets/custom.css, when there is one, is linked on every page after the
// theme's styles. An error in a template is told at the file that has it,
// from the site root (themes/default/ for the embedded theme's), its line
// and, once it runs, its column and the page it was making. Text is
// escaped for the place it is put by html/template; an action in an
// iframe's srcdoc, a page of its own that html/template would escape as
// an attribute only, is an error.
//
// Each page template (layouts/home.html, list.html, postmortem.html,
// term.html, terms.html, taxonomy.html, insights.html, action-items.html,
// search.html and 404.html) is parsed together with
// layouts/base.html and every file of layouts/partials/, in the order of
// their names; a template defined twice is the one parsed last, and a page
// template's own definitions come last of all. Each partial of the default
// theme is one define in a file of its name (partials/site-header.html
// defines "site-header"), so a site replaces one part without copying the
// others. The page is made by executing base.html, which calls the
// templates "title", "head", "main" and "scripts" that a page template may
// define. The generator itself executes "incident-row" and "incident-link"
// (with a Fragment, for .Row, .Link and rows), "term-link" (with a
// TermLink, for .Links) and the templates named to .Shared (with a
// Shared). Those it executes are the partials' definitions, the same for
// every page: a page template's own definition of one of them is not
// used (change it in layouts/partials/).
//
// # Links
//
// Every URL in the data is relative to the page being rendered, as every
// link of the site is (on 404.html, which is served at any depth, it is
// absolute from the site root): write href="{{.URL}}" as it is. .Root is
// the relative path from the page to the site root, for the theme's own
// files: {{.Root}}assets/style.css.
//
// # Page data
//
// Every page template is executed with a Page. These fields are set on
// every page:
//
//   - .Kind: home, catalog, postmortem, term, terms, taxonomy, insights,
//     action-items, action-items-owner, action-items-postmortems, search
//     or 404.
//   - .Title: the page's title (the site's on the home page).
//   - .Path: the output path of the page, from the site root.
//   - .Canonical: the page's absolute URL under .Site.BaseURL, as the
//     sitemap lists it (a folder's index.html as the folder, escaped), or
//     "" without a base URL and on the 404 page; base.html gives it as
//     <link rel="canonical">.
//   - .Description: the summary of the postmortem on a postmortem page,
//     cut at a word past 200 characters, and .Site.Description on the
//     others; base.html gives it as <meta name="description">.
//   - .Root: as described under Links.
//   - .Site: the site-wide data (a Site).
//
// These are set on some kinds of page only:
//
//   - home (index.html): .Incidents, the most recent incidents (recent: in
//     postmortem.yaml, 10 by default); .TopCauses, the ten most frequent
//     root causes (Terms); .Totals, the figures of the whole site
//     (.Postmortems, .RootCauses, .Services, .Measured, .TotalMinutes,
//     .MedianMinutes).
//   - catalog (incidents/index.html, with list.html): .Incidents, those of
//     this page of the list of all, newest first, and .Pager.
//   - postmortem (incidents/SLUG.html): .Incident; .Related, the most
//     related incidents (sharing root causes, contributing factors or
//     services, by title, or at most 30 days apart), best first, each with
//     .Incident and .Reason ("shares root cause dns", in the words of
//     the labels related_*); .Prev and .Next, the incidents before and
//     after it in time, or nil; .Facts and .Timeline, as the Incident's;
//     .Body, its body with its references to other incidents made links
//     (.PM.HTML has them unresolved: a [[slug]] shows its slug, a link to a
//     file has no address), made from .References, the incidents it refers
//     to (nil for one not on the site); .ReferencedBy, the incidents that
//     refer to it, newest first.
//   - term (a page per term, such as root-causes/dns.html): .Term and its
//     .Taxonomy; .Incidents, those of this page of the term's list, newest
//     first, and .Pager; .TermSearch, the URL of the search page filtered
//     by the term ("" for tags, which it does not filter by).
//   - terms (a page per taxonomy, such as root-causes.html): .Taxonomy and
//     its .Terms, most incidents first; root causes as a tree, each term
//     followed by those below it; severities in their order, the worst
//     first, and years the newest first.
//   - taxonomy (taxonomy.html): .Report, the taxonomy report: .Once and
//     .OutsideVocabulary (when .Vocabulary, the site has one), the root
//     causes one incident has and those not in the vocabulary, and
//     .Aliases, the aliases incidents are written with; each entry of the
//     three has .Term and .Target (Links; the term an alias is folded
//     onto, none for the first two) and .Incidents (shown with the partial
//     "term-report"); .NearDuplicates, pairs of
//     terms that look like one, each with .Field, .Rare and .Common
//     (Links) and .RareN and .CommonN, their counts; .NoRootCause, the
//     incidents without one.
//   - The pages of root causes, services and severities also have
//     .TermInsights (.Quarters, each with .Quarter and .Incidents, from the
//     site's first quarter to its last; .Sparkline, them drawn as a small
//     inline SVG image without axes, and .Chart, as columns with the
//     largest count and the first and last quarters;
//     .MedianMinutesToResolve) and .TermFeed, the URL of the term's Atom
//     feed.
//   - postmortem also has .Actions, its action items (nil without any):
//     .Tally and .Items, as in the ledger below, and .Now, the day their
//     states are computed against.
//   - insights (insights.html): .Insights: .Data, the figures of
//     insights.json; .Severities, the columns of the tables per severity
//     ("" for none given); .Months (each .Month, .Incidents and .Counts per
//     severity) and .Quarters (each .Quarter, the figures .Incidents,
//     .MedianMinutesToDetect, .MedianMinutesToResolve and .ImpactMinutes,
//     with .Detected and .Resolved, how many incidents the first median
//     and the other two are over, none meaning no figure; and .BySeverity,
//     the same per severity), from the first to the last; .Timed, whether
//     any incident gives the times those medians are of; .Years, every
//     year from the first incident's to the last's; .RootCauses,
//     .CausesByImpact (those whose impact is known) and .Services (each
//     the figures of a term, .Name, .Incidents, .ImpactMinutes,
//     .MedianMinutesToResolve and .Resolved, with its .URL and .ByYear,
//     its incidents in each of .Years); .Recurrences, the newest (each with .Slug and .Days,
//     as in insights.json, .Incident and .Previous, the two Incidents, and
//     .RootCause and .Service, Links), .AllRecurrences (how many there
//     are, a number), .Incidents and .RecurrenceDays; and the charts, inline SVG images
//     with role="img" and a title, coloured by the classes s-sev1 to
//     s-sev5, s-none, s-bar, s-detect and s-resolve (the lines of a
//     chart by severity also differ in the shapes of their points and
//     in their dashes): .MonthsChart, .ImpactChart, .TimesChart (detect
//     and resolve, each in a panel to its own scale), .DetectChart,
//     .ResolveChart (each by severity), .CausesChart, .CausesImpactChart,
//     .ServicesChart and .RecurChart.
//   - The pages of the action-item ledger are all made with
//     action-items.html, and have .Ledger and .Pager. Their kinds:
//     action-items, the front page (action-items.html) and the pages after
//     it of the list of owners; action-items-owner, the pages of an
//     owner's items (action-items/owners/NAME.html, NAME the owner's name
//     as a slug, -2, -3, ... after a name another owner took, no-owner for
//     the items without one); action-items-postmortems, the pages of every
//     item by postmortem (action-items/postmortems.html). Each list is in
//     pages of ledger_page_size entries (owners or items), as below. .Ledger has,
//     on each: .Tally, of every item of the site (.Total, .Open, .Overdue,
//     .Done, .WontFix, and the methods .ToDo and .Percent); .Shown, the
//     same counts of the items of this page (of the owners it lists, the
//     owner's items on it, or its items by postmortem), which its filter by
//     state shows or hides; .Now (the day of --now); .Front and .AllPostmortems, the URLs of the front page and
//     of the first page by postmortem; .OwnerCount, how many owners there
//     are. On the pages of the list of owners, .Owners, this page's owners
//     by name, the items without one last, each with .Owner ("" for none),
//     .URL (its first page) and .Tally; on the front page only,
//     .Postmortems, those with items to do, most overdue first, at most 100,
//     each with .Incident (an IncidentLink: .URL, .Title, .Date and
//     .Severity), .Tally, and .URL and .Anchor, the place of its
//     items on the pages by postmortem (the id of the element that holds
//     them there). On an owner's pages, .Owner, as an entry of .Owners,
//     with .Items, those of this page (overdue first, then open, done and
//     won't do, each by deadline), and .States, each state it has items of,
//     in that order, with .State, .Word, .Count and .URL, the page its items
//     start on. On the pages by postmortem, .ByPostmortem, the items of this
//     page by postmortem, newest first, each as an entry of .Postmortems
//     with .Items (a postmortem whose items run onto the next page is on
//     both). An item has the fields of its .ActionItem, its .Incident (an
//     IncidentLink: .URL, .Title, .Date and .Severity), .State (overdue,
//     open, done or wontfix), .Deadline, .StateWord, .TypeWord and
//     .DeadlineDay as the page shows them, and .OwnerURL, the first page
//     of its owner's items.
//   - search and 404: nothing more.
//
// A list of incidents is split into pages of page_size (postmortem.yaml,
// 200 by default), each list of the ledger into pages of ledger_page_size
// (400 by default): its first page keeps the
// list's address, page N is beside it, ADDRESS.N.html
// (incidents/index.2.html, action-items.2.html). A Pager is a
// page's place in its list: .Number (from 1) and .Count of pages, .Total
// entries (incidents, owners or action items) in the whole list, .Prev and
// .Next, the pages before and after it, of newer and older incidents ("" at
// the ends), and .Pages, the links to show (the
// first, the last and those near this one), each a PageLink with .Number,
// .URL and .Current, or .Gap where pages are left out. The partials
// "pager" and "pager-head" show them.
//
// A Page has two methods: .Shared NAME executes the template NAME with the
// page's Shared data, once per build and depth, for the parts that are the
// same on every page at one depth ({{.Shared "site-header"}}); .Links
// LINKS CLASS SEP joins links to terms, each shown by "term-link" with the
// class CLASS, with SEP between them ({{.Links .RootCauseLinks "chip" " "}}).
//
// A Shared holds .Site and .Root only: a page's own field in a shared
// template is an error when the page is built, not the first page's value
// on every page.
//
// A Site holds .Title, .Description, .BaseURL (absolute, ending in a
// slash, or empty) and .Language (the lang of its pages) from
// postmortem.yaml; .CustomCSS, set when the site has assets/custom.css;
// the URLs .Home, .Catalog, .Search, .Feed (the Atom feed), .Export
// (index.json) and .Report (the taxonomy report); .Nav, the links of the menu (Links: the catalog, the
// taxonomies that have terms, the insights, the action items, the search); and .Taxonomies, all of them, in
// the order of the menu, each a SiteTaxonomy: .Key, .Title, .Singular,
// .URL and .HasTerms (whether it has a term), not how many terms it has, so
// that a term added changes only the pages that show it. .Taxonomy KEY
// finds one of them by key.
//
// A Taxonomy is one way of grouping incidents: .Key (root_cause,
// contributing_factor, service, severity, year or tag), .Title ("Root
// causes") and .Singular ("root cause"), in the words of the labels, .URL
// (its page), .Count (how many terms it has) and, on its page only,
// .Without (how many incidents have none of its terms).
//
// A Term is one value of a taxonomy: .Name, .Slug, .URL (its page),
// .Incidents (newest first, with those of the terms below it), .Direct (how
// many have the term itself), .Parent (a Link to the term above it, or nil),
// .Children (Links to the terms below it, named "name (count)"), .Depth
// (how many terms are above it), .Measured (how many of them have a duration),
// .TotalMinutes and .MedianMinutes (over those; the median of an even
// count is the mean of the middle two), .First and .Last (dates of the
// oldest and newest) and .CoCauses, the root causes seen with it, most
// frequent first (Links, named "name (count)").
//
// A Link has .Name and .URL.
//
// An Incident is one postmortem: .PM, the postmortem itself; .URL, its
// page; .RootCauseLinks, .FactorLinks, .ServiceLinks and .TagLinks (Links
// to the terms); .SeverityURL and .YearURL (empty without a severity);
// .Facts, its times and durations (its duration, times to detect and to
// mitigate, then its times), each with .Label, .Text, .Time (RFC
// 3339, empty for a duration) and .FromTimeline; .Timeline, its timeline as
// drawn, each entry with .Time, .ISO, .Clock, .Day (its date, when the
// timeline spans days and it is the first entry of its day), .Text (its Markdown as the
// text a reader sees: no backticks), .Offset ("+1 h 05
// min" from the incident's start, or from the first entry when it is not
// known; "−4 min" before it) and .Percent (its place from the first entry to the last); .Row
// and .Link, the incident shown by "incident-row" and "incident-link",
// rendered once per build and depth.
//
// The postmortem .PM has the fields of its front matter, after checking:
// .Slug, .Title, .Date, .Location (the time zone), .Started, .Detected,
// .Acknowledged, .Mitigated, .Resolved (zero when unknown), .FromTimeline
// (the names of the times read from the timeline), .ZoneNotes (in which
// zone the page shows the times, when the body states it, and how an
// abbreviation of standard time was read in summer: each with .Written,
// .Shown, .Where and .Day), .Inferred (the names of the fields read from
// the body or the file name, not the front matter), .Severity,
// .SeverityRank (1 for the worst level), .Status (draft, review or final),
// .Draft, .Visibility (public or internal), the method .Public (whether
// the public build has it), .RootCauses, .ContributingFactors, .Services, .Tags, .Aliased
// (the values written as an alias of postmortem.yaml, before they were
// folded onto their terms), .Authors,
// .Trigger, .Detection, .Summary, .ActionItems (each with .Title, .Owner,
// .Status, .Due, .Type and .URL) and .Params, the front matter keys that
// are none of these, by key ({{.PM.Params.url}}; each with .Text, .List and
// .Map, and .String, all of it as text); and what its file makes: .Path,
// .Dir and .Assets (of a page bundle), the method .Hash (of the file, the
// bundle's file names and the paths; see Rebuilds), .BodyLine, .Refs (the body's
// references to other postmortems, in order), .Lines.Of
// (the line of a field's key, by field name: {{.PM.Lines.Of "title"}}; 0
// when not given), .SlugLine and .SlugCol (where
// slug: is; 0 without one), the methods .HTML (the body; postmortem build
// lets it go once the postmortem's own page and search have read it, and
// renders it again from the file for any page that shows it later) and
// .Text (the body as plain text, made from .HTML at each call: what a
// reader sees, images by their alternative text, a [[slug]] by its slug),
// and .Timeline (each entry with .Time, .Text, .Line, its line in the
// body, .Dated, set when it gave its date, .Rolled, set when a time
// without a date was read as on the next day, and .Skipped, set when the
// clock time written is one its zone skips as the clocks go forward, read
// as that long after the skip: 02:30 as 03:30). Its methods .Year,
// .Duration, .TimeToDetect, .TimeToMitigate, .TimeToResolve (the same as
// .Duration: each time to something counts from .Started, as the insights
// do) and .DurationMinutes compute from those.
//
// "incident-row" and "incident-link" are executed with a Fragment:
// .Incident, .Root, and .Links as a Page's. "term-link" is executed with a
// TermLink: .Name, .URL and .Class.
//
// # Functions
//
// Besides those of html/template, templates may call:
//
//   - label KEY ARGS...: the word KEY of the labels in the site's language,
//     its %d and %s filled in with ARGS as printf does, an argument other
//     than a number, string or bool as its text; an unknown key fails the
//     build.
//   - minutes N: N minutes as the labels spell a duration ("3 h 30 min",
//     "45 min" or "2 d 4 h" in English).
//   - duration D: a time.Duration the same way; empty when not positive.
//   - date T: as the labels spell a date ("6 Aug 2023"); isodate T:
//     "2023-08-06"; iso T: RFC 3339; each empty for a zero time but iso
//     (and clock, below, which writes "00:00").
//   - datetime T LOC: a date and time ("6 Aug 2023 08:00 WAT") in the time
//     zone LOC (such as .PM.Location); clock T LOC: "08:00".
//   - owner NAME: an action item's owner as the ledger names it: NAME, or
//     the label no_owner when NAME is empty.
//   - has LIST S: whether the list of strings holds S.
//   - lower S: S in lower case.
//   - dict K V ...: a map of the keys and values, to hand several values
//     to a template.
//   - rows INCIDENTS: the "incident-row" of each incident, joined: one call
//     for a whole table.
//
// # Rebuilds
//
// A page is rendered again when the data it is executed with has changed:
// its key hashes every field of its data, an incident standing for the
// source of its postmortem, so a theme may show any field and the live
// preview stays right.
//
// An edit that changes a postmortem's body alone renders its own page
// again and no other, in the live preview: the body reaches a page through
// .Body. A theme that shows a body through .PM.HTML or .PM.Text, or the
// hash of its file through .PM.Hash, on any page, has every page whose
// postmortems changed rendered again after each edit instead, as for any
// other field. So has a theme that names a field .Line or .Col anywhere,
// or calls printf, after an edit that moves where the body's timeline,
// references, links or action items are in the file (a line added above
// them): their lines and columns are the only fields of theirs such an
// edit changes. Printed otherwise (.String), a timeline entry shows its
// time and text, a reference what it names, a link its destination and an
// action item its title; written into a script as JSON (.MarshalJSON),
// each has its fields but its place; none can be compared with eq.
package render
