// Package datakey holds the key of a value's data: a hash of every exported
// field of it, deeply, so that a cache keyed on what it is made from is
// made again exactly when any of that changes, a field added later
// included, without a hand-kept list of fields to forget.
//
// Keys are compared only with keys of the same process: the seed is
// chosen when the program starts.
package datakey

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"reflect"
	"sync"
	"time"
	"unsafe"
)

// seed seeds every key; any seed does, as keys never leave the process.
var seed = maphash.MakeSeed()

// Keys hashes data into keys. Its zero value is not usable: make one with
// New. It is safe for concurrent use.
type Keys struct {
	own   map[reflect.Type]func(unsafe.Pointer) uint64
	plans sync.Map // reflect.Type -> plan
	mu    sync.Mutex
}

// Own names a type of data that carries its own key (hashed once when the
// data is made, or standing for the source it is made from): Keys adds
// that key to the key of what holds it, not its fields.
type Own struct {
	t   reflect.Type
	key func(unsafe.Pointer) uint64
}

// OwnKey is Own for *T, whose key is key's result.
func OwnKey[T any](key func(*T) uint64) Own {
	return Own{reflect.TypeFor[*T](), func(p unsafe.Pointer) uint64 { return key((*T)(p)) }}
}

// New returns Keys that hash the types of own by their own keys.
func New(own ...Own) *Keys {
	k := &Keys{own: map[reflect.Type]func(unsafe.Pointer) uint64{}}
	for _, o := range own {
		k.own[o.t] = o.key
	}
	return k
}

// Owns reports whether values of t carry their own key.
func (ks *Keys) Owns(t reflect.Type) bool { return ks.own[t] != nil }

var plain = New()

// Of is the key of v by Keys that know of no type with its own key.
func Of(v any) uint64 { return plain.Of(v) }

// Of hashes every exported field of v, deeply: strings, booleans, numbers,
// times (instant, offset and zone name), time zones (by name), and the
// pointers, slices, arrays and structs of them. Data of a kind that cannot
// be hashed so (maps, interfaces, funcs, channels) panics, for the tests to
// find: a map's order would make the key change from run to run.
func (ks *Keys) Of(v any) uint64 {
	rv := reflect.ValueOf(v)
	// The plans read the value in memory: a copy of it, which the hash
	// only reads.
	c := reflect.New(rv.Type())
	c.Elem().Set(rv)
	var h hasher
	h.h.SetSeed(seed)
	ks.planOf(rv.Type())(&h, c.UnsafePointer())
	return h.sum()
}

// hasher hashes what the plans add, gathered in a buffer and written to
// the hash a few hundred bytes at a time: a write per number would cost
// more than the number.
type hasher struct {
	h   maphash.Hash
	n   int
	buf [512]byte
}

func (h *hasher) num(v uint64) {
	if h.n+8 > len(h.buf) {
		h.flush()
	}
	binary.LittleEndian.PutUint64(h.buf[h.n:], v)
	h.n += 8
}

// str adds a string: a short one whole, and a long one by its own hash.
func (h *hasher) str(s string) {
	if len(s) > 64 {
		h.num(maphash.String(seed, s) | 1<<63) // never a short string's length
		return
	}
	h.num(uint64(len(s)))
	if h.n+len(s) > len(h.buf) {
		h.flush()
	}
	h.n += copy(h.buf[h.n:], s)
}

func (h *hasher) flush() {
	h.h.Write(h.buf[:h.n])
	h.n = 0
}

// sum is the key of what was added.
func (h *hasher) sum() uint64 {
	h.flush()
	return h.h.Sum64()
}

// plan adds the value of one type at p to a key. Plans read memory by
// the layout reflect gives, not through reflect.Value, which costs several
// times more.
type plan func(h *hasher, p unsafe.Pointer)

var (
	timeT     = reflect.TypeFor[time.Time]()
	locationT = reflect.TypeFor[*time.Location]()
)

// planOf returns the plan of type t, made once per type.
func (ks *Keys) planOf(t reflect.Type) plan {
	if p, ok := ks.plans.Load(t); ok {
		return p.(plan)
	}
	ks.mu.Lock()
	defer ks.mu.Unlock()
	making := map[reflect.Type]*plan{}
	p := ks.planLocked(t, making)
	// Published only once whole: another goroutine may not call a
	// stand-in that is not filled in yet.
	for t, p := range making {
		ks.plans.Store(t, *p)
	}
	return p
}

// planLocked is planOf with mu held, making recursive plans in making.
func (ks *Keys) planLocked(t reflect.Type, making map[reflect.Type]*plan) plan {
	if p, ok := ks.plans.Load(t); ok {
		return p.(plan)
	}
	if p, ok := making[t]; ok {
		// A type that refers to itself: the plan is filled in below.
		return func(h *hasher, v unsafe.Pointer) { (*p)(h, v) }
	}
	p := new(plan)
	making[t] = p
	*p = ks.makePlan(t, making)
	return *p
}

