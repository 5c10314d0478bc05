// Package insights holds the figures that no single postmortem shows: how
// many incidents each quarter and month, how fast they were detected and
// resolved, which causes and services recur. A quarter or month is that of
// an incident's started time in UTC, else of its date; a median is over the
// incidents that have both times it needs (stats.Median).
package insights

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/datakey"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/stats"
)

// Figures are the counts and medians of a group of incidents.
type Figures struct {
	Incidents              int `json:"incidents"`
	MedianMinutesToDetect  int `json:"median_minutes_to_detect"`
	MedianMinutesToResolve int `json:"median_minutes_to_resolve"`
	ImpactMinutes          int `json:"impact_minutes"`
	// Detected and Resolved count the incidents the medians are over,
	// those with a start and a detection, and a start and a resolution
	// (the impact is over the latter too): a figure of 0 over none is no
	// figure, over some it is 0 minutes.
	Detected int `json:"detected"`
	Resolved int `json:"resolved"`
}

// Quarter holds the figures of one quarter, overall and per severity.
type Quarter struct {
	Quarter string `json:"quarter"` // 2024-Q1
	Figures
	Severities []Severity `json:"severities"`
}

// Severity holds the figures of one severity level within a period.
type Severity struct {
	Severity string `json:"severity"` // "" for incidents without one
	Figures
}

// Month counts the incidents of one month per severity.
type Month struct {
	Month      string          `json:"month"` // 2024-01
	Incidents  int             `json:"incidents"`
	Severities []SeverityCount `json:"severities"`
}

// SeverityCount is a number of incidents of one severity level.
type SeverityCount struct {
	Severity  string `json:"severity"`
	Incidents int    `json:"incidents"`
}

// Term is one root cause or service with its incidents and impact.
type Term struct {
	Name          string `json:"name"`
	Incidents     int    `json:"incidents"`
	ImpactMinutes int    `json:"impact_minutes"`
	// MedianMinutesToResolve and ImpactMinutes are over its incidents
	// with both times, Resolved of them: with none, neither is a figure.
	MedianMinutesToResolve int `json:"median_minutes_to_resolve"`
	Resolved               int `json:"resolved"`
	// Years count its incidents in each year that has some, oldest
	// first, each the year of the incident's date.
	Years []YearCount `json:"years"`
}

// YearCount is a number of incidents of one year.
type YearCount struct {
	Year      int `json:"year"`
	Incidents int `json:"incidents"`
}

// Recurrence is an incident whose root cause and service both were those
// of an earlier incident that started at most the window before it.
type Recurrence struct {
	RootCause string `json:"root_cause"`
	Service   string `json:"service"`
	Slug      string `json:"slug"`
	Previous  string `json:"previous"` // slug of the earlier incident
	Days      int    `json:"days"`     // whole days between their starts
}

// Insights are every figure of a site, as insights.json holds them.
type Insights struct {
	Quarters    []Quarter    `json:"quarters"`
	Months      []Month      `json:"months"`
	Recurrences []Recurrence `json:"recurrences"`
	// RecurringCauses count, for each root cause, the incidents that are
	// a recurrence of it (on one service or more), most first.
	RecurringCauses []Count `json:"recurring_causes"`
	RootCauses      []Term  `json:"root_causes"` // most incidents first
	Services        []Term  `json:"services"`    // most incidents first

	keys []uint64 // see Keys
}

// Keys returns the key of each postmortem's part in in, in the order
// Cache.Compute was given them: it changes when what the figures read of
// the postmortem changes, and not for an edit of its body. nil for
// insights that Compute made.
func Keys(in *Insights) []uint64 { return in.keys }

// Count is the number of incidents that are a recurrence of one root
// cause.
type Count struct {
	Name      string `json:"name"`
	Incidents int    `json:"incidents"`
}

// Compute returns the insights of pms. severities lists the site's levels,
// worst first; window is how close two incidents of one cause and service
// must start to count as a recurrence.
func Compute(pms []*postmortem.Postmortem, severities []string, window time.Duration) Insights {
	return compute(project(pms), severities, window)
}

