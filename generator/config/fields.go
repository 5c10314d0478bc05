package config

import (
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// Keys are the front matter keys a field is read from, in order: the
// first one a postmortem gives with a value wins. In postmortem.yaml, one
// key (root_causes: categories) or a list (date: [start_time, published_at]).
type Keys []string

// UnmarshalYAML reads one key or a list of keys.
func (k *Keys) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*k = Keys{strings.TrimSpace(n.Value)}
		return nil
	case yaml.SequenceNode:
		var out Keys
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode {
				break
			}
			out = append(out, strings.TrimSpace(e.Value))
		}
		if len(out) == len(n.Content) {
			*k = out
			return nil
		}
	}
	return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: fields: want a key or a list of keys, such as [start_time, published_at]", n.Line)}}
}

// UnknownFields are the settings of unknown_fields: what a front matter
// key that is none of our fields is.
var UnknownFields = []string{"warn", "ignore", "error"}

// SourceKeys returns the front matter keys our field is read from, in
// order: those the fields mapping gives, then the field's own name.
func (c *Config) SourceKeys(field string) []string {
	keys := c.Fields[field]
	if slices.Contains(keys, field) {
		return keys
	}
	return append(slices.Clip(keys), field)
}

// SourceKey returns the front matter key that holds our field, after the
// fields mapping: the first one it gives.
func (c *Config) SourceKey(field string) string {
	if k := c.Fields[field]; len(k) > 0 {
		return k[0]
	}
	return field
}
