package site

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/postmortem/postmortem/generator/search"
)

// TestSearchFilesOfOneNewPostmortem builds a site, adds one postmortem, the newest, and
// rebuilds, incrementally and afresh: of the search index, only the files
// that hold the new postmortem change: the two files of its group of
// results, the shards of its words, its part of the meta table, the files
// of its root causes, and meta.js.
func TestSearchFilesOfOneNewPostmortem(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	fsys := fstest.MapFS{}
	for i := range 60 {
		fsys[fmt.Sprintf("content/p%d.md", i)] = &fstest.MapFile{Data: []byte(randomPostmortem(r, i))}
	}
	inc := New(fsys, Options{})
	before := mustBuild(t, inc, nil).Files
	// Dated after every other, as a new postmortem is: one dated before
	// others may take the id one of them had (see search's assignIDs).
	src := strings.ReplaceAll(randomPostmortem(r, 60), "2024-01-", "2025-01-") + "\nThe quokka ate the zyzzyva.\n"
	fsys["content/new.md"] = &fstest.MapFile{Data: []byte(src)}
	after := mustBuild(t, inc, []string{"content/new.md"}).Files
	fresh := mustBuild(t, New(fsys, Options{}), nil).Files

	words := search.Terms(src)
	shardRE := regexp.MustCompile(`^PostmortemSearch\.shard\("([^"]+)"`)
	var changed []string
	kinds := map[string]int{}
	for _, p := range slices.Sorted(mapKeys(after)) {
		if !strings.HasPrefix(p, "search/") {
			continue
		}
		if string(fresh[p]) != string(after[p]) {
			t.Errorf("%s: the incremental build differs from a fresh one", p)
		}
		if _, ok := before[p]; ok && p != "search/meta.js" {
			if string(before[p]) != string(after[p]) {
				t.Errorf("%s changed but kept its name", p)
			}
			continue
		}
		changed = append(changed, p)
		kind := strings.SplitN(strings.TrimPrefix(p, "search/"), "/", 2)[0]
		kinds[kind]++
		if kind == "t" {
			m := shardRE.FindStringSubmatch(string(after[p]))
			if m == nil || !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, m[1]) }) {
				t.Errorf("%s is new, but no word of the new postmortem is in it", p)
			}
		}
	}
	if kinds["f"] != 1 || kinds["x"] != 1 || kinds["m"] != 1 || kinds["meta.js"] != 1 || kinds["c"] < 1 || kinds["c"] > 3 || len(kinds) != 6 {
		t.Errorf("new or changed search files: %v", changed)
	}
	for p := range before {
		if _, ok := after[p]; !ok && strings.HasPrefix(p, "search/") {
			kinds["gone"]++
		}
	}
	// Each file that changed replaces one that is gone; meta.js and the
	// shards of new prefixes replace none.
	if kinds["gone"] > len(changed)-1 {
		t.Errorf("%d search files gone, %d new or changed", kinds["gone"], len(changed))
	}
	t.Logf("search files changed: %v", kinds)
}