func compute(pms []*incident, severities []string, window time.Duration) Insights {
	var in Insights
	byQuarter := group(pms, quarterOf)
	for _, q := range slices.Sorted(maps.Keys(byQuarter)) {
		members := byQuarter[q]
		quarter := Quarter{Quarter: q, Figures: figures(members)}
		bySev := group(members, func(p *incident) string { return p.Severity })
		for _, s := range levels(bySev, severities) {
			quarter.Severities = append(quarter.Severities, Severity{s, figures(bySev[s])})
		}
		in.Quarters = append(in.Quarters, quarter)
	}
	byMonth := group(pms, monthOf)
	for _, m := range slices.Sorted(maps.Keys(byMonth)) {
		month := Month{Month: m, Incidents: len(byMonth[m])}
		bySev := group(byMonth[m], func(p *incident) string { return p.Severity })
		for _, s := range levels(bySev, severities) {
			month.Severities = append(month.Severities, SeverityCount{s, len(bySev[s])})
		}
		in.Months = append(in.Months, month)
	}
	in.RootCauses = terms(pms, func(p *incident) []string { return postmortem.WithAncestors(p.RootCauses) })
	in.Services = terms(pms, func(p *incident) []string { return p.Services })
	in.Recurrences = recurrences(pms, window)
	in.RecurringCauses = recurringCauses(in.Recurrences)
	return in
}

// JSON returns in as insights.json holds it (see WriteJSON).
func (in Insights) JSON() []byte {
	var b bytes.Buffer
	in.WriteJSON(&b) // a bytes.Buffer does not fail
	return b.Bytes()
}

// WriteJSON writes in as insights.json holds it: compact, but for one line
// per entry of each list, with empty lists as [] rather than null. It
// writes an entry at a time: made whole, the file of 100,000 postmortems
// (65 MB) was held three times over at the build's peak. Indented, it was
// 84 MB.
func (in Insights) WriteJSON(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10) // one write to the file each 64 KB, as the other exports
	bw.WriteByte('{')
	quarters := make([]Quarter, len(in.Quarters))
	for i, q := range in.Quarters { // a copy: the pages may be reading the caller's
		q.Severities = nonNil(q.Severities)
		quarters[i] = q
	}
	writeList(bw, "", "quarters", quarters)
	writeList(bw, ",\n", "months", in.Months)
	writeList(bw, ",\n", "recurrences", in.Recurrences)
	writeList(bw, ",\n", "recurring_causes", in.RecurringCauses)
	writeList(bw, ",\n", "root_causes", yearsNonNil(in.RootCauses))
	writeList(bw, ",\n", "services", yearsNonNil(in.Services))
	bw.WriteString("}\n")
	return bw.Flush()
}

// writeList writes sep, then the list named name as WriteJSON lays it out.
func writeList[T any](w *bufio.Writer, sep, name string, list []T) {
	w.WriteString(sep + `"` + name + `":[`)
	for i, e := range list {
		data, err := json.Marshal(e)
		if err != nil {
			panic(err) // the types above always marshal
		}
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteByte('\n')
		w.Write(data)
	}
	if len(list) > 0 {
		w.WriteByte('\n')
	}
	w.WriteByte(']')
}

