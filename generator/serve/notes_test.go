package serve

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// state is what the browsers are told of a build (see stateJSON).
type state struct {
	Errors, Notes, Changed []string
	More                   int
	Build                  string
	Served                 bool
}

func parseState(t *testing.T, data string) state {
	t.Helper()
	var s state
	if err := json.Unmarshal([]byte(data), &s); err != nil {
		t.Fatalf("state %s: %v", data, err)
	}
	return s
}

// pageState matches the state injected in a page.
var pageState = regexp.MustCompile(`var state = (.*);\n`)

// pageState returns the state injected in the page at path.
func (h *harness) pageState(path string) state {
	h.t.Helper()
	_, page := h.get(path)
	m := pageState.FindStringSubmatch(page)
	if m == nil {
		h.t.Fatalf("%s carries no state:\n%.300s", path, page)
	}
	return parseState(h.t, strings.ReplaceAll(m[1], `<\/`, `</`))
}

// nextState waits for the next event that tells of a build, whichever it
// is, and returns its state.
func (h *harness) nextState() state {
	h.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case e, ok := <-h.events:
			if !ok {
				h.t.Fatal("the event stream ended before a build's event")
			}
			if e.name == "reload" || e.name == "errors" || e.name == "css" {
				return parseState(h.t, e.data)
			}
		case <-deadline:
			h.t.Fatal("no build's event within 10 s")
		}
	}
}

// logger returns Options whose Log keeps the lines, and what takes the
// lines logged since it was last called.
func logger() (Options, func() string) {
	var mu sync.Mutex
	var logs []string
	opts := Options{Log: func(format string, args ...any) {
		mu.Lock()
		logs = append(logs, fmt.Sprintf(format, args...))
		mu.Unlock()
	}}
	return opts, func() string {
		mu.Lock()
		defer mu.Unlock()
		all := strings.Join(logs, "\n")
		logs = nil
		return all
	}
}

// unordered is a postmortem whose timeline has an entry out of order, at
// line 9.
func unordered(title string) string {
	return "---\ntitle: " + title + "\ndate: 2024-01-02\nroot_causes: [dns]\n---\n## Timeline\n\n- 10:00 Deploy\n- 09:00 Alert\n"
}

func hasNote(notes []string, path, rule string) bool {
	return slices.ContainsFunc(notes, func(n string) bool { return strings.HasPrefix(n, path+":") && strings.HasSuffix(n, "["+rule+"]") })
}

