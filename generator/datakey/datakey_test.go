package datakey_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/datakey"
	"github.com/postmortem/postmortem/generator/datakey/datakeytest"
)

// item holds every kind of field a key reads.
type item struct {
	Name    string
	Long    string
	Done    bool
	N       int
	Small   int8
	Count   uint64
	Share   float64
	Day     time.Time
	Zone    *time.Location
	Tags    []string
	Pair    [2]int
	Next    *item // a type that refers to itself
	Parts   []part
	Owned   *owned
	private int // not data: left out
}

type part struct{ Title string }

// owned carries its own key.
type owned struct {
	Field string // not read: the key is key
	key   uint64
}

var keys = datakey.New(datakey.OwnKey(func(o *owned) uint64 { return o.key }))

// TestEveryField wants the key to change with each exported field of a
// value, down to the fields of what it points at and holds.
func TestEveryField(t *testing.T) {
	if n := datakeytest.Covers(t, keys, reflect.TypeFor[item]()); n != 15 {
		t.Errorf("checked %d fields, want 15", n)
	}
}

// TestSameData wants equal data to have one key, whatever its pointers,
// and a change anywhere in it, a long string's last byte or the zone of a
// time, to change it.
func TestSameData(t *testing.T) {
	day := time.Date(2024, 3, 2, 8, 0, 0, 0, time.UTC)
	long := strings.Repeat("x", 100)
	sample := func() item {
		return item{Name: "a", Long: long, Day: day, Zone: time.UTC, Tags: []string{"dns"},
			Next: &item{Name: "b"}, Parts: []part{{"fix"}}, Owned: &owned{Field: "f", key: 7}}
	}
	base := datakey.Of(sample())
	if own := keys.Of(sample()); datakey.Of(sample()) != base || keys.Of(sample()) != own {
		t.Fatal("equal data gets different keys")
	}
	lagos, err := time.LoadLocation("Africa/Lagos")
	if err != nil {
		t.Fatal(err)
	}
	for name, change := range map[string]func(*item){
		"the last byte of a long string": func(it *item) { it.Long = long[:99] + "y" },
		"the zone of a time":             func(it *item) { it.Day = day.In(lagos) },
		"a time zone":                    func(it *item) { it.Zone = lagos },
		"a field of a pointed-at struct": func(it *item) { it.Next.Name = "c" },
		"a string moved between fields":  func(it *item) { it.Name, it.Tags = "", []string{"a", "dns"} },
		"an unexported field":            func(it *item) { it.private = 1 },
	} {
		it := sample()
		change(&it)
		if got := datakey.Of(it); (got == base) != (name == "an unexported field") {
			t.Errorf("%s: key %x, was %x", name, got, base)
		}
	}
	// Data with its own key: that key counts, not its fields.
	a, b := sample(), sample()
	b.Owned.Field = "other"
	if keys.Of(a) != keys.Of(b) {
		t.Error("a field of data with its own key changes the key")
	}
	b.Owned.key = 8
	if keys.Of(a) == keys.Of(b) {
		t.Error("the own key of data leaves the key as it was")
	}
}

// TestUnhashable wants data holding a map to panic, as its order would
// make the key change from run to run.
func TestUnhashable(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("a map was hashed")
		}
	}()
	datakey.Of(struct{ M map[string]int }{})
}

// TestMemo wants the data of a source hashed once while its hash is the
// same, and the key of the data it makes now once the hash changed.
func TestMemo(t *testing.T) {
	var m datakey.Memo
	made := 0
	keysOf := func(sources []uint64, names ...string) []uint64 {
		return m.Keys(len(sources), func(i int) uint64 { return sources[i] }, func(i int) any { made++; return part{names[i]} })
	}
	first := keysOf([]uint64{1, 2}, "a", "b")
	if made != 2 || first[0] == first[1] || first[0] != datakey.Of(part{"a"}) {
		t.Fatalf("made %d, keys %x", made, first)
	}
	// Source 1 is as it was, whatever data would say now; 3 is new.
	again := keysOf([]uint64{1, 3}, "changed", "b")
	if made != 3 || again[0] != first[0] || again[1] != first[1] {
		t.Errorf("made %d, keys %x, want %x", made, again, first)
	}
	// Source 2 was dropped by the last call: made again.
	keysOf([]uint64{2}, "b")
	if made != 4 {
		t.Errorf("made %d, want 4", made)
	}
}
