package jsonindent

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestMarshalAsStandard wants the bytes of json.MarshalIndent for values
// of every shape: empty and nested objects and lists, strings with quotes,
// backslashes, escapes and the characters json escapes for HTML.
func TestMarshalAsStandard(t *testing.T) {
	type entry struct {
		Name  string            `json:"name"`
		Tags  []string          `json:"tags"`
		Empty []int             `json:"empty"`
		None  map[string]string `json:"none"`
		Count int               `json:"count"`
		Share float64           `json:"share"`
		Done  bool              `json:"done"`
		Next  *entry            `json:"next"`
	}
	values := []any{
		nil, 0, -1.5e-9, true, "", `say "hi"\`, "a\nb\tc\u2028<&>\x01é",
		[]int{}, map[string]int{}, []any{[]any{}, map[string]any{}, []int{1, 2}},
		map[string]any{"a": []any{map[string]any{"b": "{[,:]}"}}, "c": map[string]any{}},
		entry{Name: `"x": [1, 2]`, Tags: []string{"dns", `\"`}, Empty: []int{}, None: map[string]string{},
			Next: &entry{Name: "y", Tags: []string{}}},
		[]entry{{}, {Count: 3}},
	}
	for _, prefix := range []string{"", "    "} {
		for _, v := range values {
			want, err := json.MarshalIndent(v, prefix, "  ")
			if err != nil {
				t.Fatal(err)
			}
			got, err := Marshal(v, prefix, "  ")
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%#v, prefix %q:\n%s\nwant\n%s", v, prefix, got, want)
			}
		}
	}
}

// TestAppendDropsSpace wants the spaces json.Indent drops between tokens
// dropped, and those in strings kept, and Append to append.
func TestAppendDropsSpace(t *testing.T) {
	src := []byte(" { \"a b\" : [ 1 ,\n2 ] , \"c\":{ } }")
	var want bytes.Buffer
	if err := json.Indent(&want, src, "", "\t"); err != nil {
		t.Fatal(err)
	}
	if got := Append(nil, src, "", "\t"); string(got) != want.String() {
		t.Errorf("got\n%s\nwant\n%s", got, want.String())
	}
	if got := string(Append([]byte("x"), []byte(`[]`), "", " ")); got != "x[]" {
		t.Errorf("appended to x: %q", got)
	}
}
