package link

import (
	"fmt"
	"hash/fnv"
	"time"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// entry is all that linking reads of a postmortem: the taxonomies, the
// totals and the related lists are made from the entries of a site alone,
// never from its postmortems, so that what equal entries made can be
// reused. Its key hashes the whole entry.
type entry struct {
	Slug, Path, Title string
	Date, Started     time.Time
	Minutes           int        // the duration, 0 when unknown
	Measured          bool       // the duration is known (see postmortem.Postmortem.Measured)
	RootCauses        []string   // as written, without the terms above them
	Values            [][]string // the terms of each taxonomy, in the order of newTaxonomies
	words             []string   // of Title, as titleWords makes them
	key               uint64
}

// kinds are the taxonomies whose values entryOf reads.
var kinds = newTaxonomies()

// entryOf makes the entry of p.
func entryOf(p *postmortem.Postmortem) *entry {
	e := &entry{Slug: p.Slug, Path: p.Path, Title: p.Title, Date: p.Date, Started: p.Started, Minutes: p.DurationMinutes(), Measured: p.Measured(), RootCauses: p.RootCauses}
	for _, t := range kinds {
		e.Values = append(e.Values, t.values(p))
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%#v", *e) // time.Time writes itself in full, with its zone
	e.key = h.Sum64()
	e.words = titleWords(e.Title)
	return e
}
