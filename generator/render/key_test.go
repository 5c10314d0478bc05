package render

import (
	"reflect"
	"testing"
	"time"
)

// TestKeyOfEveryField wants the key of a page's data to change with each
// exported field of it, down to the fields of what it points at, and so
// for the data that carries its own key (a Site, a Term): a field the key
// missed would leave a page stale in the live preview.
func TestKeyOfEveryField(t *testing.T) {
	for _, root := range []reflect.Type{reflect.TypeFor[Page](), reflect.TypeFor[Site](), reflect.TypeFor[Term]()} {
		checked := keyCovers(t, root)
		if checked < 4 {
			t.Errorf("%v: checked only %d fields", root, checked)
		}
	}
}

// keyCovers checks that setting each field of a value of type root, and of
// the structs it holds, changes the key of the value, and returns how many
// fields it checked.
func keyCovers(t *testing.T, root reflect.Type) int {
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
			for (elem.Kind() == reflect.Pointer || elem.Kind() == reflect.Slice) && !elem.Implements(keyedT) {
				elem = elem.Elem()
			}
			if elem.Kind() == reflect.Struct && elem != timeT {
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
		return keyOf(v.Interface())
	})
	return checked
}

// fillOne sets v to a value that is not its zero: a slice of one element, a
// pointer to a new value, a string "x", a number 1, true, a time, a struct
// with its first field so set.
func fillOne(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		if e := v.Index(0); e.Kind() == reflect.Pointer {
			fillOne(e)
		}
	case reflect.String:
		v.SetString("x")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(1)
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
