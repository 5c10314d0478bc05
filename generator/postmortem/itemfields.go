package postmortem

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// The action items of the front matter.

// itemFields are the fields of an action item.
var itemFields = []string{"title", "owner", "status", "due", "type", "url"}

// itemSynonyms are other names of the fields of an action item, which
// trackers use: each is an error that names ours, as a typo is.
var itemSynonyms = map[string]string{"assignee": "owner", "assigned_to": "owner", "deadline": "due", "due_date": "due", "name": "title", "state": "status", "link": "url"}

func (d *decoder) actionItems(v *yaml.Node, loc *time.Location) []ActionItem {
	if v.Kind != yaml.SequenceNode {
		d.errorf(v, "action_items", "want a list of items with title, owner, status, due, type and url, got %s", describe(v))
		return nil
	}
	var items []ActionItem
	for i, e := range v.Content {
		name := fmt.Sprintf("action_items[%d]", i+1)
		if e.Kind == yaml.ScalarNode {
			items = append(items, ActionItem{Title: strings.TrimSpace(e.Value), Status: "open", Line: e.Line})
			continue
		}
		if e.Kind != yaml.MappingNode {
			d.errorf(e, name, "want title, owner, status, due, type and url, got %s", describe(e))
			continue
		}
		it := ActionItem{Status: "open", Line: e.Line}
		for j := 0; j+1 < len(e.Content); j += 2 {
			k, val := e.Content[j], e.Content[j+1]
			field := name + "." + k.Value
			switch k.Value {
			case "title":
				it.Title, _ = d.text(val, field)
			case "owner":
				it.Owner, _ = d.text(val, field)
				it.Owner = person(it.Owner)
			case "url":
				it.URL, _ = d.text(val, field)
				if it.URL != "" && !strings.HasPrefix(it.URL, "https://") && !strings.HasPrefix(it.URL, "http://") {
					d.errorf(val, field, "want an http or https address, got %q", it.URL)
					it.URL = ""
				}
			case "status":
				if st := statusNamed(val.Value); val.Kind == yaml.ScalarNode && st != "" && st != strings.ToLower(strings.TrimSpace(val.Value)) {
					d.errorf(val, field, "unknown status %q (want open, done or wontfix); did you mean %q?", val.Value, st)
				} else if s, ok := d.choice(val, field, "status", ActionStatuses); ok {
					it.Status = s
				}
			case "type":
				if s, ok := d.choice(val, field, "type", ActionTypes); ok {
					it.Type = s
				}
			case "due":
				if t, ok := d.day(val, field, loc); ok {
					it.Due = t
					if d.dues == nil {
						d.dues = map[int]*yaml.Node{}
					}
					d.dues[len(items)] = val
				}
			default:
				// A typo leaves the field meant empty, which the page
				// would show as such: an error, as at the top level.
				if near := cmp.Or(itemSynonyms[strings.ToLower(k.Value)], nearest(k.Value, itemFields)); near != "" {
					d.errorf(k, name, "unknown field %q; did you mean %q?", k.Value, near)
				} else {
					d.diags.Warn(d.path, k.Line, k.Column, "%s: unknown field %q (known: %s)", name, k.Value, strings.Join(itemFields, ", "))
				}
			}
		}
		if it.Title == "" {
			d.errorf(e, name+".title", "required field is missing")
		}
		items = append(items, it)
	}
	return items
}
