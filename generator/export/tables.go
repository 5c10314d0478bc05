package export

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"encoding/json"
	"hash/maphash"
	"io"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/insights"
	"github.com/postmortem/postmortem/generator/ledger"
	"github.com/postmortem/postmortem/generator/postmortem"
	"github.com/postmortem/postmortem/generator/scratch"
)

// Incident is one postmortem in incidents.csv and incidents.ndjson: every
// front matter field, and the times and durations derived from them. Its
// slug and duration_minutes are those of index.json.
type Incident struct {
	Slug         string `json:"slug"`
	Title        string `json:"title"`
	URL          string `json:"url"`
	Date         string `json:"date"`
	Quarter      string `json:"quarter"` // of started in UTC, else of date (see insights)
	Month        string `json:"month"`
	Severity     string `json:"severity"`
	Status       string `json:"status"`
	Timezone     string `json:"timezone"`
	Started      string `json:"started"`
	Detected     string `json:"detected"`
	Acknowledged string `json:"acknowledged"`
	Mitigated    string `json:"mitigated"`
	Resolved     string `json:"resolved"`
	// The minutes from started to each later time: nil, a blank cell and
	// null, when either is unknown, so that a spreadsheet's average
	// leaves the incident out rather than counting 0.
	DurationMinutes      *int     `json:"duration_minutes"`       // resolved - started
	MinutesToDetect      *int     `json:"minutes_to_detect"`      // detected - started
	MinutesToAcknowledge *int     `json:"minutes_to_acknowledge"` // acknowledged - started
	MinutesToMitigate    *int     `json:"minutes_to_mitigate"`    // mitigated - started
	MinutesToResolve     *int     `json:"minutes_to_resolve"`     // resolved - started, as duration_minutes
	FromTimeline         []string `json:"from_timeline"`          // the times read from the timeline
	RootCauses           []string `json:"root_causes"`
	ContributingFactors  []string `json:"contributing_factors"`
	Services             []string `json:"services"`
	Tags                 []string `json:"tags"`
	Authors              []string `json:"authors"`
	Trigger              string   `json:"trigger"`
	Detection            string   `json:"detection"`
	Summary              string   `json:"summary"`
	ActionItems          int      `json:"action_items"`
	ActionItemsOpen      int      `json:"action_items_open"` // overdue ones included
	ActionItemsOverdue   int      `json:"action_items_overdue"`
	Source               string   `json:"source"` // the file, from the site root
}

// Action is one action item in action-items.csv.
type Action struct {
	Slug       string `json:"slug"`       // of the postmortem
	Postmortem string `json:"postmortem"` // its title
	Title      string `json:"title"`
	Owner      string `json:"owner"`
	Status     string `json:"status"` // open, done or wontfix, as written
	Type       string `json:"type"`
	Due        string `json:"due"` // 2024-06-01, "" when none
	Overdue    bool   `json:"overdue"`
}

// ActionEntry is one action item of a postmortem in index.json.
type ActionEntry struct {
	Title   string `json:"title"`
	Owner   string `json:"owner"`
	Status  string `json:"status"` // open, done or wontfix, as written
	Type    string `json:"type"`
	Due     string `json:"due"` // 2024-06-01, "" when none
	URL     string `json:"url"`
	Overdue bool   `json:"overdue"` // see ledger.IsOverdue
}

// ActionEntries are the action items of p as index.json holds them,
// overdue on the day of now.
func ActionEntries(p *postmortem.Postmortem, now time.Time, deadlines map[string]config.Days) []ActionEntry {
	out := make([]ActionEntry, len(p.ActionItems))
	for i := range p.ActionItems {
		a := &p.ActionItems[i]
		out[i] = ActionEntry{Title: a.Title, Owner: a.Owner, Status: a.Status, Type: a.Type, URL: a.URL,
			Overdue: ledger.IsOverdue(p, a, now, deadlines)}
		if !a.Due.IsZero() {
			out[i].Due = a.Due.In(p.Location).Format(time.DateOnly)
		}
	}
	return out
}

