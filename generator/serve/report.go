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
// (or dropped), what requests see with them: its errors, and the number of
// the build served.
func (s *Server) settle(res *site.Result) {
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
}

// apply reports a build, which settle made the served state, and tells the
// browsers: those that opened pages before the first build was done too.
func (s *Server) apply(res *site.Result) {
	s.mu.RLock()
	msgs, number := s.errs, s.number
	s.mu.RUnlock()
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
	switch {
	case len(msgs) > 0:
		s.hub.send(event{"errors", s.stateJSON(msgs, number)})
	case len(res.Changed) > 0 && allCSS(res.Changed):
		s.hub.send(event{"css", s.stateJSON(nil, number)})
	case len(res.Changed) > 0:
		s.hub.send(event{"reload", s.stateJSON(nil, number)})
	default:
		s.hub.send(event{"errors", s.stateJSON(nil, number)}) // clears an overlay
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

// stateJSON is what the browsers are told of a build: its errors, an id
// that differs from that of every other build, of this process or of an
// earlier one, so that a page knows whether it shows the current build,
// and whether a good build is served.
func (s *Server) stateJSON(msgs []string, build int) string {
	if msgs == nil {
		msgs = []string{}
	}
	data, _ := json.Marshal(struct {
		Errors []string `json:"errors"`
		Build  string   `json:"build"`
		Served bool     `json:"served"`
	}{msgs, s.instance + "." + strconv.Itoa(build), s.out.hasBuild()})
	return string(data)
}

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