// yearsNonNil is ts, each with its Years [] rather than nil: a copy when
// one is nil.
func yearsNonNil(ts []Term) []Term {
	if !slices.ContainsFunc(ts, func(t Term) bool { return t.Years == nil }) {
		return ts
	}
	out := slices.Clone(ts)
	for i := range out {
		out[i].Years = nonNil(out[i].Years)
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// QuarterOf is the quarter an incident is filed under, as 2024-Q1: that
// of its date, as its year is that of the site's pages of years.
func QuarterOf(p *postmortem.Postmortem) string { return quarterOf(&incident{Date: p.Date}) }

func quarterOf(p *incident) string {
	return fmt.Sprintf("%d-Q%d", p.Date.Year(), (int(p.Date.Month())+2)/3)
}

// MonthOf is the month an incident is filed under, as 2024-01: that of
// its date.
func MonthOf(p *postmortem.Postmortem) string { return monthOf(&incident{Date: p.Date}) }

func monthOf(p *incident) string { return p.Date.Format("2006-01") }

// Of returns the figures of a group of incidents, such as the members of
// one term.
func Of(pms []*postmortem.Postmortem) Figures { return figures(project(pms)) }

// Span lists every quarter (or month, when months) from first to last,
// those without incidents included, as QuarterOf and MonthOf name them.
// It is empty when first is after last or either is malformed.
func Span(first, last string, months bool) []string {
	var out []string
	y, n, ok := period(first, months)
	ly, ln, lok := period(last, months)
	if !ok || !lok {
		return nil
	}
	per := 4
	if months {
		per = 12
	}
	for y < ly || y == ly && n <= ln {
		if months {
			out = append(out, fmt.Sprintf("%04d-%02d", y, n))
		} else {
			out = append(out, fmt.Sprintf("%d-Q%d", y, n))
		}
		if n++; n > per {
			y, n = y+1, 1
		}
	}
	return out
}

// Years lists every year from that of the first of in's months to that of
// the last, those without incidents included.
func (in Insights) Years() []int {
	if len(in.Months) == 0 {
		return nil
	}
	first, _, ok := period(in.Months[0].Month, true)
	last, _, lok := period(in.Months[len(in.Months)-1].Month, true)
	if !ok || !lok {
		return nil
	}
	var out []int
	for y := first; y <= last; y++ {
		out = append(out, y)
	}
	return out
}

// period reads a quarter (2024-Q1) or a month (2024-01) as year and number.
func period(s string, months bool) (int, int, bool) {
	var y, n int
	format, per := "%d-Q%d", 4
	if months {
		format, per = "%d-%d", 12
	}
	if c, err := fmt.Sscanf(s, format, &y, &n); err != nil || c != 2 || n < 1 || n > per {
		return 0, 0, false
	}
	return y, n, true
}

// recurringCauses counts the incidents that recur with each root cause,
// each once however many services it recurred on, most first, then by
// name.
func recurringCauses(recs []Recurrence) []Count {
	type cause struct{ name, slug string }
	seen := map[cause]bool{}
	n := map[string]int{}
	for _, r := range recs {
		if k := (cause{r.RootCause, r.Slug}); !seen[k] {
			seen[k] = true // once, whatever the services it recurred on
			n[r.RootCause]++
		}
	}
	out := make([]Count, 0, len(n))
	for _, name := range slices.Sorted(maps.Keys(n)) {
		out = append(out, Count{name, n[name]})
	}
	slices.SortStableFunc(out, func(a, b Count) int { return cmp.Compare(b.Incidents, a.Incidents) })
	return out
}

// incident is what the figures read of a postmortem: compute reads
// nothing else, and Cache keys on all of it (datakey).
type incident struct {
	Slug, Severity                    string
	Date, Started, Detected, Resolved time.Time
	RootCauses, Services              []string
	Minutes                           int // DurationMinutes of the postmortem
}

func project1(p *postmortem.Postmortem) *incident {
	return &incident{Slug: p.Slug, Severity: p.Severity, Date: p.Date, Started: p.Started, Detected: p.Detected, Resolved: p.Resolved,
		RootCauses: p.RootCauses, Services: p.Services, Minutes: p.DurationMinutes()}
}

func project(pms []*postmortem.Postmortem) []*incident {
	out := make([]*incident, len(pms))
	for i, p := range pms {
		out[i] = project1(p)
	}
	return out
}

// Cache computes the insights of a site again only when what they are
// computed from changed, and keeps their insights.json. It keeps the key
// of each postmortem's incident by the postmortem's Hash, which stands
// for all it is made from but the configuration: make a new Cache when
// that changes. It is not safe for concurrent use.
type Cache struct {
	key  uint64
	in   *Insights
	keys datakey.Memo // the key of each postmortem's incident, by its hash
}

// inputs are all that compute reads, the incidents by their keys: the key
// of a Cache is theirs.
type inputs struct {
	Incidents  []uint64
	Severities []string
	Window     time.Duration
}

// Compute is Compute of the package, reused while the incidents (as the
// figures read them), the levels and the window are those of the last
// call: the same pointer then, which the caller must not change.
func (c *Cache) Compute(pms []*postmortem.Postmortem, severities []string, window time.Duration) *Insights {
	inc := make([]*incident, len(pms)) // those made for their keys
	read := inputs{Severities: severities, Window: window}
	read.Incidents = c.keys.Keys(len(pms), func(i int) uint64 { return postmortem.HashOf(pms[i]) }, func(i int) any {
		inc[i] = project1(pms[i])
		return inc[i]
	})
	if k := datakey.Of(read); c.in == nil || k != c.key {
		for i, p := range pms {
			if inc[i] == nil {
				inc[i] = project1(p)
			}
		}
		in := compute(inc, severities, window)
		in.keys = read.Incidents
		c.key, c.in = k, &in
	}
	return c.in
}

// Key is the key of the inputs of the last Compute: the same key, the same
// insights.
func (c *Cache) Key() uint64 { return c.key }

// WriteJSON writes JSON of the last Compute's result (Insights.WriteJSON).
func (c *Cache) WriteJSON(w io.Writer) error { return c.in.WriteJSON(w) }

// start is the instant an incident is filed under: started, else its date.
func start(p *incident) time.Time {
	if !p.Started.IsZero() {
		return p.Started.UTC()
	}
	return time.Date(p.Date.Year(), p.Date.Month(), p.Date.Day(), 0, 0, 0, 0, time.UTC)
}

func figures(pms []*incident) Figures {
	f := Figures{Incidents: len(pms)}
	var detect, resolve []int
	for _, p := range pms {
		if postmortem.Known(p.Started, p.Detected) {
			detect = append(detect, int(p.Detected.Sub(p.Started)/time.Minute))
		}
		if postmortem.Known(p.Started, p.Resolved) {
			m := p.Minutes
			resolve = append(resolve, m)
			f.ImpactMinutes += m
		}
	}
	f.MedianMinutesToDetect, f.MedianMinutesToResolve = stats.Median(detect), stats.Median(resolve)
	f.Detected, f.Resolved = len(detect), len(resolve)
	return f
}

func group(pms []*incident, key func(*incident) string) map[string][]*incident {
	out := map[string][]*incident{}
	for _, p := range pms {
		k := key(p)
		out[k] = append(out[k], p)
	}
	return out
}

// levels lists the severities present in bySev, in the site's order, and
// "" (none given) last.
func levels(bySev map[string][]*incident, severities []string) []string {
	var out []string
	for _, s := range severities {
		if len(bySev[s]) > 0 {
			out = append(out, s)
		}
	}
	if len(bySev[""]) > 0 {
		out = append(out, "")
	}
	return out
}

// terms ranks the values of one tag field by incidents, then impact, then name.
func terms(pms []*incident, of func(*incident) []string) []Term {
	members := map[string][]*incident{}
	for _, p := range pms {
		for _, t := range of(p) {
			members[t] = append(members[t], p)
		}
	}
	out := make([]Term, 0, len(members))
	for _, name := range slices.Sorted(maps.Keys(members)) {
		f := figures(members[name])
		out = append(out, Term{Name: name, Incidents: f.Incidents, ImpactMinutes: f.ImpactMinutes, MedianMinutesToResolve: f.MedianMinutesToResolve, Resolved: f.Resolved,
			Years: years(members[name])})
	}
	slices.SortStableFunc(out, func(a, b Term) int {
		return cmp.Or(cmp.Compare(b.Incidents, a.Incidents), cmp.Compare(b.ImpactMinutes, a.ImpactMinutes))
	})
	return out
}

// years counts pms in each year of their dates, oldest first.
func years(pms []*incident) []YearCount {
	byYear := map[int]int{}
	for _, p := range pms {
		byYear[p.Date.Year()]++
	}
	out := make([]YearCount, 0, len(byYear))
	for _, y := range slices.Sorted(maps.Keys(byYear)) {
		out = append(out, YearCount{y, byYear[y]})
	}
	return out
}

// recurrences finds, for every root cause and service an incident has, the
// latest earlier incident with both, when it started at most window before.
func recurrences(pms []*incident, window time.Duration) []Recurrence {
	sorted := slices.Clone(pms)
	slices.SortStableFunc(sorted, func(a, b *incident) int {
		return cmp.Or(start(a).Compare(start(b)), cmp.Compare(a.Slug, b.Slug))
	})
	type pair struct{ cause, service string }
	last := map[pair]*incident{}
	byPair := map[pair][]Recurrence{}
	for _, p := range sorted {
		for _, c := range p.RootCauses {
			for _, s := range p.Services {
				k := pair{c, s}
				if prev := last[k]; prev != nil {
					if gap := start(p).Sub(start(prev)); gap <= window {
						byPair[k] = append(byPair[k], Recurrence{c, s, p.Slug, prev.Slug, int(gap / (24 * time.Hour))})
					}
				}
				last[k] = p
			}
		}
	}
	// By root cause, service and slug, one entry per each: the order is
	// total. Sorted pair by pair, as a sort of them all costs more.
	pairs := slices.SortedFunc(maps.Keys(byPair), func(a, b pair) int {
		return cmp.Or(strings.Compare(a.cause, b.cause), strings.Compare(a.service, b.service))
	})
	n := 0
	for _, recs := range byPair {
		n += len(recs)
	}
	out := make([]Recurrence, 0, n)
	for _, k := range pairs {
		recs := byPair[k]
		slices.SortFunc(recs, func(a, b Recurrence) int { return strings.Compare(a.Slug, b.Slug) })
		out = append(out, recs...)
	}
	return out
}
