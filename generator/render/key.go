package render

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"math"
	"reflect"
	"sync"
	"time"
)

// keySeed seeds the keys of pages. Keys are compared only with keys of the
// same process, so any seed does.
var keySeed = maphash.MakeSeed()

// keyed is data that carries its own key: an Incident, made from one
// postmortem (whose Hash stands for its source) and a root, and a Site and
// a Term, each keyed by keyOf once when made.
type keyed interface{ dataKey() uint64 }

func (in *Incident) dataKey() uint64 { return in.key }
func (s *Site) dataKey() uint64      { return s.key }
func (t *Term) dataKey() uint64      { return t.key }

// keyOf hashes every exported field of v, deeply: the key of a page is the
// hash of the data it is executed with, so that a page is rendered again
// exactly when something it can show has changed, whatever its template
// reads. Data of a kind that cannot be hashed (maps, interfaces, funcs)
// panics, for the tests to find.
func keyOf(v any) uint64 {
	var k keyer
	k.h.SetSeed(keySeed)
	rv := reflect.ValueOf(v)
	planOf(rv.Type())(&k, rv)
	return k.h.Sum64()
}

type keyer struct {
	h   maphash.Hash
	buf [8]byte
}

func (k *keyer) num(v uint64) {
	binary.LittleEndian.PutUint64(k.buf[:], v)
	k.h.Write(k.buf[:])
}

// str adds a string: a short one whole, as the hash buffers it, and a
// long one by its own hash rather than copied into that buffer.
func (k *keyer) str(s string) {
	if len(s) > 64 {
		k.num(maphash.String(keySeed, s) | 1<<63) // never a short string's length
		return
	}
	k.num(uint64(len(s)))
	k.h.WriteString(s)
}

// plan adds a value of one type to a key.
type plan func(k *keyer, v reflect.Value)

var (
	plans   sync.Map // reflect.Type -> plan
	plansMu sync.Mutex
	keyedT  = reflect.TypeFor[keyed]()
	timeT   = reflect.TypeFor[time.Time]()
	viewsT  = reflect.TypeFor[[]*Incident]()
	planErr = "render: the page data holds a %v, which cannot be hashed into the key of a page"
)

// planOf returns the plan of type t, made once per type.
func planOf(t reflect.Type) plan {
	if p, ok := plans.Load(t); ok {
		return p.(plan)
	}
	plansMu.Lock()
	defer plansMu.Unlock()
	making := map[reflect.Type]*plan{}
	p := planLocked(t, making)
	// Published only once whole: another goroutine may not call a
	// stand-in that is not filled in yet.
	for t, p := range making {
		plans.Store(t, *p)
	}
	return p
}

// planLocked is planOf with plansMu held, making recursive plans in making.
func planLocked(t reflect.Type, making map[reflect.Type]*plan) plan {
	if p, ok := plans.Load(t); ok {
		return p.(plan)
	}
	if p, ok := making[t]; ok {
		// A type that refers to itself: the plan is filled in below.
		return func(k *keyer, v reflect.Value) { (*p)(k, v) }
	}
	p := new(plan)
	making[t] = p
	*p = makePlan(t, making)
	return *p
}

func makePlan(t reflect.Type, making map[reflect.Type]*plan) plan {
	switch {
	case t == viewsT:
		return func(k *keyer, v reflect.Value) {
			var views []*Incident
			if v.CanAddr() {
				views = *(*[]*Incident)(v.Addr().UnsafePointer()) // no copy to the heap, as Interface makes
			} else {
				views = v.Interface().([]*Incident)
			}
			k.num(uint64(len(views)))
			for _, in := range views {
				if in == nil {
					k.num(0)
				} else {
					k.num(1)
					k.num(in.key)
				}
			}
		}
	case t.Kind() == reflect.Pointer && t.Implements(keyedT):
		return func(k *keyer, v reflect.Value) {
			if v.IsNil() {
				k.num(0)
				return
			}
			k.num(1)
			k.num(v.Interface().(keyed).dataKey())
		}
	case t == timeT:
		return func(k *keyer, v reflect.Value) {
			tm := v.Interface().(time.Time)
			name, offset := tm.Zone()
			k.num(uint64(tm.Unix()))
			k.num(uint64(tm.Nanosecond()))
			k.num(uint64(offset))
			k.str(name)
		}
	}
	switch t.Kind() {
	case reflect.String:
		return func(k *keyer, v reflect.Value) { k.str(v.String()) }
	case reflect.Bool:
		return func(k *keyer, v reflect.Value) {
			if v.Bool() {
				k.num(1)
			} else {
				k.num(0)
			}
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return func(k *keyer, v reflect.Value) { k.num(uint64(v.Int())) }
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return func(k *keyer, v reflect.Value) { k.num(v.Uint()) }
	case reflect.Float32, reflect.Float64:
		return func(k *keyer, v reflect.Value) { k.num(math.Float64bits(v.Float())) }
	case reflect.Pointer:
		elem := planLocked(t.Elem(), making)
		return func(k *keyer, v reflect.Value) {
			if v.IsNil() {
				k.num(0)
				return
			}
			k.num(1)
			elem(k, v.Elem())
		}
	case reflect.Slice, reflect.Array:
		elem := planLocked(t.Elem(), making)
		return func(k *keyer, v reflect.Value) {
			n := v.Len()
			k.num(uint64(n))
			for i := range n {
				elem(k, v.Index(i))
			}
		}
	case reflect.Struct:
		var fields []int
		var each []plan
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				fields = append(fields, i)
				each = append(each, planLocked(f.Type, making))
			}
		}
		return func(k *keyer, v reflect.Value) {
			for n, i := range fields {
				each[n](k, v.Field(i))
			}
		}
	}
	panic(fmt.Sprintf(planErr, t))
}
