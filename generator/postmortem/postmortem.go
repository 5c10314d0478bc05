// Package postmortem holds the content model: one incident postmortem, read
// from a Markdown file with front matter and checked field by field.
package postmortem

import (
	"encoding/binary"
	"encoding/json"
	"hash/fnv"
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/markdown"
	"github.com/postmortem/postmortem/generator/timeline"
)

// Postmortem is one incident, as parsed and validated from one file.
type Postmortem struct {
	Path   string   // source file, slash-separated, relative to the site root
	Dir    string   // bundle folder relative to the site root, "" when not a bundle
	Assets []string // bundle files beside index.md, relative to Dir, sorted
	// hash is the hash of all a postmortem is made from but the
	// configuration: its path, bundle folder and bytes, and with Load the
	// names of its bundle files; and, for a summary that names other
	// postmortems, that summary as linking resolved it (SetSummaryTitles).
	// Whatever is made from postmortems alone is the same while their
	// hashes are. See Hash and HashOf.
	hash uint64
	// decoded is set once the front matter was read, and erred holds
	// the fields with an error in them, sorted: see Decoded and Erred.
	decoded bool
	erred   []string

	Slug string
	// SlugLine and SlugCol are where slug: gives the slug; 0 when the slug
	// comes from the file name.
	SlugLine, SlugCol int
	Title             string
	Date              time.Time // day of the incident, midnight in Location
	Location          *time.Location

	// Times of the incident phases; zero when unknown.
	Started, Detected, Acknowledged, Mitigated, Resolved time.Time
	// FromTimeline names the times above that were taken from the timeline
	// rather than the front matter ("started", "resolved", ...), sorted.
	FromTimeline []string
	// ZoneNotes say in which zone the page shows the times, when the body
	// states it, and how an abbreviation of standard time written for a
	// day of summer was read ("CET is read as CEST, ...").
	ZoneNotes []ZoneNote
	// Inferred names the fields the front matter left out that were read
	// from the body or the file name instead ("action_items", "date",
	// "title"), sorted.
	Inferred []string

	Severity     string // as configured, "" when not given
	SeverityRank int    // 1 for the worst level, 0 when not given
	Status       string // draft, review or final
	Draft        bool
	Visibility   string // public or internal

	RootCauses          []string // normalised tags, sorted
	ContributingFactors []string
	Services            []string
	Tags                []string
	Authors             []string
	// Aliased are the tag values written as an alias of postmortem.yaml
	// (aliases:), before they were folded onto their terms, sorted.
	Aliased            []string
	Trigger, Detection string

	Summary string // plain text
	// summaryRefs is the HTML of the first paragraph the summary was
	// taken from when it names other postmortems (see SetSummaryTitles),
	// fileHash the hash of the file alone once that is set.
	summaryRefs template.HTML
	fileHash    uint64
	ActionItems []ActionItem
	// Params holds the front matter keys that are none of the fields
	// above, for templates; nil when there are none.
	Params Params

	BodyLine int       // file line of the first body line
	Lines    Lines     // file line of each field's key
	body     *heldBody // see HTML
	// Refs are the body's references to other postmortems, in order: Line
	// is a line of the file, and Path, for a link to a file, relative to
	// the site root.
	Refs []markdown.Ref
	// Links are the body's links and images to files of the site, their
	// destinations relative to the page, their lines those of the file.
	Links    []markdown.Link
	Timeline []timeline.Entry
}

// ZoneNote is a remark on the zone of a postmortem's times: the zone its
// body states, which the page shows them in, or an abbreviation of
// standard time read as its region's local time on a day of summer.
type ZoneNote struct {
	// Written is the abbreviation as written ("CET") when it was read as
	// its region's local time, Shown ("CEST"); "" for the zone stated.
	Written string
	Shown   string    // the abbreviation in effect: "WAT", "CEST"
	Where   string    // the region and the offset: "Africa/Lagos, UTC+01:00", or the offset alone
	Day     time.Time // the day read so, for a note with Written
}

// ActionItem is a follow-up task of a postmortem.
type ActionItem struct {
	_      [0]func() // not comparable: eq in a template would compare Line
	Title  string
	Owner  string
	Status string // open, done or wontfix
	Due    time.Time
	Type   string // mitigate, prevent or process
	URL    string
	Line   int // file line of the item
}

// String returns the item's title: what a template shows of an item
// printed whole, without its line.
func (a ActionItem) String() string { return a.Title }

// MarshalJSON writes the item as encoding/json would, without its line:
// what a template writes of it into a script.
func (a ActionItem) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Title, Owner, Status string
		Due                  time.Time
		Type, URL            string
	}{a.Title, a.Owner, a.Status, a.Due, a.Type, a.URL})
}

// Text is the plain text of the body (see markdown.PlainText). It is for
// templates, as HTML is: a call marks the body as shown.
func (p *Postmortem) Text() string { return markdown.PlainText(p.HTML()) }

