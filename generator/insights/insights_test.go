package insights

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/postmortem"
)

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04 -0700", s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture: five incidents whose figures are worked out by hand below.
func fixture() []*postmortem.Postmortem {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	return []*postmortem.Postmortem{
		// Q1 2024: a, b, c. a: detect 10, resolve 60. b: detect 20, resolve 120. c: no times.
		{Slug: "a", Date: day("2024-01-10"), Severity: "SEV1", Started: at("2024-01-10 10:00 +0000"), Detected: at("2024-01-10 10:10 +0000"), Resolved: at("2024-01-10 11:00 +0000"),
			RootCauses: []string{"dns"}, Services: []string{"api"}},
		{Slug: "b", Date: day("2024-02-01"), Severity: "SEV2", Started: at("2024-02-01 10:00 +0000"), Detected: at("2024-02-01 10:20 +0000"), Resolved: at("2024-02-01 12:00 +0000"),
			RootCauses: []string{"dns", "capacity"}, Services: []string{"api", "web"}},
		{Slug: "c", Date: day("2024-03-31"), RootCauses: []string{"capacity"}},
		// Started on 31 March in its own zone (+02:00), 30 March 23:30 UTC: Q1 by its date.
		// Detect 30, resolve 90.
		{Slug: "d", Date: day("2024-03-31"), Severity: "SEV1", Started: at("2024-03-31 01:30 +0200"), Detected: at("2024-03-31 02:00 +0200"), Resolved: at("2024-03-31 03:00 +0200"),
			RootCauses: []string{"dns"}, Services: []string{"api"}},
		// Q3 2024, 200 days after b: not a recurrence of dns/api within 90 days.
		{Slug: "e", Date: day("2024-08-19"), Severity: "SEV1", Started: at("2024-08-19 10:00 +0000"), Resolved: at("2024-08-19 10:30 +0000"),
			RootCauses: []string{"dns"}, Services: []string{"api"}},
	}
}

// TestQuarterOfTheDate: an incident is filed under the quarter and month
// of its date, as under its year on the pages of years, not of its start
// in UTC: one on New Year's Eve west of UTC is of the old year.
func TestQuarterOfTheDate(t *testing.T) {
	p := &postmortem.Postmortem{Date: time.Date(2023, 12, 31, 0, 0, 0, 0, time.UTC), Started: at("2023-12-31 22:00 -0500")}
	if q, m := QuarterOf(p), MonthOf(p); q != "2023-Q4" || m != "2023-12" {
		t.Errorf("QuarterOf %s, MonthOf %s; want 2023-Q4 and 2023-12", q, m)
	}
}

