package search

import (
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestIDCollisions finds two slugs whose ids collide and wants the earlier
// incident to keep the id, whatever the order of the documents, and
// whether or not the later one is there.
func TestIDCollisions(t *testing.T) {
	bySlot := map[int]string{}
	var a, b string
	for i := 0; a == ""; i++ {
		s := fmt.Sprint("incident-", i)
		slot := int(mix(fnv64a(s)) >> (64 - minIDBits))
		if other, ok := bySlot[slot]; ok {
			a, b = other, s
		}
		bySlot[slot] = s
	}
	day := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	older := Doc{Slug: b, URL: "incidents/" + b + ".html", Date: day}
	newer := Doc{Slug: a, URL: "incidents/" + a + ".html", Date: day.AddDate(0, 0, 1)}
	alone, _ := assignIDs([]Doc{older})
	for _, first := range []int{0, 1} {
		ds := []Doc{older, newer}
		if first == 1 {
			ds = []Doc{newer, older}
		}
		ids, _ := assignIDs(ds)
		o, n := ids[first], ids[1-first]
		if o != alone[0] || n != (o+1)%(1<<minIDBits) {
			t.Errorf("%s (older) has id %d, alone %d; %s (newer) %d", b, o, alone[0], a, n)
		}
	}
}

// TestOneChangeChangesFewFiles adds, edits and removes one document of
// 2,000 and wants only the files that hold it changed: the shards of its
// terms, the two files of its group, its part of the meta table, the files
// of its root causes, and meta.js.
func TestOneChangeChangesFewFiles(t *testing.T) {
	withDense(t, 500, 100)
	ds := synthetic(2000)
	added := synthetic(2001)[2000]
	added.Slug, added.URL, added.Hash = "added", "incidents/added.html", 1e9
	edited := slices.Clone(ds)
	edited[700].Text = textOf(edited[700].Text() + " zyzzyva")
	edited[700].Hash = 2e9
	steps := []struct {
		name     string
		from, to []Doc
		doc      Doc // the one added, edited or removed
	}{
		{"added", ds, append(slices.Clone(ds), added), added},
		{"edited", ds, edited, edited[700]},
		{"removed", ds, slices.Delete(slices.Clone(ds), 500, 501), ds[500]},
	}
	for _, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			ix := NewIndexer()
			before := ix.Build(st.from, Options{})
			after := ix.Build(st.to, Options{})
			if !equalFiles(after, NewIndexer().Build(st.to, Options{})) {
				t.Fatal("the rebuild differs from a fresh build")
			}
			old := map[string]string{}
			for _, f := range before {
				old[f.Path] = string(f.Data)
			}
			nbits := idBits(len(st.to))
			ids, _ := assignIDs(append(slices.Clone(st.from), st.doc))
			id := int(ids[len(ids)-1])
			if st.name != "added" {
				fromIDs, _ := assignIDs(st.from)
				id = int(fromIDs[slices.IndexFunc(st.from, func(d Doc) bool { return d.Slug == st.doc.Slug })])
			}
			terms := map[string]bool{}
			a := newCounter(1, DefaultWeights).analyze(&st.doc)
			for k := range a.ids {
				terms[a.term(k)] = true
			}
			if st.name == "edited" {
				terms["zyzzyva"] = true
			}
			var changed []string
			for _, f := range after {
				if old[f.Path] == string(f.Data) {
					delete(old, f.Path)
					continue
				}
				changed = append(changed, f.Path)
				switch {
				case f.Path == "search/meta.js":
				case strings.HasPrefix(f.Path, "search/f/"), strings.HasPrefix(f.Path, "search/x/"):
					gbits := groupBits(len(st.to), nbits)
					if strings.HasPrefix(f.Path, "search/x/") {
						gbits = max(0, gbits-1)
					}
					g := id >> (nbits - gbits)
					if !strings.HasPrefix(f.Path[len("search/f/"):], strconv.FormatInt(int64(g), 36)+".") {
						t.Errorf("%s changed: not a file of the group of id %d", f.Path, id)
					}
				case strings.HasPrefix(f.Path, "search/c/"):
					if !slices.ContainsFunc(st.doc.RootCauses, func(c string) bool { return strings.Contains(string(f.Data), strconv.Quote(c)) }) {
						t.Errorf("%s changed: not the file of a root cause of the document", f.Path)
					}
				case strings.HasPrefix(f.Path, "search/m/"):
					if !strings.HasPrefix(f.Path, fmt.Sprintf("search/m/%d.", id>>(nbits-bits.Len(metaParts-1)))) {
						t.Errorf("%s changed: not the meta part of id %d", f.Path, id)
					}
				case strings.HasPrefix(f.Path, "search/r/"):
					term := regexp.MustCompile(`^PostmortemSearch\.rest(?:Bits)?\("([^"]+)"`).FindStringSubmatch(string(f.Data))
					if term == nil || !terms[term[1]] {
						t.Errorf("%s changed: not the rest of a term of the document", f.Path)
					}
				case strings.HasPrefix(f.Path, "search/t/"):
					shard := regexp.MustCompile(`^PostmortemSearch\.shard\("([^"]+)"`).FindStringSubmatch(string(f.Data))
					has := false
					for tm := range terms {
						has = has || strings.HasPrefix(tm, shard[1])
					}
					if !has {
						t.Errorf("%s changed: the shard of %q holds no term of the document", f.Path, shard[1])
					}
				default:
					t.Errorf("%s changed", f.Path)
				}
			}
			shards, rests := 0, 0
			for _, p := range changed {
				if strings.HasPrefix(p, "search/t/") {
					shards++
				}
				if strings.HasPrefix(p, "search/r/") {
					rests++
				}
			}
			t.Logf("%d of %d files changed (%d shards, %d rests); %d gone", len(changed), len(after), shards, rests, len(old))
			if rests == 0 && st.name != "edited" { // a word added, in no other document
				t.Error("no rest changed: the test has no dense term")
			}
			if len(changed) > len(terms)+rests+4+len(st.doc.RootCauses) {
				t.Errorf("%d files changed for a document of %d terms", len(changed), len(terms))
			}
		})
	}
}
