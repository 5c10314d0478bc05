// Package schema holds the JSON Schema of a postmortem's front matter, as a
// site's configuration shapes it: its severity levels, its root-cause
// vocabulary and the key names its field mapping reads. Editors that know
// JSON Schema (VS Code's YAML extension, JetBrains IDEs) then complete and
// underline front matter as the writer types.
package schema

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"

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

// The patterns of what the parser reads. timePattern: a day, alone or
// with a clock time and, maybe, an offset (postmortem.ParseTime; no zone
// name, no AM or PM). slugPattern: what postmortem.Slugify leaves as it
// is, letters (any not ASCII taken as lower case) and digits in runs
// joined by single dashes.
const (
	timePattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}([T ]([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})?| ([01]?[0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]+)?)? [+-][0-9]{4})?$`
	slugPattern = "^[a-z0-9\u00C0-\uFFFF]+(-[a-z0-9\u00C0-\uFFFF]+)*$" // the characters themselves: RE2 knows no \u
)

// FrontMatter returns the schema of the front matter of cfg's postmortems,
// as indented JSON.
func FrontMatter(cfg *config.Config) []byte {
	str := func(desc string) *Schema { return &Schema{Type: "string", Description: desc} }
	// A list may be written as one value, or values joined by commas.
	list := func(desc string, item *Schema) *Schema {
		return &Schema{Description: desc, AnyOf: []*Schema{{Type: "array", Items: item}, {Type: "string"}}}
	}
	// A choice is read without regard to case.
	choice := func(desc string, words []string) *Schema {
		return &Schema{Type: "string", Description: desc, AnyOf: []*Schema{{Enum: words}, {Pattern: anyCase(words, false)}}}
	}
	tag := &Schema{Type: "string", MinLength: 1}
	when := func(desc string) *Schema {
		return &Schema{Type: "string", Pattern: timePattern, Description: desc + ": RFC 3339, or 2023-08-06 08:00 read in timezone"}
	}
	rootCause := tag
	if len(cfg.Vocabulary) > 0 {
		// The terms are offered, and read as check reads them: folded
		// ("API integration" is api-integration), or an alias of one.
		words := slices.Concat(cfg.Vocabulary, slices.Collect(maps.Keys(cfg.Aliases)))
		slices.Sort(words)
		rootCause = &Schema{Type: "string", AnyOf: []*Schema{{Enum: slices.Sorted(slices.Values(cfg.Vocabulary))}, {Pattern: anyCase(words, true)}}}
	}
	// A level, or an alias of one (p1: SEV1), in any case.
	severity := choice("severity level, "+cfg.Severities[0]+" worst", cfg.Severities)
	var sevAliases []string
	for a, target := range cfg.Aliases {
		if cfg.SeverityRank(target) > 0 {
			sevAliases = append(sevAliases, a)
		}
	}
	if len(sevAliases) > 0 {
		slices.Sort(sevAliases)
		severity.AnyOf[1].Pattern = anyCase(slices.Concat(cfg.Severities, sevAliases), false)
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
		"severity":             severity,
		"status":               choice("review state; drafts are built only with --drafts", postmortem.Statuses),
		"draft":                {Type: "boolean", Description: "true is status: draft"},
		"visibility":           choice("internal leaves it out of a public build (--profile public)", postmortem.Visibilities),
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
					"status": choice("open, done or wontfix", postmortem.ActionStatuses),
					"due":    {Type: "string", Pattern: timePattern, Description: "day it is due, 2023-09-01"},
					"type":   choice("mitigate, prevent or process", postmortem.ActionTypes),
					"url":    {Type: "string", Pattern: `^https?://`, Description: "the ticket"},
				},
				AdditionalProperties: new(bool),
			},
		}}),
		"slug": {Type: "string", Pattern: slugPattern, Description: "the page's name, such as disk-full-on-db-3; else the file or bundle name"},
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
	if cfg.UnknownFields == "error" {
		s.AdditionalProperties = new(bool) // check fails on a key of none of them
	}
	out, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		panic(err) // a Schema always marshals
	}
	return append(out, '\n')
}

// anyCase returns a pattern that matches each of words whatever the case
// of its letters, as the parser reads them: [Ff][Ii][Nn][Aa][Ll]; with
// fold, its dashes written as spaces or underscores too, as a term is.
func anyCase(words []string, fold bool) string {
	var b strings.Builder
	b.WriteString("^(")
	for i, w := range words {
		if i > 0 {
			b.WriteByte('|')
		}
		for _, r := range w {
			lo, up := unicode.ToLower(r), unicode.ToUpper(r)
			switch {
			case r == '-' && fold:
				b.WriteString("[-_ ]+") // as postmortem.Slugify folds them
			case lo != up:
				fmt.Fprintf(&b, "[%c%c]", up, lo)
			case strings.ContainsRune(`\^$.|?*+()[]{}/`, r):
				b.WriteByte('\\')
				b.WriteRune(r)
			default:
				b.WriteRune(r)
			}
		}
	}
	b.WriteString(")$")
	return b.String()
}