func TestCompute(t *testing.T) {
	in := Compute(fixture(), []string{"SEV1", "SEV2", "SEV3"}, 90*24*time.Hour)
	if len(in.Quarters) != 2 {
		t.Fatalf("quarters: %+v", in.Quarters)
	}
	q1 := in.Quarters[0]
	// Q1: a, b, c, d. Detect: 10, 20, 30 -> 20. Resolve: 60, 120, 90 -> 90. Impact 270.
	if q1.Quarter != "2024-Q1" || q1.Incidents != 4 || q1.MedianMinutesToDetect != 20 || q1.MedianMinutesToResolve != 90 || q1.ImpactMinutes != 270 {
		t.Errorf("Q1: %+v", q1)
	}
	// Per severity: SEV1 a and d (detect 10, 30 -> 20; resolve 60, 90 -> 75), SEV2 b, then none given (c).
	want := []Severity{
		{"SEV1", Figures{2, 20, 75, 150, 2, 2}},
		{"SEV2", Figures{1, 20, 120, 120, 1, 1}},
		{"", Figures{1, 0, 0, 0, 0, 0}},
	}
	if len(q1.Severities) != len(want) {
		t.Fatalf("Q1 severities: %+v", q1.Severities)
	}
	for i := range want {
		if q1.Severities[i] != want[i] {
			t.Errorf("Q1 severity %d: %+v, want %+v", i, q1.Severities[i], want[i])
		}
	}
	if q3 := in.Quarters[1]; q3.Quarter != "2024-Q3" || q3.Incidents != 1 || q3.MedianMinutesToDetect != 0 || q3.MedianMinutesToResolve != 30 {
		t.Errorf("Q3: %+v", q3)
	}
	// Months: 2024-01 a, 2024-02 b, 2024-03 c and d, 2024-08 e.
	if len(in.Months) != 4 || in.Months[2].Month != "2024-03" || in.Months[2].Incidents != 2 ||
		len(in.Months[2].Severities) != 2 || in.Months[2].Severities[0] != (SeverityCount{"SEV1", 1}) {
		t.Errorf("months: %+v", in.Months)
	}
	// Root causes: dns a, b, d, e (impact 60+120+90+30 = 300); capacity b, c (120).
	if want := []Term{{"dns", 4, 300, 75, 4, []YearCount{{2024, 4}}}, {"capacity", 2, 120, 120, 1, []YearCount{{2024, 2}}}}; !reflect.DeepEqual(in.RootCauses, want) {
		t.Errorf("root causes: %+v", in.RootCauses)
	}
	// Recurrences: b after a (dns/api, 22 days); d after b (dns/api, 58 days);
	// e comes 141 days after d: none. web and capacity never repeat together.
	wantRec := []Recurrence{{"dns", "api", "b", "a", 22}, {"dns", "api", "d", "b", 58}}
	if len(in.Recurrences) != len(wantRec) || in.Recurrences[0] != wantRec[0] || in.Recurrences[1] != wantRec[1] {
		t.Errorf("recurrences: %+v, want %+v", in.Recurrences, wantRec)
	}
}

// TestTermsByYear: a root cause's and a service's incidents are counted in
// each year of their dates, oldest first, the years without any left out;
// one dated New Year's Eve in its own zone is of the old year.
func TestTermsByYear(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	pms := []*postmortem.Postmortem{
		{Slug: "a", Date: day("2021-06-01"), RootCauses: []string{"dns"}, Services: []string{"api"}},
		{Slug: "b", Date: day("2023-12-31"), Started: at("2023-12-31 20:00 -0800"), RootCauses: []string{"dns"}, Services: []string{"api"}},
		{Slug: "c", Date: day("2024-01-02"), RootCauses: []string{"dns", "capacity"}},
		{Slug: "d", Date: day("2024-06-01"), RootCauses: []string{"dns"}, Services: []string{"web"}},
	}
	in := Compute(pms, nil, 0)
	want := map[string][]YearCount{
		"dns":      {{2021, 1}, {2023, 1}, {2024, 2}},
		"capacity": {{2024, 1}},
		"api":      {{2021, 1}, {2023, 1}},
		"web":      {{2024, 1}},
	}
	for _, term := range append(in.RootCauses, in.Services...) {
		if !reflect.DeepEqual(term.Years, want[term.Name]) {
			t.Errorf("%s: years %v, want %v", term.Name, term.Years, want[term.Name])
		}
	}
	if !strings.Contains(string(in.JSON()), `"name":"dns","incidents":4,"impact_minutes":0,"median_minutes_to_resolve":0,"resolved":0,"years":[{"year":2021,"incidents":1},`) {
		t.Errorf("insights.json does not give dns its years: %s", in.JSON())
	}
}