// TestNotes: the preview reviews what it built with the rules of
// postmortem check, and tells the browsers and the log what check would
// report, as notes: a postmortem's until it is reviewed again, or leaves
// the site, whatever else is edited meanwhile.
func TestNotes(t *testing.T) {
	opts, take := logger()
	h := startWith(t, map[string]string{"content/a.md": unordered("Alpha"), "content/b.md": pm("Beta", "dns", "One.")}, opts)
	const order = "content/a.md:9: warning: timeline: 09:00 is earlier than the entry above it (10:00); if it is a later day, write its date [timeline-order]"
	if s := h.pageState("incidents/b.html"); !slices.Equal(s.Notes, []string{order}) || len(s.Errors) != 0 {
		t.Errorf("the first build's notes: %q, errors %q; want %q", s.Notes, s.Errors, order)
	}
	if got := take(); !strings.Contains(got, "a.md:9: warning: timeline: 09:00") || !strings.Contains(got, "postmortem check will report 0 errors and 1 warning") {
		t.Errorf("the first build's log:\n%s", got)
	}

	// A link to no file of another postmortem: its note, an error, comes
	// first; the other's stays, though it was not reviewed again.
	write(t, filepath.Join(h.site, "content/b.md"), pm("Beta", "dns", "![graph](grafana-5xx.png)"))
	s := h.nextState()
	if len(s.Notes) != 2 || !hasNote(s.Notes[:1], "content/b.md", "missing-file") || s.Notes[1] != order {
		t.Errorf("notes after an image of no file: %q", s.Notes)
	}
	if got := take(); strings.Contains(got, "timeline-order") || !strings.Contains(got, `b.md:6:1: error: image "grafana-5xx.png"`) {
		t.Errorf("the log of the rebuild tells the new note alone:\n%s", got)
	}

	// Fixed, a note goes.
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "In order."))
	if s := h.nextState(); len(s.Notes) != 1 || !hasNote(s.Notes, "content/b.md", "missing-file") {
		t.Errorf("notes once the timeline is fixed: %q", s.Notes)
	}
	// So do those of a postmortem removed.
	if err := os.Remove(filepath.Join(h.site, "content/b.md")); err != nil {
		t.Fatal(err)
	}
	if s := h.nextState(); len(s.Notes) != 0 {
		t.Errorf("notes once the postmortem is removed: %q", s.Notes)
	}
	if got := take(); !strings.Contains(got, "postmortem check has nothing more to report") {
		t.Errorf("the log once every note is gone:\n%s", got)
	}

	// A change of the settings reviews every postmortem with them.
	write(t, filepath.Join(h.site, "postmortem.yaml"), "title: T\nrequired_sections: [Impact]\n")
	if s := h.nextState(); len(s.Notes) != 1 || !hasNote(s.Notes, "content/a.md", "required-section") {
		t.Errorf("notes after required_sections: %q", s.Notes)
	}
	// A postmortem out of draft with text postmortem new wrote.
	write(t, filepath.Join(h.site, "content/a.md"), "---\ntitle: Alpha\ndate: 2024-01-02\nstatus: final\nroot_causes: [dns]\n---\n## Summary\n\n"+
		postmortem.Placeholder.Summary+"\n\n## Impact\n\nNone.\n")
	s = h.nextState()
	if len(s.Notes) != 1 || s.Notes[0] != "content/a.md:9: error: summary: still the text postmortem new wrote: say what happened, to whom and for how long [placeholder]" {
		t.Errorf("notes of a placeholder: %q", s.Notes)
	}
	// A build that fails keeps them, beside its errors.
	write(t, filepath.Join(h.site, "content/a.md"), "---\ntitle: Alpha\ndate: nope\n---\n")
	if s := h.nextState(); len(s.Errors) == 0 || len(s.Notes) != 1 {
		t.Errorf("a failed build: errors %q, notes %q", s.Errors, s.Notes)
	}
}

// TestNotesOfEditedAlone: on a site of more postmortems than the preview
// reviews all of, only those edited are reviewed, and the rules over the
// whole site, which would count the terms of those few, do not run.
func TestNotesOfEditedAlone(t *testing.T) {
	files := map[string]string{
		"content/a.md": unordered("Alpha"),
		"content/b.md": strings.Replace(unordered("Beta"), "[dns]", "[dns-failures]", 1),
		"content/c.md": pm("Gamma", "dns-failure", "One."),
	}
	h := start(t, files)
	if s := h.pageState("incidents/a.html"); len(s.Notes) != 3 || !hasNote(s.Notes, "content/c.md", "near-duplicate") {
		t.Errorf("notes of a review of every postmortem: %q", s.Notes)
	}

	opts, take := logger()
	h = startSet(t, files, opts, func(s *Server) { s.reviewAll = 2 })
	if s := h.pageState("incidents/a.html"); len(s.Notes) != 0 {
		t.Errorf("notes of a site above the bound, before an edit: %q", s.Notes)
	}
	if got := take(); !strings.Contains(got, "run on the postmortems you edit alone: the site has more than 2") {
		t.Errorf("the log does not say that the site is too large to review:\n%s", got)
	}
	write(t, filepath.Join(h.site, "content/b.md"), files["content/b.md"]+"- 11:00 Fixed\n")
	if s := h.nextState(); len(s.Notes) != 1 || !hasNote(s.Notes, "content/b.md", "timeline-order") {
		t.Errorf("notes after an edit of b alone: %q", s.Notes)
	}
}
