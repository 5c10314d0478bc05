package insights

import (
	"reflect"
	"testing"
	"time"
)

// TestKeyReadsEveryField wants the cache key to change with every field of
// an incident, the whole of what compute reads: a field added to incident
// and not to key would leave the insights stale in the live preview.
func TestKeyReadsEveryField(t *testing.T) {
	day := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	base := incident{Slug: "a", Severity: "SEV1", Date: day, Started: day, Detected: day, Resolved: day,
		RootCauses: []string{"dns"}, Services: []string{"api"}, minutes: 5}
	want := key([]*incident{&base}, []string{"SEV1"}, time.Hour)
	typ := reflect.TypeFor[incident]()
	for i := range typ.NumField() {
		f := typ.Field(i)
		changed := base
		v := reflect.ValueOf(&changed).Elem().Field(i)
		switch {
		case !f.IsExported():
			if f.Name != "minutes" {
				t.Fatalf("unexported field %s: add it to this test", f.Name)
			}
			changed.minutes++
		case f.Type == reflect.TypeFor[time.Time]():
			v.Set(reflect.ValueOf(day.Add(time.Minute)))
		case f.Type.Kind() == reflect.String:
			v.SetString(v.String() + "x")
		case f.Type.Kind() == reflect.Slice:
			v.Set(reflect.ValueOf([]string{"other"}))
		default:
			t.Fatalf("field %s of a kind this test does not change", f.Name)
		}
		if key([]*incident{&changed}, []string{"SEV1"}, time.Hour) == want {
			t.Errorf("the key does not change with %s", f.Name)
		}
	}
}
