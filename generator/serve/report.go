package serve

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"strconv"
	"time"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/site"
)

// settle makes the outcome of a build, once its files are in the folder
// (or dropped), what requests see with them: its errors, the notes of the
// review that followed it, rev (nil when the build failed), and the
// number of the build served.
func (s *Server) settle(res *site.Result, rev *reviewed) {
	var msgs []string
	for _, d := range res.Diagnostics.Errors() {
		msgs = append(msgs, d.Error())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.errs = msgs
	if res.Site != nil {
		s.number++
	}
	if rev != nil {
		s.notes.update(rev, res.Site)
		s.noteList = s.notes.list()
	}
}

// state returns what requests see of the builds: the errors of the last,
// the notes, and the number of the build served.
func (s *Server) state() (msgs []string, notes diag.List, number int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.errs, s.noteList, s.number
}

// apply reports a build, which settle made the served state, and the
// review that followed it (nil when the build failed), and tells the
// browsers: those that opened pages before the first build was done too.
func (s *Server) apply(res *site.Result, rev *reviewed) {
	msgs, notes, number := s.state()
	// Every error, every time; a warning once, until a build without it.
	warned, again := map[string]bool{}, 0
	for _, d := range res.Diagnostics.In(s.site) {
		t := d.Text()
		if d.Severity == diag.Warning {
			warned[t] = true
			if s.warned[t] {
				again++
				continue
			}
		}
		s.opts.Log("%s", t)
	}
	if res.Site == nil {
		// A build that failed stopped before it could find them all: a
		// warning it did not find is still there.
		for t := range s.warned {
			warned[t] = true
		}
	}
	s.warned = warned
	if again > 0 {
		s.opts.Log("and %s logged before", diag.Count(again, "warning"))
	}
	them := "they are"
	if len(msgs) == 1 {
		them = "it is"
	}
	switch {
	case len(msgs) > 0 && !s.out.hasBuild():
		s.opts.Log("%s: nothing to serve until %s fixed", diag.Count(len(msgs), "error"), them)
	case len(msgs) > 0:
		s.opts.Log("%s: serving the last good build until %s fixed", diag.Count(len(msgs), "error"), them)
	}
	if rev != nil {
		s.logNotes(rev, notes)
	}
	switch {
	case len(msgs) > 0:
		s.hub.send(event{"errors", s.stateJSON(msgs, notes, number)})
	case len(res.Changed) > 0 && allCSS(res.Changed):
		s.hub.send(event{"css", s.stateJSON(nil, notes, number)})
	case len(res.Changed) > 0:
		s.hub.send(event{"reload", s.stateJSON(nil, notes, number, reloaded(res.Changed)...)})
	default:
		s.hub.send(event{"errors", s.stateJSON(nil, notes, number)}) // clears an overlay, or shows the notes
	}
}

// logNotes logs what the review rev found as the build's diagnostics are
// logged, path:line:col: severity: message [rule]; a note once, until a
// review without it. When they changed, it then says how many notes there
// are in all, those of the postmortems not reviewed again included.
func (s *Server) logNotes(rev *reviewed, notes diag.List) {
	if rev.tooMany && !s.toldTooMany {
		s.toldTooMany = true
		s.opts.Log("the review rules of postmortem check run on the postmortems you edit alone: the site has more than %d (postmortem check reviews them all)", s.reviewAll)
	}
	noted := make(map[string]bool, len(notes))
	for _, d := range notes.In(s.site) {
		noted[d.Text()] = true
	}
	fresh := 0
	for _, d := range rev.found.In(s.site) {
		if t := d.Text(); noted[t] && !s.noted[t] {
			s.opts.Log("%s", t)
			fresh++
		}
	}
	before := len(s.noted)
	s.noted = noted
	switch {
	case fresh == 0 && len(noted) == before:
	case len(notes) > 0:
		s.opts.Log("postmortem check will report %s and %s: the build is served, these are notes of its review rules", diag.Count(len(notes.Errors()), "error"), diag.Count(len(notes.Warnings()), "warning"))
	default:
		s.opts.Log("postmortem check has nothing more to report")
	}
}

func allCSS(paths []string) bool {
	for _, p := range paths {
		if path.Ext(p) != ".css" {
			return false
		}
	}
	return true
}

// stateJSON is what the browsers are told of a build: its errors, the
// notes of the review rules (the first maxNotes, and how many more), an
// id that differs from that of every other build, of this process or of
// an earlier one, so that a page knows whether it shows the current build,
// and whether a good build is served; and, of a build to reload, the
// output paths it changed, when they are known (see reloaded).
func (s *Server) stateJSON(msgs []string, notes diag.List, build int, changed ...string) string {
	if msgs == nil {
		msgs = []string{}
	}
	texts := make([]string, 0, min(len(notes), maxNotes))
	for _, d := range notes[:min(len(notes), maxNotes)] {
		texts = append(texts, d.Text())
	}
	data, _ := json.Marshal(struct {
		Errors []string `json:"errors"`
		Notes  []string `json:"notes"`
		More   int      `json:"more"` // notes beyond Notes
		Build  string   `json:"build"`
		Served bool     `json:"served"`
		// Changed is absent when every page is to reload.
		Changed []string `json:"changed,omitempty"`
	}{msgs, texts, len(notes) - len(texts), s.instance + "." + strconv.Itoa(build), s.out.hasBuild(), changed})
	return string(data)
}

// reloaded returns the output paths that changed, which a reload event
// names so that a page reloads only when it is among them (or when a file
// that every page may show changed); nil when there are more than
// maxChanged, and every page reloads.
func reloaded(changed []string) []string {
	if len(changed) > maxChanged {
		return nil
	}
	return changed
}

// maxChanged is the most changed paths a reload event names: a body edited
// changes its page, the home page, the feeds and a few files of the search
// index, tens of paths; an edit of front matter at 100,000 postmortems may
// change thousands, which every tab would be sent to reload anyway.
const maxChanged = 1000

// maxNotes is the most notes the browsers are sent, in every page served:
// the first review of a site of old postmortems may find hundreds, which
// no one reads in an overlay (postmortem check lists them all).
const maxNotes = 100

// changes says what changed for the log of a rebuild: the paths, or the
// first two of them and how many more; editors' scratch files left out
// (see ignored), unless nothing else changed.
func changes(changed []string) string {
	if kept := slices.DeleteFunc(slices.Clone(changed), ignored); len(kept) > 0 {
		changed = kept
	}
	switch len(changed) {
	case 0:
		return "changes the watcher lost track of"
	case 1:
		return "a change to " + changed[0]
	case 2:
		return "changes to " + changed[0] + " and " + changed[1]
	}
	return fmt.Sprintf("changes to %s, %s and %s", changed[0], changed[1], diag.Count(len(changed)-2, "more path"))
}

// elapsed writes d for the log, to the millisecond; under one, it says so,
// not "0s".
func elapsed(d time.Duration) string {
	if d < time.Millisecond {
		return "under 1ms"
	}
	return d.Round(time.Millisecond).String()
}
