// Package datakeytest holds the test that a key reads every field of the
// data it is made from.
package datakeytest

import (
	"reflect"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/datakey"
)

var (
	timeT     = reflect.TypeFor[time.Time]()
	locationT = reflect.TypeFor[time.Location]()
)

// Covers checks that setting each exported field of a value of type root,
// and of the structs it holds or points at (but those of the types that
// keys says carry their own key), changes the key of the value that keys
// gives, and returns how many fields it checked. A field the key missed
// would leave a cache stale.
func Covers(t testing.TB, keys *datakey.Keys, root reflect.Type) int {
	t.Helper()
	seen := map[reflect.Type]bool{}
	checked := 0
	var check func(path string, typ reflect.Type, set func(func(reflect.Value)) uint64)
	check = func(path string, typ reflect.Type, set func(func(reflect.Value)) uint64) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		// The key with the fields of typ zero, and what holds them set.
		zero := set(func(reflect.Value) {})
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			name := path + "." + f.Name
			setField := func(fill func(reflect.Value)) uint64 {
				return set(func(v reflect.Value) { fill(v.Field(i)) })
			}
			checked++
			if setField(fillOne) == zero {
				t.Errorf("setting %s leaves the key as it was", name)
			}
			// Go into the structs a field holds, or points at, unless they
			// carry their own key.
			elem := f.Type
			for (elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice) && !keys.Owns(elem) {
				elem = elem.Elem()
			}
			if elem.Kind() == reflect.Struct && elem != timeT && elem != locationT {
				check(name, elem, func(fill func(reflect.Value)) uint64 {
					return setField(func(v reflect.Value) {
						for v.Kind() == reflect.Pointer || v.Kind() == reflect.Slice {
							fillOne(v)
							if v.Kind() == reflect.Pointer {
								v = v.Elem()
							} else {
								v = v.Index(0)
							}
						}
						fill(v)
					})
				})
			}
		}
	}
	check(root.Name(), root, func(fill func(reflect.Value)) uint64 {
		v := reflect.New(root).Elem()
		fill(v)
		return keys.Of(v.Interface())
	})
	return checked
}

// fillOne sets v to a value that is not its zero: a slice of one element, a
// pointer to a new value, an array with its first element so set, a string "x", a number 1, true, a time, a time
// zone, a struct with its first exported field so set.
func fillOne(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem() == locationT {
			v.Set(reflect.ValueOf(time.FixedZone("X", 3600)))
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		if e := v.Index(0); e.Kind() == reflect.Pointer {
			fillOne(e)
		}
	case reflect.Array:
		if v.Len() > 0 {
			fillOne(v.Index(0))
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(1)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(1)
	case reflect.Struct:
		if v.Type() == timeT {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillOne(v.Field(i))
				return
			}
		}
	}
}
