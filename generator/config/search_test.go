package config

import (
	"reflect"
	"testing"
	"testing/fstest"
)

func TestLoadSearch(t *testing.T) {
	yaml := "search:\n  synonyms:\n    - [cert, certificate]\n    - [datacenter, data hall]\n  weights:\n    title: 5\n    body: 2\n"
	c, diags := Load(fstest.MapFS{File: {Data: []byte(yaml)}})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := Search{Synonyms: [][]string{{"cert", "certificate"}, {"datacenter", "data hall"}}, Weights: SearchWeights{Title: 5, Body: 2}}
	if !reflect.DeepEqual(c.Search, want) {
		t.Errorf("search: %+v, want %+v", c.Search, want)
	}

	_, diags = Load(fstest.MapFS{File: {Data: []byte("title: t\nsearch:\n  weights:\n    services: -1\n")}})
	if got := diags.Error(); got != "postmortem.yaml:2: search: weights: -1 is not a weight from 1 to 100" {
		t.Errorf("a negative weight: %q", got)
	}
}