func TestRecurringCausesAndSpan(t *testing.T) {
	in := Compute(fixture(), []string{"SEV1", "SEV2", "SEV3"}, 90*24*time.Hour)
	// Both recurrences (b after a, d after b) are of dns.
	if len(in.RecurringCauses) != 1 || in.RecurringCauses[0] != (Count{"dns", 2}) {
		t.Errorf("recurring causes: %+v", in.RecurringCauses)
	}
	if got := Span("2023-Q4", "2024-Q2", false); strings.Join(got, " ") != "2023-Q4 2024-Q1 2024-Q2" {
		t.Errorf("quarters: %v", got)
	}
	if got := Span("2024-11", "2025-02", true); strings.Join(got, " ") != "2024-11 2024-12 2025-01 2025-02" {
		t.Errorf("months: %v", got)
	}
	if got := Span("2024-Q3", "2024-Q1", false); len(got) != 0 {
		t.Errorf("backwards: %v", got)
	}
	// An incident that recurs on two services is two recurrences, and
	// one incident of its root cause.
	pms := fixture()
	pms[3].Services = []string{"api", "web"}
	pms = append(pms, &postmortem.Postmortem{Slug: "f", Date: pms[3].Date, Started: pms[3].Started.Add(time.Hour), RootCauses: []string{"dns"}, Services: []string{"api", "web"}})
	in = Compute(pms, []string{"SEV1", "SEV2", "SEV3"}, 90*24*time.Hour)
	if n := len(in.Recurrences); n != 5 || len(in.RecurringCauses) != 1 || in.RecurringCauses[0] != (Count{"dns", 3}) {
		t.Errorf("%d recurrences, recurring causes %+v; want 5 (b on api, d on api and web, f on api and web) and dns for 3 incidents", n, in.RecurringCauses)
	}
	// An empty site still writes lists, never null.
	if got := string(Compute(nil, nil, time.Hour).JSON()); strings.Contains(got, "null") {
		t.Errorf("empty insights: %s", got)
	}
}

// TestWriteJSON wants insights.json one entry of a list a line, whatever
// its strings hold, empty lists as [], and the same JSON as compact.
func TestWriteJSON(t *testing.T) {
	in := Insights{
		Quarters:   []Quarter{{Quarter: "2024-Q1", Figures: Figures{Incidents: 2}}},
		Months:     []Month{{Month: "2024-01", Incidents: 2, Severities: []SeverityCount{{"SEV1", 1}, {"SEV2", 1}}}},
		RootCauses: []Term{{Name: `x],[{"y\\`, Incidents: 1}, {Name: "z", Incidents: 1}},
	}
	want := `{"quarters":[
{"quarter":"2024-Q1","incidents":2,"median_minutes_to_detect":0,"median_minutes_to_resolve":0,"impact_minutes":0,"detected":0,"resolved":0,"severities":[]}
],
"months":[
{"month":"2024-01","incidents":2,"severities":[{"severity":"SEV1","incidents":1},{"severity":"SEV2","incidents":1}]}
],
"recurrences":[],
"recurring_causes":[],
"root_causes":[
{"name":"x],[{\"y\\\\","incidents":1,"impact_minutes":0,"median_minutes_to_resolve":0,"resolved":0,"years":[]},
{"name":"z","incidents":1,"impact_minutes":0,"median_minutes_to_resolve":0,"resolved":0,"years":[]}
],
"services":[]}
`
	got := string(in.JSON())
	if got != want {
		t.Errorf("insights.json:\n got %s\nwant %s", got, want)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, []byte(got)); err != nil {
		t.Fatalf("insights.json is not JSON: %v", err)
	}
	in.Quarters[0].Severities = []Severity{}
	in.Recurrences, in.RecurringCauses, in.Services = []Recurrence{}, []Count{}, []Term{}
	for i := range in.RootCauses {
		in.RootCauses[i].Years = []YearCount{}
	}
	if whole, _ := json.Marshal(in); compact.String() != string(whole) {
		t.Errorf("compacted, insights.json is\n%s\nnot the JSON of its insights\n%s", compact.String(), whole)
	}
}

// TestBroaderCausesCounted: a root cause counts the incidents of the causes
// below it, as its page does.
func TestBroaderCausesCounted(t *testing.T) {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	pms := []*postmortem.Postmortem{
		{Slug: "a", Date: day("2024-01-10"), RootCauses: []string{"configuration/api-integration"}},
		{Slug: "b", Date: day("2024-02-10"), RootCauses: []string{"configuration"}},
	}
	in := Compute(pms, nil, 90*24*time.Hour)
	got := map[string]int{}
	for _, c := range in.RootCauses {
		got[c.Name] = c.Incidents
	}
	if len(got) != 2 || got["configuration"] != 2 || got["configuration/api-integration"] != 1 {
		t.Errorf("root causes by incidents: %v, want configuration 2, configuration/api-integration 1", got)
	}
}