func (ks *Keys) makePlan(t reflect.Type, making map[reflect.Type]*plan) plan {
	if own := ks.own[t]; own != nil {
		return func(h *hasher, p unsafe.Pointer) {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				h.num(0)
				return
			}
			h.num(1)
			h.num(own(q))
		}
	}
	switch t {
	case timeT:
		return func(h *hasher, p unsafe.Pointer) {
			tm := (*time.Time)(p)
			name, offset := tm.Zone()
			h.num(uint64(tm.Unix()))
			h.num(uint64(tm.Nanosecond()))
			h.num(uint64(offset))
			h.str(name)
		}
	case locationT:
		// A zone's fields are unexported: it is named by its name.
		return func(h *hasher, p unsafe.Pointer) {
			l := *(**time.Location)(p)
			if l == nil {
				h.num(0)
				return
			}
			h.num(1)
			h.str(l.String())
		}
	}
	switch t.Kind() {
	case reflect.String:
		return func(h *hasher, p unsafe.Pointer) { h.str(*(*string)(p)) }
	case reflect.Bool:
		return func(h *hasher, p unsafe.Pointer) {
			if *(*bool)(p) {
				h.num(1)
			} else {
				h.num(0)
			}
		}
	case reflect.Int:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*int)(p))) }
	case reflect.Int8:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*int8)(p))) }
	case reflect.Int16:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*int16)(p))) }
	case reflect.Int32:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*int32)(p))) }
	case reflect.Int64:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*int64)(p))) }
	case reflect.Uint, reflect.Uintptr:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*uintptr)(p))) }
	case reflect.Uint8:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*uint8)(p))) }
	case reflect.Uint16:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*uint16)(p))) }
	case reflect.Uint32:
		return func(h *hasher, p unsafe.Pointer) { h.num(uint64(*(*uint32)(p))) }
	case reflect.Uint64:
		return func(h *hasher, p unsafe.Pointer) { h.num(*(*uint64)(p)) }
	case reflect.Float32:
		return func(h *hasher, p unsafe.Pointer) { h.num(math.Float64bits(float64(*(*float32)(p)))) }
	case reflect.Float64:
		return func(h *hasher, p unsafe.Pointer) { h.num(math.Float64bits(*(*float64)(p))) }
	case reflect.Pointer:
		elem := ks.planLocked(t.Elem(), making)
		return func(h *hasher, p unsafe.Pointer) {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				h.num(0)
				return
			}
			h.num(1)
			elem(h, q)
		}
	case reflect.Slice:
		if t.Elem().Kind() == reflect.String {
			return func(h *hasher, p unsafe.Pointer) {
				list := *(*[]string)(p)
				h.num(uint64(len(list)))
				for _, s := range list {
					h.str(s)
				}
			}
		}
		elem, size := ks.planLocked(t.Elem(), making), t.Elem().Size()
		return func(h *hasher, p unsafe.Pointer) {
			// Every slice has the header of a []byte.
			s := *(*[]byte)(p)
			data := unsafe.Pointer(unsafe.SliceData(s))
			h.num(uint64(len(s)))
			for i := range uintptr(len(s)) {
				elem(h, unsafe.Add(data, i*size))
			}
		}
	case reflect.Array:
		elem, size, n := ks.planLocked(t.Elem(), making), t.Elem().Size(), uintptr(t.Len())
		return func(h *hasher, p unsafe.Pointer) {
			h.num(uint64(n))
			for i := range n {
				elem(h, unsafe.Add(p, i*size))
			}
		}
	case reflect.Struct:
		var offsets []uintptr
		var each []plan
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				offsets = append(offsets, f.Offset)
				each = append(each, ks.planLocked(f.Type, making))
			}
		}
		return func(h *hasher, p unsafe.Pointer) {
			for n, off := range offsets {
				each[n](h, unsafe.Add(p, off))
			}
		}
	}
	panic(fmt.Sprintf("datakey: the data holds a %v, which cannot be hashed into a key", t))
}

// Memo keeps the keys of data made from sources, by the hash of each
// source, so that data made from a source of a hash seen before is not
// made and hashed again. It is for data that is the same whenever its
// source is: a postmortem's, under one configuration (postmortem.HashOf).
// Its zero value is ready; it is not safe for concurrent use.
type Memo struct{ keys map[uint64]uint64 }

// Keys returns the key of the data of each of n sources: source(i) is the
// hash of the i-th, and data(i) its data, called only for a hash the last
// call did not see. The memo then holds the keys of these sources alone.
func (m *Memo) Keys(n int, source func(i int) uint64, data func(i int) any) []uint64 {
	out := make([]uint64, n)
	next := make(map[uint64]uint64, n)
	for i := range n {
		s := source(i)
		k, ok := m.keys[s]
		if !ok {
			k = Of(data(i))
		}
		next[s], out[i] = k, k
	}
	m.keys = next
	return out
}
