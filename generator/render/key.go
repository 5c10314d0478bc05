package render

import (
	"hash/maphash"

	"github.com/postmortem/postmortem/generator/datakey"
)

// keySeed seeds the keys render hashes itself (of an incident view, of a
// term's figures). Keys are compared only with keys of the same process,
// so any seed does.
var keySeed = maphash.MakeSeed()

// keys hashes the data of pages. An Incident, made from one postmortem
// (whose Hash stands for its source) and a root, carries its own key, as
// do a Site and a Term, and the views of the ledger, of a postmortem's
// action items and of the insights page, each keyed by keyOf once when
// made: the insights page's holds every recurrence, 300,000 at 100,000
// postmortems, which a rebuild hashed again each time.
var keys = datakey.New(
	datakey.OwnKey((*Incident).dataKey),
	datakey.OwnKey((*Site).dataKey),
	datakey.OwnKey((*Term).dataKey),
	datakey.OwnKey((*LedgerView).dataKey),
	datakey.OwnKey((*ActionsView).dataKey),
	datakey.OwnKey((*InsightsView).dataKey),
)

func (in *Incident) dataKey() uint64 { return in.key }
func (s *Site) dataKey() uint64      { return s.key }
func (t *Term) dataKey() uint64      { return t.key }

// keyOf hashes every exported field of v, deeply (datakey): the key of a
// page is the hash of the data it is executed with, so that a page is
// rendered again exactly when something it can show has changed, whatever
// its template reads. Data of a kind that cannot be hashed (maps,
// interfaces, funcs) panics, for the tests to find.
func keyOf(v any) uint64 { return keys.Of(v) }

// pageKey is keyOf for a page and what only its page shows; 0 when r renders
// once.
func (r *Renderer) pageKey(v any) uint64 {
	if r.Once {
		return 0
	}
	return keyOf(v)
}