// BodyText is p.Text for the pipeline, such as the search index: it does
// not mark the body as shown.
func BodyText(p *Postmortem) string { return markdown.PlainText(BodyHTML(p)) }

// Decoded reports whether the front matter of p was read, or p had none:
// its fields are then as written, but for those Erred names, whatever
// errors Parse reported.
func Decoded(p *Postmortem) bool { return p.decoded }

// Erred reports whether Parse reported an error in field of p, one of
// config.FieldNames: its value is then missing, or some of it.
func Erred(p *Postmortem, field string) bool {
	_, found := slices.BinarySearch(p.erred, field)
	return found
}

// Year is the year of the incident.
func (p *Postmortem) Year() int { return p.Date.Year() }

// Duration is the time from start to resolution, zero when unknown (see
// Measured).
func (p *Postmortem) Duration() time.Duration { return span(p.Started, p.Resolved) }

// Measured reports whether the duration is known, zero minutes included.
func (p *Postmortem) Measured() bool { return Known(p.Started, p.Resolved) }

// TimeToDetect is the time from start to detection, zero when unknown.
func (p *Postmortem) TimeToDetect() time.Duration { return span(p.Started, p.Detected) }

// TimeToMitigate is the time from start to mitigation, zero when unknown.
func (p *Postmortem) TimeToMitigate() time.Duration { return span(p.Started, p.Mitigated) }

// TimeToResolve is the time from start to resolution, zero when unknown:
// Duration, under the name the insights and the exports give it (each time
// to something is counted from the start).
func (p *Postmortem) TimeToResolve() time.Duration { return p.Duration() }

// DurationMinutes is Duration in whole minutes.
func (p *Postmortem) DurationMinutes() int { return int(p.Duration() / time.Minute) }

// Known reports whether the time from a to b is known: both are given, and
// b is not before a. It is the one rule of every figure of the site that
// counts from one time of an incident to another.
func Known(a, b time.Time) bool { return !a.IsZero() && !b.IsZero() && !b.Before(a) }

func span(a, b time.Time) time.Duration {
	if !Known(a, b) {
		return 0
	}
	return b.Sub(a)
}

// Public reports whether p is in a public build: published as final, and
// not internal.
func (p *Postmortem) Public() bool {
	return !p.Draft && p.Status == "final" && p.Visibility != "internal"
}

// SetSummaryTitles resolves the references of a summary taken from the
// first paragraph to targets, as the page resolves them (targets[k] for
// Refs[k]): a [[slug]] there reads as the title of the postmortem it
// names. Linking calls it, once the targets are known. The hash then
// stands for the file and that summary: what is made from the postmortem
// is made again when a title it shows changes.
//
// It is a function, not a method, so that no template can call it.
func SetSummaryTitles(p *Postmortem, targets []markdown.Target) {
	if p.summaryRefs == "" {
		return
	}
	p.Summary = shorten(markdown.PlainText(markdown.Resolve(p.summaryRefs, targets)))
	rehash(p, p.hash)
}

// MaxSummary is how many characters a summary taken from the body's first
// paragraph keeps: lists, feeds and the exports show it, and a paragraph
// may be a whole document. Three or four sentences fit.
const MaxSummary = 600

// shorten cuts s, a first paragraph, to MaxSummary characters: at the end
// of a sentence in its second half, else at a space, with an ellipsis.
func shorten(s string) string {
	n := 0
	for i := range s {
		if n == MaxSummary {
			cut := s[:i]
			if j := strings.LastIndex(cut, ". "); j > len(cut)/2 {
				return cut[:j+1]
			}
			if j := strings.LastIndexByte(cut, ' '); j > len(cut)/2 {
				cut = cut[:j]
			}
			return strings.TrimRight(cut, " ,;:") + "…"
		}
		n++
	}
	return s
}

// rehash sets the hash of p, whose summary names other postmortems, to
// stand for its file, of hash file (or, when p has one already, the one
// p is of), and its summary.
func rehash(p *Postmortem, file uint64) {
	if p.fileHash == 0 {
		p.fileHash = file
	}
	h := fnv.New64a()
	binary.Write(h, binary.LittleEndian, p.fileHash)
	h.Write([]byte(p.Summary))
	p.hash = h.Sum64()
}

// Placeholder is the text postmortem new writes for its author to replace:
// the command writes it from here, the rule placeholder of package review
// finds what of it a postmortem out of draft still holds, and the times of
// its timeline's entries are not the incident's.
var Placeholder = struct {
	Summary       string   // the paragraph under ## Summary
	Timeline      []string // the texts of the timeline's entries
	Action, Owner string   // the title and owner of the first action item
}{
	Summary:  "What happened, who was affected and for how long, in two or three sentences.",
	Timeline: []string{"Impact begins.", "The first alert fires.", "Service is restored."},
	Action:   "First follow-up",
	Owner:    "someone",
}