// Tabler writes the tables of a site: incidents.csv, incidents.ndjson and
// action-items.csv. It keeps each postmortem's rows between builds, by the
// hash of its source, which holds everything a row shows. Its settings
// stay those it was made with: make a new one when they change. It is not
// safe for concurrent use.
type Tabler struct {
	// Now and Deadlines say which action items are overdue (see
	// ledger.IsOverdue).
	Now       time.Time
	Deadlines map[string]config.Days
	// URL gives a postmortem's page from its slug.
	URL func(slug string) string

	rows map[uint64]rows
	// pms and order are the postmortems of the last call of Rows, and
	// their rows.
	pms   []*postmortem.Postmortem
	order []rows
	// buf, csv and json write the rows of each postmortem in turn: a
	// writer made per row would cost more than the row.
	buf  bytes.Buffer
	csv  *csv.Writer
	json *json.Encoder
}

// rows are the encoded rows of one postmortem in each table, as write
// numbers the tables, and the sums of their bytes.
type rows struct {
	held [3]scratch.Bytes
	sums [3]uint64
}

// Rows brings the rows kept up to pms, in their order (that of
// index.json): a postmortem met before keeps its rows, and file holds
// those made now (nil: memory; at 100,000 postmortems, 0.2 GB). Table
// then gives each table.
func (x *Tabler) Rows(pms []*postmortem.Postmortem, file *scratch.File) {
	kept := make(map[uint64]rows, len(pms))
	x.pms, x.order = pms, make([]rows, len(pms))
	for i, p := range pms {
		r, ok := x.rows[postmortem.HashOf(p)]
		if !ok {
			x.write(p, func(k int, b []byte) { r.held[k], r.sums[k] = file.Hold(b), maphash.Bytes(seed, b) })
		}
		kept[postmortem.HashOf(p)], x.order[i] = r, r
	}
	x.rows = kept
}

// Table returns the key of table k (0 incidents.csv, 1 incidents.ndjson,
// 2 action-items.csv) of the last call of Rows, that of its rows' bytes,
// and what writes it: its header, then each postmortem's rows. A row
// that the file of Rows cannot give back is encoded anew.
func (x *Tabler) Table(k int) (key uint64, write func(io.Writer) error) {
	var h maphash.Hash
	h.SetSeed(seed)
	for _, r := range x.order {
		h.Write(binary.LittleEndian.AppendUint64(nil, r.sums[k]))
	}
	pms, order := x.pms, x.order
	return h.Sum64(), func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.Write(heads[k])
		var r scratch.Reader
		for i, row := range order {
			b, err := r.Read(row.held[k])
			if err != nil {
				x.write(pms[i], func(j int, again []byte) {
					if j == k {
						b = bytes.Clone(again)
					}
				})
			}
			bw.Write(b)
		}
		return bw.Flush()
	}
}

// WriteTables writes the tables of pms, as Rows and Each give them, to
// the writers of incidents.csv, incidents.ndjson and action-items.csv, in
// this order, each row as it is made, keeping none: for a build that makes
// them once (at 100,000 postmortems the tables took 0.3 GB).
func (x *Tabler) WriteTables(pms []*postmortem.Postmortem, to [3]io.Writer) error {
	var ws [3]*bufio.Writer
	for k := range ws {
		ws[k] = bufio.NewWriterSize(to[k], 64<<10)
	}
	for k, w := range ws {
		w.Write(heads[k])
	}
	for _, p := range pms {
		x.write(p, func(k int, b []byte) { ws[k].Write(b) })
	}
	for _, w := range ws {
		if err := w.Flush(); err != nil {
			return err // a write error stays: Flush returns it
		}
	}
	return nil
}

// heads are what each table starts with, in the order of write's tables:
// the header rows of the two CSV tables.
var heads = [3][]byte{table(header[Incident](), nil), nil, table(header[Action](), nil)}

