// Package schema holds the JSON Schema of a postmortem's front matter, as a
// site's configuration shapes it: its severity levels, its root-cause
// vocabulary and the key names its field mapping reads. Editors that know
// JSON Schema (VS Code's YAML extension, JetBrains IDEs) then complete and
// underline front matter as the writer types.
package schema

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/postmortem"
)

// Schema is one JSON Schema (draft 2020-12) object, with the keywords the
// front matter needs.
type Schema struct {
	Schema               string             `json:"$schema,omitempty"`
	ID                   string             `json:"$id,omitempty"`
	Title                string             `json:"title,omitempty"`
	Description          string             `json:"description,omitempty"`
	Type                 any                `json:"type,omitempty"` // a name or a list of names
	Enum                 []string           `json:"enum,omitempty"`
	Pattern              string             `json:"pattern,omitempty"`
	MinLength            int                `json:"minLength,omitempty"`
	Format               string             `json:"format,omitempty"`
	Items                *Schema            `json:"items,omitempty"`
	Properties           map[string]*Schema `json:"properties,omitempty"`
	Required             []string           `json:"required,omitempty"`
	AdditionalProperties *bool              `json:"additionalProperties,omitempty"`
	AnyOf                []*Schema          `json:"anyOf,omitempty"`
}

// timePattern matches the times the parser reads: a day, with or without
// a clock time and an offset or zone name.
const (
	timePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?( ?([AaPp][Mm]))?( ?(Z|[+-][0-9]{2}:?[0-9]{2}|[A-Za-z_/+-]+))?)?$`
)

// FrontMatter returns the schema of the front matter of cfg's postmortems,
// as indented JSON.
func FrontMatter(cfg *config.Config) []byte {
	str := func(desc string) *Schema { return &Schema{Type: "string", Description: desc} }
	list := func(desc string, item *Schema) *Schema {
		return &Schema{Type: "array", Description: desc, Items: item}
	}
	tag := &Schema{Type: "string", MinLength: 1}
	when := func(desc string) *Schema {
		return &Schema{Type: "string", Pattern: timePattern, Description: desc + ": RFC 3339, or 2023-08-06 08:00 read in timezone"}
	}
	rootCause := tag
	if len(cfg.Vocabulary) > 0 {
		rootCause = &Schema{Type: "string", Enum: slices.Sorted(slices.Values(cfg.Vocabulary))}
	}
	props := map[string]*Schema{
		"title":                {Type: "string", MinLength: 1, Description: "what happened, in a few words"},
		"date":                 {Type: "string", Pattern: timePattern, Description: "day of the incident, 2023-08-06, or a full timestamp"},
		"started":              when("when the impact began"),
		"detected":             when("when the team knew"),
		"acknowledged":         when("when someone took it on"),
		"mitigated":            when("when the impact ended or eased"),
		"resolved":             when("when the incident was over"),
		"timezone":             str("IANA zone of times written without one, such as Africa/Lagos"),
		"severity":             {Type: "string", Enum: severities(cfg.Severities), Description: "severity level, " + cfg.Severities[0] + " worst"},
		"status":               {Type: "string", Enum: postmortem.Statuses, Description: "review state; drafts are built only with --drafts"},
		"draft":                {Type: "boolean", Description: "true is status: draft"},
		"visibility":           {Type: "string", Enum: postmortem.Visibilities, Description: "internal leaves it out of a public build (--profile public)"},
		"root_causes":          list("the causes that cross-link incidents; configuration/api-integration is a narrower cause under configuration", rootCause),
		"contributing_factors": list("what made it worse without starting it", tag),
		"trigger":              str("what set it off"),
		"detection":            str("how it was noticed"),
		"services":             list("the services affected", tag),
		"tags":                 list("free tags", tag),
		"authors":              list("who wrote it", tag),
		"summary":              str("one paragraph; else the body's first"),
		"action_items": list("follow-up work", &Schema{AnyOf: []*Schema{
			{Type: "string", MinLength: 1},
			{
				Type:     "object",
				Required: []string{"title"},
				Properties: map[string]*Schema{
					"title":  {Type: "string", MinLength: 1},
					"owner":  str("who does it"),
					"status": {Type: "string", Enum: postmortem.ActionStatuses},
					"due":    {Type: "string", Pattern: timePattern, Description: "day it is due, 2023-09-01"},
					"type":   {Type: "string", Enum: postmortem.ActionTypes},
					"url":    {Type: "string", Pattern: `^https?://`, Description: "the ticket"},
				},
				AdditionalProperties: new(bool),
			},
		}}),
		"slug": {Type: "string", Pattern: `^[^/\\]+$`, Description: "the page's name; else the file or bundle name"},
	}
	// A mapped field is read under the collection's keys (and ours).
	for ours, keys := range cfg.Fields {
		for _, theirs := range keys {
			if s, ok := props[ours]; ok && theirs != "" {
				props[theirs] = s
			}
		}
	}
	s := &Schema{
		Schema:      "https://json-schema.org/draft/2020-12/schema",
		Title:       "postmortem front matter",
		Description: "The front matter of a postmortem of " + cfg.Title + ".",
		Type:        "object",
		Properties:  props,
		// No field is required: title and date are read from the body
		// and the name when the front matter leaves them out.
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // a Schema always marshals
	}
	return append(out, '\n')
}

// severities lists the levels as written in the config and in lower and
// upper case, since the parser matches them without regard to case.
func severities(levels []string) []string {
	var out []string
	for _, l := range levels {
		out = append(out, l, strings.ToLower(l), strings.ToUpper(l))
	}
	slices.Sort(out)
	return slices.Compact(out)
}
