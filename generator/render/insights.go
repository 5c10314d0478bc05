package render

import (
	"cmp"
	"html/template"
	"slices"
	"strconv"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/link"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// InsightsURL is the insights page, relative to the site root.
const InsightsURL = "insights.html"

// InsightsView is what the insights page shows: the figures of
// insights.json, laid out for tables, and the charts drawn from them.
type InsightsView struct {
	Data insights.Insights
	// Severities are the columns of the tables per severity: the site's
	// levels that have incidents, worst first, and "" for none given.
	Severities []string
	// Months and Quarters run from the first to the last, those without
	// incidents included.
	Months   []MonthRow
	Quarters []QuarterRow
	// Timed says that some incident gives its start with its detection or
	// its resolution, which the medians to detect and resolve are of.
	Timed bool
	// Years run from the year of the first incident to that of the last:
	// the columns of the rows' ByYear.
	Years []int
	// RootCauses and Services are most incidents first, CausesByImpact
	// the root causes whose impact is known, most impact minutes first.
	RootCauses, CausesByImpact, Services []TermRow
	// Recurrences are the newest MaxRecurrences of the site's, newest
	// first; AllRecurrences counts them all (insights.json lists all).
	Recurrences    []RecurrenceView
	AllRecurrences int
	// Incidents counts the incidents of the site; RecurrenceDays is the
	// window of a recurrence (recurrence_days: in postmortem.yaml).
	Incidents, RecurrenceDays int
	// The charts, each an inline SVG image. TimesChart draws the medians
	// to detect and to resolve in two panels, each to its own scale;
	// DetectChart and ResolveChart draw them by severity.
	MonthsChart, ImpactChart, TimesChart, DetectChart, ResolveChart template.HTML
	CausesChart, CausesImpactChart, ServicesChart, RecurChart       template.HTML

	key uint64 // of the fields above
}

// dataKey is the key of the view's fields, hashed once when it is made.
func (v *InsightsView) dataKey() uint64 { return v.key }

// MaxRecurrences is how many recurrences the insights page lists.
const MaxRecurrences = 100

// MonthRow is one month: its incidents, and their number per severity in
// the order of InsightsView.Severities.
type MonthRow struct {
	Month     string
	Incidents int
	Counts    []int
}

// QuarterRow is one quarter's figures, and those per severity in the order
// of InsightsView.Severities (zero where a severity had none).
type QuarterRow struct {
	insights.Figures
	Quarter    string
	BySeverity []insights.Figures
}

// TermRow is a root cause or service with its figures and page, and its
// incidents in each of InsightsView.Years.
type TermRow struct {
	insights.Term
	URL    string
	ByYear []int
}

// RecurrenceView is a recurrence with links to both incidents and to its
// root cause and service.
type RecurrenceView struct {
	insights.Recurrence
	Incident, Previous *Incident
	RootCause, Service Link
}

// insightsView lays out in for the insights page of s.
func insightsView(s *link.Site, in insights.Insights, views []*Incident, cfg *config.Config) *InsightsView {
	words := cfg.Labels
	minutes := func(m int) string { return words.Duration(time.Duration(m) * time.Minute) }
	v := &InsightsView{Data: in}
	seen := map[string]bool{}
	for _, q := range in.Quarters {
		for _, sv := range q.Severities {
			seen[sv.Severity] = true
		}
	}
	for _, level := range cfg.Severities {
		if seen[level] {
			v.Severities = append(v.Severities, level)
		}
	}
	if seen[""] {
		v.Severities = append(v.Severities, "")
	}
	sevName := func(s string) string {
		if s == "" {
			return words["no_severity"]
		}
		return s
	}
	if len(in.Months) > 0 {
		byMonth := map[string]insights.Month{}
		for _, m := range in.Months {
			byMonth[m.Month] = m
		}
		for _, name := range insights.Span(in.Months[0].Month, in.Months[len(in.Months)-1].Month, true) {
			m := byMonth[name]
			row := MonthRow{Month: name, Incidents: m.Incidents, Counts: make([]int, len(v.Severities))}
			for _, sc := range m.Severities {
				row.Counts[slices.Index(v.Severities, sc.Severity)] = sc.Incidents
			}
			v.Months = append(v.Months, row)
		}
	}
	if len(in.Quarters) > 0 {
		byQuarter := map[string]insights.Quarter{}
		for _, q := range in.Quarters {
			byQuarter[q.Quarter] = q
		}
		for _, name := range insights.Span(in.Quarters[0].Quarter, in.Quarters[len(in.Quarters)-1].Quarter, false) {
			q := byQuarter[name]
			row := QuarterRow{Quarter: name, Figures: q.Figures, BySeverity: make([]insights.Figures, len(v.Severities))}
			for _, sf := range q.Severities {
				row.BySeverity[slices.Index(v.Severities, sf.Severity)] = sf.Figures
			}
			v.Quarters = append(v.Quarters, row)
		}
	}
	v.Incidents, v.RecurrenceDays = len(s.Postmortems), int(cfg.RecurrenceDays)
	v.Years = in.Years()
	rows := func(key string, ts []insights.Term) []TermRow {
		out := make([]TermRow, len(ts))
		for i, t := range ts {
			out[i] = TermRow{Term: t, URL: s.Taxonomy(key).URL(t.Name), ByYear: make([]int, len(v.Years))}
			for _, y := range t.Years {
				if k := slices.Index(v.Years, y.Year); k >= 0 {
					out[i].ByYear[k] = y.Incidents
				}
			}
		}
		return out
	}
	// A cause whose impact is not known, none of its incidents having
	// both times, is not ranked by it.
	byImpact := slices.DeleteFunc(slices.Clone(in.RootCauses), func(t insights.Term) bool { return t.Resolved == 0 })
	slices.SortStableFunc(byImpact, func(a, b insights.Term) int { return b.ImpactMinutes - a.ImpactMinutes })
	v.RootCauses, v.CausesByImpact, v.Services = rows("root_cause", in.RootCauses), rows("root_cause", byImpact), rows("service", in.Services)
	// The newest first, by the position of the later incident, then as in
	// (by root cause and service): each position looked up once, not at
	// each comparison of tens of thousands.
	v.AllRecurrences = len(in.Recurrences)
	order := make([][2]int, len(in.Recurrences)) // position, index in in
	for i, r := range in.Recurrences {
		order[i] = [2]int{s.Index[r.Slug], i}
	}
	slices.SortFunc(order, func(a, b [2]int) int { return cmp.Or(a[0]-b[0], a[1]-b[1]) })
	for _, o := range order[:min(len(order), MaxRecurrences)] {
		r := in.Recurrences[o[1]]
		rv := RecurrenceView{Recurrence: r,
			RootCause: Link{r.RootCause, s.Taxonomy("root_cause").URL(r.RootCause)},
			Service:   Link{r.Service, s.Taxonomy("service").URL(r.Service)}}
		if i, ok := s.Index[r.Slug]; ok {
			rv.Incident = views[i]
		}
		if i, ok := s.Index[r.Previous]; ok {
			rv.Previous = views[i]
		}
		v.Recurrences = append(v.Recurrences, rv)
	}

	// The charts.
	months := make([]string, len(v.Months))
	bySev := make([]series, len(v.Severities))
	for k, level := range v.Severities {
		bySev[k] = series{class: severityClass(cfg.SeverityRank(level)), name: sevName(level), values: make([]int, len(v.Months))}
	}
	for i, m := range v.Months {
		months[i] = m.Month
		for k, n := range m.Counts {
			bySev[k].values[i] = n
		}
	}
	v.MonthsChart = columnChart(words["chart_incidents_per_month"], months, bySev, strconv.Itoa)
	quarters := make([]string, len(v.Quarters))
	impact, detect, resolve := make([]int, len(v.Quarters)), make([]int, len(v.Quarters)), make([]int, len(v.Quarters))
	detectBySev, resolveBySev := make([]series, len(v.Severities)), make([]series, len(v.Severities))
	for k, level := range v.Severities {
		rank := cfg.SeverityRank(level)
		s := series{class: severityClass(rank), name: sevName(level), mark: severityMark(rank)}
		detectBySev[k], resolveBySev[k] = s, s
		detectBySev[k].values, resolveBySev[k].values = make([]int, len(v.Quarters)), make([]int, len(v.Quarters))
	}
	for i, q := range v.Quarters {
		v.Timed = v.Timed || q.Detected > 0 || q.Resolved > 0
		quarters[i], impact[i], detect[i], resolve[i] = q.Quarter, q.ImpactMinutes, q.MedianMinutesToDetect, q.MedianMinutesToResolve
		for k, f := range q.BySeverity {
			detectBySev[k].values[i], resolveBySev[k].values[i] = f.MedianMinutesToDetect, f.MedianMinutesToResolve
		}
	}
	v.ImpactChart = columnChart(words["chart_impact_per_quarter"], quarters, []series{{class: "s-bar", values: impact}}, minutes)
	v.TimesChart = panelChart(words["chart_times_per_quarter"], quarters, []series{
		{class: "s-detect", name: words["median_time_to_detect"], values: detect},
		{class: "s-resolve", name: words["median_time_to_resolve"], values: resolve}}, minutes)
	v.DetectChart = lineChart(words["chart_detect_per_severity"], quarters, detectBySev, minutes)
	v.ResolveChart = lineChart(words["chart_resolve_per_severity"], quarters, resolveBySev, minutes)
	top := func(ts []TermRow, value func(TermRow) int) ([]string, []int) {
		ts = ts[:min(len(ts), 15)]
		names, values := make([]string, len(ts)), make([]int, len(ts))
		for i, t := range ts {
			names[i], values[i] = t.Name, value(t)
		}
		return names, values
	}
	names, values := top(v.RootCauses, func(t TermRow) int { return t.Incidents })
	v.CausesChart = barChart(words["chart_causes_by_count"], names, values, strconv.Itoa)
	names, values = top(v.CausesByImpact, func(t TermRow) int { return t.ImpactMinutes })
	v.CausesImpactChart = barChart(words["chart_causes_by_impact"], names, values, minutes)
	names, values = top(v.Services, func(t TermRow) int { return t.Incidents })
	v.ServicesChart = barChart(words["chart_services"], names, values, strconv.Itoa)
	names, values = nil, nil
	for _, c := range in.RecurringCauses[:min(len(in.RecurringCauses), 15)] {
		names, values = append(names, c.Name), append(values, c.Incidents)
	}
	v.RecurChart = barChart(words["chart_recurring_causes"], names, values, strconv.Itoa)
	return v
}

// TermInsights are the figures of a root cause, service or severity page.
type TermInsights struct {
	// Quarters counts the term's incidents in each quarter of the site,
	// from its first to its last.
	Quarters []QuarterCount
	// Sparkline draws Quarters as a small inline SVG image, without axes;
	// Chart draws them as columns, with the largest count and the first
	// and last quarters.
	Sparkline, Chart template.HTML
	// MedianMinutesToResolve is over the term's incidents with a start and
	// a resolution, 0 when none has both.
	MedianMinutesToResolve int
}

// QuarterCount is a number of incidents in one quarter.
type QuarterCount struct {
	Quarter   string
	Incidents int
}

// insightTaxonomies are the taxonomies whose term pages show TermInsights.
var insightTaxonomies = []string{"root_cause", "service", "severity"}

// computeTermInsights computes the figures of term over quarters.
func computeTermInsights(s *link.Site, term *link.Term, quarters []string, words config.Labels) *TermInsights {
	members := make([]*postmortem.Postmortem, len(term.Members))
	n := map[string]int{}
	for k, i := range term.Members {
		members[k] = s.Postmortems[i]
		n[insights.QuarterOf(members[k])]++
	}
	f := insights.Of(members)
	ti := &TermInsights{MedianMinutesToResolve: f.MedianMinutesToResolve}
	values := make([]int, len(quarters))
	for i, q := range quarters {
		ti.Quarters = append(ti.Quarters, QuarterCount{q, n[q]})
		values[i] = n[q]
	}
	if len(quarters) > 0 {
		title, _ := words.Label("chart_term_per_quarter", term.Name, quarters[0], quarters[len(quarters)-1])
		ti.Sparkline = sparkline(title, values)
		ti.Chart = columnChart(title, quarters, []series{{class: "s-bar", values: values}}, strconv.Itoa)
	}
	return ti
}

// termMemo is the figures of a term page and the key of what they were
// computed from.
type termMemo struct {
	key uint64
	ti  *TermInsights
}

// insightsMemo is the insights page's view of the last build.
type insightsMemo struct {
	in   *insights.Insights
	view *InsightsView
}

// insightsOf returns the view of in for the insights page, whose incidents
// are views, made again when in is not that of the last build or an
// incident it shows has another view.
func (r *Renderer) insightsOf(s *link.Site, in *insights.Insights, views []*Incident) *InsightsView {
	if m := r.insights; m.in == in && m.view != nil {
		same := true
		for _, rv := range m.view.Recurrences {
			i, ok := s.Index[rv.Slug]
			j, okp := s.Index[rv.Recurrence.Previous]
			if !ok || !okp || views[i] != rv.Incident || views[j] != rv.Previous {
				same = false
				break
			}
		}
		if same {
			return m.view
		}
	}
	v := insightsView(s, *in, views, r.cfg)
	v.key = r.pageKey(*v)
	r.insights = insightsMemo{in, v}
	return v
}