// write gives to each the rows of p in each table, in turn: its row of
// incidents.csv (k 0), its line of incidents.ndjson (1), its rows of
// action-items.csv (2). The bytes are valid only until each returns.
func (x *Tabler) write(p *postmortem.Postmortem, each func(k int, b []byte)) {
	resolve := minutes(p.Started, p.Resolved) // the duration, by another name
	in := Incident{Slug: p.Slug, Title: p.Title, URL: x.URL(p.Slug), Date: p.Date.Format(time.DateOnly),
		Quarter: insights.QuarterOf(p), Month: insights.MonthOf(p), Severity: p.Severity, Status: p.Status,
		Started: stamp(p.Started), Detected: stamp(p.Detected), Acknowledged: stamp(p.Acknowledged),
		Mitigated: stamp(p.Mitigated), Resolved: stamp(p.Resolved), DurationMinutes: resolve,
		MinutesToDetect: minutes(p.Started, p.Detected), MinutesToAcknowledge: minutes(p.Started, p.Acknowledged),
		MinutesToMitigate: minutes(p.Started, p.Mitigated), MinutesToResolve: resolve,
		FromTimeline: nonNil(p.FromTimeline), RootCauses: nonNil(p.RootCauses), ContributingFactors: nonNil(p.ContributingFactors),
		Services: nonNil(p.Services), Tags: nonNil(p.Tags), Authors: nonNil(p.Authors), Trigger: p.Trigger, Detection: p.Detection,
		Summary: p.Summary, ActionItems: len(p.ActionItems), Source: p.Path}
	if p.Location != nil {
		in.Timezone = p.Location.String()
	}
	if x.csv == nil {
		x.csv, x.json = csv.NewWriter(&x.buf), json.NewEncoder(&x.buf)
		x.csv.UseCRLF = true
	}
	var actions [][]string
	for _, a := range ActionEntries(p, x.Now, x.Deadlines) {
		if a.Status == ledger.Open {
			in.ActionItemsOpen++
		}
		if a.Overdue {
			in.ActionItemsOverdue++
		}
		actions = append(actions, row(Action{Slug: p.Slug, Postmortem: p.Title, Title: a.Title, Owner: a.Owner,
			Status: a.Status, Type: a.Type, Due: a.Due, Overdue: a.Overdue}))
	}
	_ = x.csv.Write(row(in))
	x.flush(0, each)
	_ = x.json.Encode(in) // as json.Marshal writes it, and a newline
	x.flush(1, each)
	_ = x.csv.WriteAll(actions)
	x.flush(2, each)
}

// flush gives each what was written to buf, as table k, and empties it.
func (x *Tabler) flush(k int, each func(k int, b []byte)) {
	x.csv.Flush()
	each(k, x.buf.Bytes())
	x.buf.Reset()
}

// minutes is the whole minutes from a to b, nil when either is unknown or
// b is before a.
func minutes(a, b time.Time) *int {
	if !postmortem.Known(a, b) {
		return nil
	}
	m := int(b.Sub(a) / time.Minute)
	return &m
}

// header lists the JSON names of the fields of T, the columns of its table.
func header[T any]() []string {
	typ := reflect.TypeFor[T]()
	out := make([]string, typ.NumField())
	for i := range out {
		out[i], _, _ = strings.Cut(typ.Field(i).Tag.Get("json"), ",")
	}
	return out
}

// row writes the fields of v, a struct of strings, ints and pointers to
// them, bools and lists of strings, as the cells of a table: a list joined
// with ";", a nil pointer blank.
func row(v any) []string {
	rv := reflect.ValueOf(v)
	out := make([]string, rv.NumField())
	for i := range out {
		f := rv.Field(i)
		switch f.Kind() {
		case reflect.String:
			out[i] = cell(f.String())
		case reflect.Int:
			out[i] = strconv.FormatInt(f.Int(), 10)
		case reflect.Pointer:
			if !f.IsNil() {
				out[i] = strconv.FormatInt(f.Elem().Int(), 10)
			}
		case reflect.Bool:
			out[i] = strconv.FormatBool(f.Bool())
		case reflect.Slice:
			out[i] = cell(strings.Join(f.Interface().([]string), ";"))
		}
	}
	return out
}

// cell guards a text against spreadsheets, which run a cell that starts
// with =, +, -, @, a tab or a carriage return as a formula: such a text
// gets a leading apostrophe, as spreadsheets write text that looks like a
// formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// table writes rows as CSV (RFC 4180, lines ending in CRLF), after the
// header unless it is nil.
func table(header []string, rows [][]string) []byte {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true
	if header != nil {
		_ = w.Write(header)
	}
	_ = w.WriteAll(rows)
	return buf.Bytes()
}
