package postmortem

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/postmortem/postmortem/generator/config"
	"github.com/postmortem/postmortem/generator/markdown"
)

var md = markdown.New(false)

func parse(t *testing.T, src string, cfg *config.Config) (*Postmortem, []string) {
	t.Helper()
	if cfg == nil {
		c := config.Default()
		cfg = &c
	}
	p, diags := Parse("content/x.md", []byte(src), cfg, md, "")
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, d.Error())
	}
	return p, msgs
}

func TestParseFormats(t *testing.T) {
	lagos, _ := time.LoadLocation("Africa/Lagos")
	tests := []struct {
		name, src string
	}{
		{"yaml", "---\ntitle: Web outage\ndate: 2023-08-06\nstarted: 2023-08-06 08:00\nresolved: 2023-08-06T11:30:00+01:00\ntimezone: Africa/Lagos\nseverity: sev1\nroot_causes: [Misconfiguration, API_integration]\nservices:\n  - web\n---\nThe site was down.\n"},
		{"toml", "+++\ntitle = \"Web outage\"\ndate = 2023-08-06\nstarted = \"2023-08-06 08:00\"\nresolved = 2023-08-06T11:30:00+01:00\ntimezone = \"Africa/Lagos\"\nseverity = \"SEV1\"\nroot_causes = [\"misconfiguration\", \"api integration\"]\nservices = [\"web\"]\n+++\nThe site was down.\n"},
		{"json", "{\n\t\"title\": \"Web outage\",\n\t\"date\": \"2023-08-06\",\n\t\"started\": \"2023-08-06 08:00\",\n\t\"resolved\": \"2023-08-06T11:30:00+01:00\",\n\t\"timezone\": \"Africa/Lagos\",\n\t\"severity\": \"SEV1\",\n\t\"root_causes\": [\"misconfiguration\", \"api-integration\"],\n\t\"services\": [\"web\"]\n}\n\nThe site was down.\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, msgs := parse(t, tc.src, nil)
			if len(msgs) != 0 {
				t.Fatalf("diagnostics: %v", msgs)
			}
			if p.Title != "Web outage" || p.Slug != "x" || p.Severity != "SEV1" || p.SeverityRank != 1 {
				t.Errorf("got title %q slug %q severity %q/%d", p.Title, p.Slug, p.Severity, p.SeverityRank)
			}
			if want := time.Date(2023, 8, 6, 0, 0, 0, 0, lagos); !p.Date.Equal(want) {
				t.Errorf("date = %v, want %v", p.Date, want)
			}
			if got := p.Duration(); got != 3*time.Hour+30*time.Minute {
				t.Errorf("duration = %v, want 3h30m (08:00 read in Africa/Lagos)", got)
			}
			if strings.Join(p.RootCauses, ",") != "api-integration,misconfiguration" {
				t.Errorf("root causes = %v", p.RootCauses)
			}
			if p.Summary != "The site was down." || p.Status != "final" || p.Draft {
				t.Errorf("summary %q status %q draft %v", p.Summary, p.Status, p.Draft)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"missing title and date", "---\nseverity: SEV2\nroot_causes: [dns]\n---\nbody\n",
			[]string{"content/x.md:1: date: required field is missing: the day of the incident, such as date: 2023-08-06; found no started: time, no Date: line near the top of the body, no date that starts the file or folder name (2023-08-06-NAME), no dated Duration: line and no dated timeline entry",
				`content/x.md:1: warning: title: none given, and the body does not start with a # heading: named after the file, "X"`}},
		{"empty title and date are missing", "---\ntitle: ''\ndate:\nroot_causes: [dns]\n---\n# The title\n\n| 20202-01-16 10:00 | paged |\n",
			[]string{"content/x.md:1: date: required field is missing: the day of the incident, such as date: 2023-08-06; found no started: time, no Date: line near the top of the body, no date that starts the file or folder name (2023-08-06-NAME), no dated Duration: line and no dated timeline entry",
				`content/x.md:8: date: "20202-01-16" looks like a date but is not one (want YEAR-MONTH-DAY, such as 2023-08-06)`}},
		{"bad date", "---\ntitle: t\ndate: 2023-13-45\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:3:7: date: cannot read "2023-13-45" as a time: there is no month 13 (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`}},
		{"times nearly written right", "---\ntitle: t\ndate: 2024-02-30\nstarted: 2024-03-12 24:30\nresolved: 2024-03-12 11:45 PST\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:3:7: date: cannot read "2024-02-30" as a time: February 2024 has 29 days (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`,
				`content/x.md:4:10: started: cannot read "2024-03-12 24:30" as a time: hours go from 0 to 23, minutes and seconds from 0 to 59 (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`,
				`content/x.md:5:11: resolved: cannot read "2024-03-12 11:45 PST" as a time: a zone is not read by its name (PST): write its offset, 2024-03-12T11:45-07:00, or set timezone: (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`}},
		{"times written on the 12-hour clock", "---\ntitle: t\ndate: 2024-05-02\nstarted: 2024-05-02 2:15pm\nresolved: 2024-05-02 12:30 a.m. PT\nmitigated: 2024-05-02 4:30 PM Mars\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:10: started: cannot read "2024-05-02 2:15pm" as a time: write the time on the 24-hour clock, 2024-05-02 14:15 (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`,
				`content/x.md:5:11: resolved: cannot read "2024-05-02 12:30 a.m. PT" as a time: write the time on the 24-hour clock, and its zone as an offset: 2024-05-02T00:30-07:00 (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`,
				`content/x.md:6:12: mitigated: cannot read "2024-05-02 4:30 PM Mars" as a time: write the time on the 24-hour clock, 2024-05-02 16:30, and the zone (Mars) as an offset, or set timezone: (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`}},
		{"a Duration line that gives a length, not a span", "---\ntitle: t\ndate: 2024-05-02\nstarted: 2024-05-02T10:00:00Z\nroot_causes: [dns]\n---\n**Duration:** about 2 hours\n",
			[]string{`content/x.md:7: warning: Duration: "about 2 hours" is not read: the duration is counted from started to resolved; write the span, such as 14:15 - 16:30 UTC, or give started: and resolved: in the front matter`}},
		{"a Duration line beside both times", "---\ntitle: t\ndate: 2024-05-02\nstarted: 2024-05-02T10:00:00Z\nresolved: 2024-05-02T12:00:00Z\nroot_causes: [dns]\n---\n| Duration | 2 h |\n", nil},
		{"a level written with a space", "---\ntitle: t\ndate: 2024-05-02\nseverity: Sev 1\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:11: severity: unknown level "Sev 1" (want one of SEV1, SEV2, SEV3, SEV4, SEV5); did you mean "SEV1"?`}},
		{"an action item due before the incident", "---\ntitle: t\ndate: 2024-03-12\nroot_causes: [dns]\naction_items:\n  - {title: A, owner: ana, due: 2024-01-01}\n  - {title: B, owner: ana, due: 2024-03-12}\n---\n",
			[]string{`content/x.md:6:33: warning: action_items[1].due: 2024-01-01 is before the day of the incident (2024-03-12)`}},
		{"action items in the front matter and in the body", "---\ntitle: t\ndate: 2024-03-12\nroot_causes: [dns]\naction_items:\n  - {title: A, owner: ana}\n---\nText.\n\n## Action items\n\n- [ ] Test upgrades in staging\n- [x] Roll back\n",
			[]string{`content/x.md:12: warning: action_items: the body lists 2 items of its own, which the ledger and the completion figures leave out: move them into the front matter's action_items, or delete the list`}},
		{"unknown severity", "---\ntitle: t\ndate: 2023-01-02\nseverity: SEV9\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:11: severity: unknown level "SEV9" (want one of SEV1, SEV2, SEV3, SEV4, SEV5)`}},
		{"resolved before started", "---\ntitle: t\ndate: 2023-01-02\nstarted: 2023-01-02 10:00\nresolved: 2023-01-02 09:00\nroot_causes: [dns]\n---\n",
			[]string{"content/x.md:5:11: resolved: 2023-01-02 09:00 UTC is before started (2023-01-02 10:00 UTC)"}},
		{"a timeline line whose time does not exist", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n---\n## Timeline\n\n- 10:00 Paged\n- 25:00 Rolled back\n- 2023-02-30 10:40 Reverted\n- 11:00 pm Resolved\n- 13:00 pm Closed\n- 9.35 c\n- 9h40 d\n- 3/4 10:15 h\n- Feb 30, 2023 23:50 i\n\n| 9.45 | Alerts fire |\n| Time | Event |\n- Nothing to say at 10:00\n",
			[]string{`content/x.md:9:3: warning: timeline: "25:00" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`,
				`content/x.md:10:3: warning: timeline: "2023-02-30 10:40" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`,
				`content/x.md:12:3: warning: timeline: "13:00 pm" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`,
				`content/x.md:13:3: warning: timeline: "9.35" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`,
				`content/x.md:14:3: warning: timeline: "9h40" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`,
				`content/x.md:15:3: warning: timeline: "3/4 10:15" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`,
				`content/x.md:16:3: warning: timeline: "Feb 30, 2023 23:50" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`,
				`content/x.md:18:3: warning: timeline: "9.45" is not read as a time (write 14:05, 2:05 pm or 2024-03-04 14:05: hours 0 to 23, minutes 0 to 59, a day of its month): the line is left out of the timeline`}},
		{"list where text wanted", "---\ntitle: [a, b]\ndate: 2023-01-02\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:2:8: title: want text, got a list`}},
		{"text where list wanted is a list of one", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: dns\n---\n", nil},
		{"text with commas where list wanted", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\ntags: \"a, b\"\n---\n",
			[]string{`content/x.md:5:7: warning: tags: want a list, got text with commas; read as [a, b]: write it so`}},
		{"a key and a value with line breaks", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n\"k\\nfake.md:1: error: forged\": 1\ntags: \"a, b\\nfake.md:2: error: forged\"\n---\n",
			[]string{`content/x.md:5:1: warning: unknown field "k\nfake.md:1: error: forged" (kept for templates as index .PM.Params "k\nfake.md:1: error: forged"; unknown_fields: ignore in postmortem.yaml silences this)`,
				`content/x.md:6:7: warning: tags: want a list, got text with commas; read as [a, "b\nfake.md:2: error: forged"]: write it so`}},
		{"mapping in a list", "---\ntitle: t\ndate: 2023-01-02\nroot_causes:\n  - {a: b}\n---\n",
			[]string{`content/x.md:5:5: root_causes: want a list of text values, got a mapping in the list`}},
		{"times the clocks skip going forward", "---\ntitle: t\ndate: 2024-03-10\ntimezone: America/New_York\nstarted: 2024-03-10 02:30\nresolved: 2024-03-10 03:30\nroot_causes: [dns]\n---\n## Timeline\n\n- 01:50 Paged\n- 02:10 Failed over\n- 03:10 Resolved\n- 2024-03-10T02:20:00-05:00 Written with its offset\n",
			[]string{`content/x.md:5:10: warning: started: 2024-03-10 02:30 does not exist in America/New_York, as the clocks skip it going forward: read as 2024-03-10 03:30 EDT`,
				`content/x.md:12: warning: timeline: the time written does not exist in America/New_York on 2024-03-10, as the clocks skip it going forward: read as 03:10 EDT`}},
		{"a day whose midnight the clocks skip", "---\ntitle: t\ndate: 2024-09-08\ntimezone: America/Santiago\nroot_causes: [dns]\n---\n", nil},
		{"capitals joined by a slash", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [CI/CD, network/dns, Disk/IO]\ntags: [CI/CD]\n---\n",
			[]string{`content/x.md:4:15: warning: root_causes: "CI/CD" is read as "cd" under "ci", as a slash nests one term under another: for one term, write "ci-cd", or map it in aliases: of postmortem.yaml`}},
		{"unknown key with suggestion", "---\ntitle: t\ndate: 2023-01-02\nroot_cause: [dns]\n---\n",
			[]string{`content/x.md:4:1: unknown field "root_cause"; did you mean "root_causes"?`}},
		{"unknown item field with suggestion, and one without", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\naction_items:\n  - title: Fix\n    ownr: bo\n    colour: red\n---\n",
			[]string{`content/x.md:7:5: action_items[1]: unknown field "ownr"; did you mean "owner"?`,
				`content/x.md:8:5: warning: action_items[1]: unknown field "colour" (known: title, owner, status, due, type, url)`}},
		{"a misspelt status, and an item's fields by other names", "---\ntitle: t\ndate: 2023-01-02\nstatus: finall\nroot_causes: [dns]\naction_items:\n  - title: Fix\n    assignee: bo\n    deadline: 2023-02-01\n---\n",
			[]string{`content/x.md:4:9: status: unknown status "finall" (want draft, review or final); did you mean "final"?`,
				`content/x.md:8:5: action_items[1]: unknown field "assignee"; did you mean "owner"?`,
				`content/x.md:9:5: action_items[1]: unknown field "deadline"; did you mean "due"?`}},
		{"bad status and timezone", "---\ntitle: t\ndate: 2023-01-02\nstatus: done\ntimezone: Mars/Olympus\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:9: status: unknown status "done" (want draft, review or final)`, `content/x.md:5:11: timezone: unknown time zone "Mars/Olympus" (want an IANA name such as Europe/Berlin)`}},
		{"action items", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\naction_items:\n  - title: Fix\n    status: closed\n    type: later\n    due: soon\n  - owner: bo\n---\n",
			[]string{`content/x.md:7:13: action_items[1].status: unknown status "closed" (want open, done or wontfix); did you mean "done"?`,
				`content/x.md:8:11: action_items[1].type: unknown type "later" (want mitigate, prevent or process)`,
				`content/x.md:9:10: action_items[1].due: cannot read "soon" as a day (want one such as 2024-06-01)`,
				`content/x.md:10:5: action_items[2].title: required field is missing`}},
		{"an internal block never closed", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n---\nThe cache expired.\n\n::: internal\nThe pager went to Ana.\n\n## Timeline\n\n- 10:00 Paged\n",
			[]string{`content/x.md:8:1: warning: ::: internal: no line ::: closes the block, which runs to the end of the postmortem: all of it is left out of the public build`}},
		{"an internal block closed", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n---\nThe cache expired.\n\n::: internal\nThe pager went to Ana.\n:::\n\n```\n::: internal\n```\n", nil},
		{"missing closing fence", "---\ntitle: t\ndate: 2023-01-02\n\nbody\n",
			[]string{"content/x.md:1:1: front matter: no closing ---"}},
		{"closing fence left out, the body's text read as fields", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n\n## Summary\n\nBody text: with a colon.\n\n---\n\nMore.\n",
			[]string{`content/x.md:6:1: warning: front matter: this Markdown heading is a YAML comment here, the front matter running to the --- of line 10: if the body starts at it, write the closing --- above it`,
				`content/x.md:8:1: unknown field "Body text": is the closing --- of the front matter missing above line 6? (it runs to the --- of line 10)`}},
		{"closing fence left out, the body's facts read as fields", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n\nImpact: all users saw errors for 3 hours.\nDuration: 08:00 - 11:30\nJIRA: OPS-1\n\n---\nMore.\n",
			[]string{`content/x.md:6:1: unknown field "Impact": is the closing --- of the front matter missing above line 6? (it runs to the --- of line 10)`,
				`content/x.md:7:1: unknown field "Duration": is the closing --- of the front matter missing above line 6? (it runs to the --- of line 10)`,
				`content/x.md:8:1: warning: unknown field "JIRA" (kept for templates as .PM.Params.JIRA; unknown_fields: ignore in postmortem.yaml silences this)`}},
		{"closing fence left out, the body's text read as YAML", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n\nThe site was down for an hour,\nand nobody could log in.\n\n---\nMore.\n",
			[]string{`content/x.md:6: front matter: invalid YAML: could not find expected ':' (the front matter runs to the --- of line 9: is its closing --- missing above line 6?)`}},
		{"closing fence left out, the body's list read as YAML", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n\n## Summary\n\nThe site was down for an hour.\nNobody could log in.\n\n---\n\nMore.\n",
			[]string{`content/x.md:8: front matter: invalid YAML: could not find expected ':' (the front matter runs to the --- of line 11: is its closing --- missing above the heading of line 6?)`}},
		{"a comment after a blank line, a custom field after it", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n\n# Ownership\nteam: payments\n---\nBody.\n",
			[]string{`content/x.md:7:1: warning: unknown field "team" (kept for templates as .PM.Params.team; unknown_fields: ignore in postmortem.yaml silences this)`}},
		{"closing fence left out, a heading alone", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n\n## Summary\n\n---\n\nMore.\n",
			[]string{`content/x.md:6:1: warning: front matter: this Markdown heading is a YAML comment here, the front matter running to the --- of line 8: if the body starts at it, write the closing --- above it`}},
		{"a link that could run a script", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n---\nSee [this](javascript:alert(2)) and ![x](data:text/html,hi) but ![ok](data:image/png;base64,AAAA).\n<javascript:alert(3)>\n\n[z](&#106;avascript:alert(4))\n",
			[]string{`content/x.md:6:5: warning: link "javascript:alert(2)" is shown as its text: one that could run a script is left out (unsafe_html: true in postmortem.yaml keeps it)`,
				`content/x.md:6:37: warning: image "data:text/html,hi" is shown as its text: one that could run a script is left out (unsafe_html: true in postmortem.yaml keeps it)`,
				`content/x.md:7:1: warning: link "javascript:alert(3)" is shown as its text: one that could run a script is left out (unsafe_html: true in postmortem.yaml keeps it)`,
				`content/x.md:9:1: warning: link "&#106;avascript:alert(4)" is shown as its text: one that could run a script is left out (unsafe_html: true in postmortem.yaml keeps it)`}},
		{"an empty file", "\n  \n", []string{"content/x.md: the file is empty: write the postmortem, or postmortem new writes one from the template"}},
		{"not text", "PK\x03\x04\x00\x00binary", []string{"content/x.md: not text: the file holds NUL bytes (a .md that is not Markdown?)"}},
		{"a zone in the wrong case", "---\ntitle: t\ndate: 2023-01-02\ntimezone: europe/berlin\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:11: timezone: unknown time zone "europe/berlin"; did you mean "Europe/Berlin"?`}},
		{"utc in lower case", "---\ntitle: t\ndate: 2023-01-02\ntimezone: utc\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:11: timezone: unknown time zone "utc"; did you mean "UTC"?`}},
		{"a date that started contradicts", "---\ntitle: t\ndate: 2023-01-01\nstarted: 2024-03-02 10:00\nroot_causes: [dns]\n---\n",
			[]string{"content/x.md:3:7: warning: date: 2023-01-01 is not the day of started: (2024-03-02): the incident is listed under its date"}},
		{"a date that started agrees with, in its zone", "---\ntitle: t\ndate: 2024-03-02\nstarted: 2024-03-02T23:30:00-08:00\nroot_causes: [dns]\n---\n", nil},
		{"root causes given empty", "---\ntitle: t\ndate: 2023-01-02\nseverity: SEV2\nroot_causes: []\n---\n",
			[]string{"content/x.md:5: warning: root_causes: no root causes: the incident will not be cross-linked"}},
		{"a comment that starts the front matter", "---\n# written by hand\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n---\n\n## Summary\n", nil},
		{"invalid yaml", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns\n---\n",
			[]string{"content/x.md:4:14: front matter: invalid YAML: did not find expected ',' or ']': its bracket does not close on its line: close it, [a, b], or quote the value"}},
		{"toml values at their columns", "+++\ntitle = \"t\"\ndate = 2023-01-02\nseverity   =  \"SEV9\"\nstarted = \"soon\"\nroot_causes = [\"dns\"]\n+++\n",
			[]string{`content/x.md:4:15: severity: unknown level "SEV9" (want one of SEV1, SEV2, SEV3, SEV4, SEV5)`,
				`content/x.md:5:11: started: cannot read "soon" as a time (want 2023-08-06, 2023-08-06 08:00 or 2023-08-06T08:00:00Z)`}},
		{"a colon in a value", "---\ntitle: Outage: DB down\ndate: 2023-01-02\n---\n",
			[]string{`content/x.md:2:8: front matter: invalid YAML: mapping values are not allowed in this context: a value with ": " in it needs quotes, such as title: "Outage: DB down"`}},
		{"a value that starts with @", "---\ndate: 2023-01-02\ntitle: @oncall paged\n---\n",
			[]string{`content/x.md:3:8: front matter: invalid YAML: found character that cannot start any token: a value that starts with @ needs quotes, such as title: "@oncall paged"`}},
		{"a tab that indents a list", "---\ntitle: t\ndate: 2023-01-02\nroot_causes:\n\t- dns\n---\n",
			[]string{`content/x.md:5:1: front matter: invalid YAML: found character that cannot start any token: indent with spaces, not tabs`}},
		{"a quote in single quotes", "---\ntitle: 'it's broken'\ndate: 2023-01-02\n---\n",
			[]string{`content/x.md:2:8: front matter: invalid YAML: did not find expected key: its quotes close before the value ends; within '...', write ' as ''`}},
		{"quotes that close, and an indentation mistake", "---\ntitle: \"ok\"\n  date: 2023-01-02\n---\n",
			[]string{`content/x.md:3:3: front matter: invalid YAML: did not find expected key: no line above that it could belong to is indented by 2 spaces as this one is: indent it as the other keys of its mapping or list item`}},
		{"a quote not closed", "---\ntitle: \"unclosed\ndate: 2023-01-02\n---\n",
			[]string{`content/x.md:2:8: front matter: invalid YAML: found unexpected end of stream: its quotes do not close`}},
		{"a bracket not closed", "---\ntitle: [oops\ndate: 2023-01-02\n---\n",
			[]string{`content/x.md:2:8: front matter: invalid YAML: did not find expected ',' or ']': its bracket does not close on its line: close it, [a, b], or quote the value`}},
		{"a direction override", "---\ntitle: \"Outage of \u202eelif.exe\"\ndate: 2024-01-02\nroot_causes: [dns]\naction_items:\n  - {title: Fix, owner: \"\u202enimda\"}\n---\n",
			[]string{`content/x.md:2:8: warning: title: a character that overrides the direction of the text (U+202D or U+202E) is left out, as it shows the text in another order than it is written`,
				`content/x.md:6:25: warning: action_items[1].owner: a character that overrides the direction of the text (U+202D or U+202E) is left out, as it shows the text in another order than it is written`}},
		{"terms with nothing to name a page by", "---\ntitle: t\ndate: 2024-01-02\nroot_causes: [dns, \"!!!\", \"../../etc\"]\n---\n",
			[]string{`content/x.md:4:20: warning: root_causes: "!!!" has no letter nor digit to name a page by: left out`,
				`content/x.md:4:27: warning: root_causes: "../../etc" is read as "etc": a part between slashes with no letter nor digit is left out`}},
		{"a closing fence of four dashes", "---\ntitle: t\ndate: 2023-01-02\n----\nBody.\n",
			[]string{`content/x.md:1:1: front matter: no closing --- (line 4: the closing fence is three dashes)`}},
		{"no closing fence, a heading's underline in the body", "---\ntitle: t\ndate: 2023-01-02\n\nThe outage\n----------\n",
			[]string{`content/x.md:1:1: front matter: no closing ---`}},
		{"invalid toml", "+++\ntitle = \"t\"\ndate = \n+++\n",
			[]string{"content/x.md:3: front matter: invalid TOML: expected value but found '\\n' instead"}},
		{"body past the markdown limits", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n---\nText.\n\n```" + strings.Repeat("x", 65) + "\ncode\n```\n\n" + strings.Repeat("> ", 17) + "deep\n",
			[]string{"content/x.md:8:4: warning: code fence language name is 65 bytes long: names over 64 bytes are not looked up, the code is not highlighted",
				"content/x.md:12: warning: lists, block quotes and footnotes nest more than 16 deep: deeper ones are shown as text"}},
		{"no front matter", "# Just a heading\n", []string{"content/x.md: date: required field is missing: the day of the incident, such as date: 2023-08-06; found no started: time, no Date: line near the top of the body, no date that starts the file or folder name (2023-08-06-NAME), no dated Duration: line and no dated timeline entry",
			"content/x.md: warning: root_causes: no root causes: the incident will not be cross-linked"}},
		{"duplicate key", "---\ntitle: t\ndate: 2023-01-02\ntitle: u\nroot_causes: [dns]\n---\n",
			[]string{"content/x.md:4:1: title: given twice (first on line 2)"}},
		{"bad slug", "---\ntitle: t\ndate: 2023-01-02\nslug: Not A/Slug\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:7: slug: "Not A/Slug" is not a valid slug (want lower-case letters, digits and dashes, such as "not-a-slug")`}},
		{"slug too long", "---\ntitle: t\ndate: 2023-01-02\nslug: " + strings.Repeat("a", MaxSlug+1) + "\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:7: slug: makes a page name of 244 bytes, over the 243 a file name allows`}},
		{"the only root cause too long", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [" + strings.Repeat("b", 300) + "]\n---\n",
			[]string{`content/x.md:4:15: root_causes: makes a page name of 300 bytes, over the 243 a file name allows`}},
		{"slug at the limit", "---\ntitle: t\ndate: 2023-01-02\nslug: " + strings.Repeat("a", MaxSlug) + "\nroot_causes: [dns]\n---\n", nil},
		{"term too long", "---\ntitle: t\ndate: 2023-01-02\nroot_causes:\n  - dns\n  - " + strings.Repeat("b", MaxSlug+1) + "\n---\n",
			[]string{`content/x.md:6:5: root_causes: makes a page name of 244 bytes, over the 243 a file name allows`}},
		{"invalid UTF-8", "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\n---\nCaf\u00e9 caf\xe9\n",
			[]string{`content/x.md:6:9: invalid UTF-8 (byte 0xe9): save the file as UTF-8`}},
		{"local time zone", "---\ntitle: t\ndate: 2023-01-02\ntimezone: Local\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:11: timezone: "Local" is the zone of the machine that builds, which would make the output depend on it (want an IANA name such as Europe/Berlin, or UTC)`}},
		{"zero date", "---\ntitle: t\ndate: 0001-01-01\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:3:7: date: "0001-01-01" is the zero time, which stands for no time at all (want the real one)`}},
		{"zero day", "---\ntitle: t\ndate: 0001-01-01T10:00:00Z\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:3:7: date: "0001-01-01T10:00:00Z" is the day of the zero time, which stands for no date (want the day of the incident)`}},
		{"zero start", "---\ntitle: t\ndate: 2023-01-02\nstarted: 0001-01-01T00:00:00Z\nroot_causes: [dns]\n---\n",
			[]string{`content/x.md:4:10: started: "0001-01-01T00:00:00Z" is the zero time, which stands for no time at all (want the real one)`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, msgs := parse(t, tc.src, nil)
			if strings.Join(msgs, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestFieldMappingAndAliases(t *testing.T) {
	cfg := config.Default()
	cfg.Fields = map[string]config.Keys{"root_causes": {"categories"}, "started": {"start_time"}, "date": {"start_time", "published_at"}}
	cfg.Aliases = map[string]string{"misconfig": "misconfiguration"}
	for _, tc := range []struct {
		name, src           string
		date, started, root string
	}{
		{"one key feeds two fields", "---\ntitle: t\nstart_time: 2023-01-02 10:00\ncategories: [Misconfig, DNS]\n---\n", "2023-01-02", "10:00", "dns,misconfiguration"},
		{"the mapped key comes first", "---\ntitle: t\nstart_time: 2023-01-02 10:00\ndate: 2023-01-01\ncategories: [dns]\nroot_causes: [x]\n---\n", "2023-01-02", "10:00", "dns"},
		{"a fallback when the first key is empty", "---\ntitle: t\nstart_time: ''\npublished_at: 2023-01-03\ncategories: [dns]\n---\n", "2023-01-03", "", "dns"},
		{"our own names keep working", "---\ntitle: t\ndate: 2023-01-04\nstarted: 2023-01-04 09:00\nroot_causes: [Misconfig]\n---\n", "2023-01-04", "09:00", "misconfiguration"},
		{"an empty mapped key falls back to ours", "---\ntitle: t\ndate: 2023-01-05\ncategories: []\nroot_causes: [dns]\n---\n", "2023-01-05", "", "dns"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, msgs := parse(t, tc.src, &cfg)
			if len(msgs) != 0 {
				t.Errorf("diagnostics: %v", msgs)
			}
			started := ""
			if !p.Started.IsZero() {
				started = p.Started.Format("15:04")
			}
			if p.Date.Format(time.DateOnly) != tc.date || started != tc.started || strings.Join(p.RootCauses, ",") != tc.root {
				t.Errorf("date %s, started %q, root causes %v; want %s, %q, %s", p.Date.Format(time.DateOnly), started, p.RootCauses, tc.date, tc.started, tc.root)
			}
		})
	}
}

// TestUnknownFields wants keys that are none of our fields kept for
// templates, reported as unknown_fields says, and a near miss of a known
// key an error whatever it says.
func TestUnknownFields(t *testing.T) {
	const src = "---\ntitle: t\ndate: 2023-01-02\nroot_causes: [dns]\nurl: https://example.com/pm/1\ncompany: Acme\nkeywords: [a, b]\nseverty: SEV1\n---\n"
	for _, tc := range []struct {
		setting string
		want    []string
	}{
		{"warn", []string{
			`content/x.md:5:1: warning: unknown field "url" (kept for templates as .PM.Params.url; unknown_fields: ignore in postmortem.yaml silences this)`,
			`content/x.md:6:1: warning: unknown field "company" (kept for templates as .PM.Params.company; unknown_fields: ignore in postmortem.yaml silences this)`,
			`content/x.md:7:1: warning: unknown field "keywords" (kept for templates as .PM.Params.keywords; unknown_fields: ignore in postmortem.yaml silences this)`,
			`content/x.md:8:1: unknown field "severty"; did you mean "severity"?`}},
		{"ignore", []string{`content/x.md:8:1: unknown field "severty"; did you mean "severity"?`}},
		{"error", []string{
			`content/x.md:5:1: unknown field "url" (kept for templates as .PM.Params.url; unknown_fields: ignore in postmortem.yaml silences this)`,
			`content/x.md:6:1: unknown field "company" (kept for templates as .PM.Params.company; unknown_fields: ignore in postmortem.yaml silences this)`,
			`content/x.md:7:1: unknown field "keywords" (kept for templates as .PM.Params.keywords; unknown_fields: ignore in postmortem.yaml silences this)`,
			`content/x.md:8:1: unknown field "severty"; did you mean "severity"?`}},
	} {
		t.Run(tc.setting, func(t *testing.T) {
			cfg := config.Default()
			cfg.UnknownFields = tc.setting
			p, msgs := parse(t, src, &cfg)
			if strings.Join(msgs, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("diagnostics:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(tc.want, "\n"))
			}
			if p.Params["url"].String() != "https://example.com/pm/1" || p.Params["company"].String() != "Acme" || p.Params["keywords"].String() != "a, b" || p.Severity != "" {
				t.Errorf("params %v, severity %q", p.Params, p.Severity)
			}
		})
	}
}

func TestDraftsAndSlugs(t *testing.T) {
	p, _ := parse(t, "---\ntitle: t\ndate: 2023-01-02\ndraft: true\nroot_causes: [a]\n---\n", nil)
	if !p.Draft || p.Status != "draft" {
		t.Errorf("draft: true gave draft=%v status=%q", p.Draft, p.Status)
	}
	p, _ = parse(t, "---\ntitle: t\ndate: 2023-01-02\nstatus: Draft\nroot_causes: [a]\n---\n", nil)
	if !p.Draft {
		t.Error("status: draft is not a draft")
	}
	cfg := config.Default()
	b, _ := Parse("content/2023/Web Outage/index.md", []byte("---\ntitle: t\ndate: 2023-01-02\nroot_causes: [a]\n---\n"), &cfg, md, "content/2023/Web Outage")
	if b.Slug != "web-outage" {
		t.Errorf("bundle slug = %q, want web-outage", b.Slug)
	}
}

// TestSlugFromName checks the slugs made of file and folder names: one
// with no letter or digit, or too long for a file name, is an error at the
// file, which has no line to point at.
func TestSlugFromName(t *testing.T) {
	cfg := config.Default()
	src := []byte("---\ntitle: t\ndate: 2023-01-02\nroot_causes: [a]\n---\n")
	for _, tc := range []struct{ path, dir, want string }{
		{"content/---.md", "", "content/---.md: slug: the file name has no letter or digit to name a page with: rename it, or set slug: in the front matter"},
		{"content/2023/__/index.md", "content/2023/__", "content/2023/__/index.md: slug: the folder name has no letter or digit to name a page with: rename it, or set slug: in the front matter"},
		{"content/" + strings.Repeat("x", MaxSlug+2) + ".md", "", "content/" + strings.Repeat("x", MaxSlug+2) + ".md: slug: the file name makes a page name of 245 bytes, over the 243 a file name allows: rename it, or set slug: in the front matter"},
		{"content/" + strings.Repeat("x", MaxSlug) + ".md", "", ""},
	} {
		p, diags := Parse(tc.path, src, &cfg, md, tc.dir)
		if got := diags.Errors().Error(); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.path, got, tc.want)
		}
		if tc.want != "" && p.Slug != "" {
			t.Errorf("%s: slug %q, want none", tc.path, p.Slug)
		}
	}
	// A slug: in the front matter saves the file.
	p, diags := Parse("content/---.md", []byte("---\ntitle: t\ndate: 2023-01-02\nslug: dashes\nroot_causes: [a]\n---\n"), &cfg, md, "")
	if diags.Err() != nil || p.Slug != "dashes" || p.SlugLine != 4 || p.SlugCol != 7 {
		t.Errorf("slug %q at %d:%d, %v", p.Slug, p.SlugLine, p.SlugCol, diags.Err())
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Expired Certificate": "expired-certificate", "expired_certificate": "expired-certificate",
		"  DNS  ": "dns", "API--integration!": "api-integration", "Café au lait": "café-au-lait", "a/b": "a-b", "": "",
	} {
		if got := Slugify(in); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: t\ndate: 2023-01-02\n---\nbody",
		"+++\ntitle = \"t\"\n+++\n",
		"{\n\"title\": 1\n}\n\n",
		"---\naction_items: [{title: x, due: 2023-01-01}]\n---\n",
		"---\nroot_causes: &a [x]\ntags: *a\n---\n",
		"**Date:** March 3rd, 2024\n| Severity | SEV2 |\n- Root cause: a, b/c\n\n## Action items\n\n- [ ] Fix (owner: @x, due March 5, 2024) — @y\n",
		"---\nx:\n  - a: 1\n   b: 2\n---\n",
		"---\ntimezone: America/New_York\nstarted: 2024-03-10 02:30\n---\n## Timeline\n- 02:10 a\n- 25:00 b\n- 9h40 c\n- 01:00 d\n",
	} {
		f.Add(s)
	}
	cfg := config.Default()
	f.Fuzz(func(t *testing.T, src string) {
		p, diags := Parse("content/f.md", []byte(src), &cfg, md, "")
		if p == nil {
			t.Fatal("nil postmortem")
		}
		for _, d := range diags {
			if d.Path != "content/f.md" {
				t.Fatalf("diagnostic for another file: %v", d)
			}
		}
	})
}

// TestLines: each field's key is found at its line of the file, a title
// read from the body at the heading's line, and a field not given at 0.
func TestLines(t *testing.T) {
	p, errs := parse(t, "---\ndate: 2024-03-01\n\nseverity: SEV2\nroot_causes: [dns]\n---\n\n# Resolver outage\n\nText.\n", nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	for field, want := range map[string]int{"date": 2, "severity": 4, "root_causes": 5, "title": 8, "services": 0, "no such field": 0} {
		if got := p.Lines.Of(field); got != want {
			t.Errorf("Lines.Of(%q) = %d, want %d", field, got, want)
		}
	}
}

// TestWrittenOffset: without timezone:, the offset a date or time is
// written with gives the day of the incident and the zone its times are
// shown in, whatever the zone of the machine; a timezone: still wins.
func TestWrittenOffset(t *testing.T) {
	// time.Parse gives a time whose offset is the machine's that zone.
	defer func(l *time.Location) { time.Local = l }(time.Local)
	time.Local = time.FixedZone("PST", -8*3600)
	tests := []struct {
		src, day, zone, started string
	}{
		{"---\ntitle: t\ndate: 2024-12-31T23:30:00-08:00\nroot_causes: [x]\n---\n", "2024-12-31", "UTC-08:00", ""},
		{"---\ntitle: t\ndate: 2024-03-11T01:00:00+05:30\nroot_causes: [x]\n---\n", "2024-03-11", "UTC+05:30", ""},
		{"---\ntitle: t\nstarted: 2024-03-05T23:30:00-08:00\nroot_causes: [x]\n---\n", "2024-03-05", "UTC-08:00", "2024-03-05 23:30 UTC-08:00"},
		{"---\ntitle: t\ndate: 2024-12-31T23:30:00-08:00\ntimezone: Europe/Berlin\nroot_causes: [x]\n---\n", "2025-01-01", "Europe/Berlin", ""},
		{"---\ntitle: t\ndate: 2024-12-31\nstarted: 2024-12-31 23:30\nroot_causes: [x]\n---\n", "2024-12-31", "UTC", "2024-12-31 23:30 UTC"},
		// The first written with an offset decides, Z too: a detection
		// copied from an alert in another zone does not move the page.
		{"---\ntitle: t\ndate: 2024-01-10T00:30:00Z\nstarted: 2024-01-09T16:30:00-08:00\nroot_causes: [x]\n---\n", "2024-01-10", "UTC", "2024-01-10 00:30 UTC"},
		{"---\ntitle: t\ndate: 2024-01-10\nstarted: 2024-01-10T00:30:00Z\ndetected: 2024-01-09T16:40:00-08:00\nroot_causes: [x]\n---\n", "2024-01-10", "UTC", "2024-01-10 00:30 UTC"},
		// A day whose midnight the clocks skip starts after it, not on
		// the day before.
		{"---\ntitle: t\ndate: 2024-09-08\ntimezone: America/Santiago\nroot_causes: [x]\n---\n", "2024-09-08", "America/Santiago", ""},
	}
	for _, tc := range tests {
		p, msgs := parse(t, tc.src, nil)
		if len(msgs) > 0 {
			t.Errorf("%q: %v", tc.src, msgs)
		}
		if got := p.Date.Format(time.DateOnly); got != tc.day || p.Location.String() != tc.zone {
			t.Errorf("%q: day %s in %s, want %s in %s", tc.src, got, p.Location, tc.day, tc.zone)
		}
		if got := p.Started.In(p.Location).Format("2006-01-02 15:04 MST"); tc.started != "" && got != tc.started {
			t.Errorf("%q: started %s, want %s", tc.src, got, tc.started)
		}
	}
}

// TestDateAgainstName: a date: that the day the file's name starts with
// contradicts is warned of.
func TestDateAgainstName(t *testing.T) {
	cfg := config.Default()
	src := "---\ntitle: t\ndate: 2023-01-01\nroot_causes: [dns]\n---\n"
	_, diags := Parse("content/2024-03-02-disk-full.md", []byte(src), &cfg, md, "")
	want := "content/2024-03-02-disk-full.md:3:7: warning: date: 2023-01-01 is not the day its name starts with (2024-03-02): the incident is listed under its date"
	if len(diags) != 1 || diags[0].Error() != want {
		t.Errorf("diagnostics %v, want %s", diags, want)
	}
}

// TestBodyZoneRereadsTimes: without timezone:, the zone the body states
// ("All times in PST") is the postmortem's, and the front matter's times
// written without an offset, and its action items' due days, are read in
// it; one written with an offset stays the instant it names.
func TestBodyZoneRereadsTimes(t *testing.T) {
	for _, src := range []string{
		"---\ntitle: t\ndate: 2024-03-04\nstarted: 2024-03-04 10:00\nresolved: 2024-03-04T19:00:00Z\nroot_causes: [x]\naction_items: [{title: X, owner: ana, due: 2024-03-28}]\n---\nAll times in PST.\n",
		// Without date:, the day is read from the body, in its zone.
		"---\ntitle: t\nstarted: 2024-03-04 10:00\nresolved: 2024-03-04T19:00:00Z\nroot_causes: [x]\naction_items: [{title: X, owner: ana, due: 2024-03-28}]\n---\nAll times in PST.\n",
	} {
		p, msgs := parse(t, src, nil)
		if len(msgs) > 0 {
			t.Errorf("%q: %v", src, msgs)
		}
		if got := p.Started.Format("2006-01-02 15:04 MST"); got != "2024-03-04 10:00 PST" {
			t.Errorf("%q: started %s, want 2024-03-04 10:00 PST", src, got)
		}
		if got := p.Resolved.In(p.Location).Format("2006-01-02 15:04 MST"); got != "2024-03-04 11:00 PST" {
			t.Errorf("%q: resolved %s, want 2024-03-04 11:00 PST", src, got)
		}
		if got := p.ActionItems[0].Due.In(p.Location).Format("2006-01-02 15:04 MST"); got != "2024-03-28 00:00 PDT" {
			t.Errorf("%q: due %s, want 2024-03-28 00:00 PDT", src, got)
		}
	}
}

// TestSeverityAlias: an alias of the config names a level, as teams that
// write P1 need; in the front matter and in the body's facts alike.
func TestSeverityAlias(t *testing.T) {
	cfg := config.Default()
	cfg.Aliases = map[string]string{"p1": "SEV1", "p2": "sev2"}
	for _, src := range []string{
		"---\ntitle: t\ndate: 2024-01-02\nseverity: P1\nroot_causes: [dns]\n---\n",
		"---\ntitle: t\ndate: 2024-01-02\nroot_causes: [dns]\n---\nSeverity: p1\n\nText.\n",
	} {
		p, msgs := parse(t, src, &cfg)
		if len(msgs) != 0 || p.Severity != "SEV1" || p.SeverityRank != 1 {
			t.Errorf("%q: severity %q (rank %d), diagnostics %v; want SEV1", src, p.Severity, p.SeverityRank, msgs)
		}
	}
	if p, _ := parse(t, "---\ntitle: t\ndate: 2024-01-02\nseverity: P2\nroot_causes: [dns]\n---\n", &cfg); p.Severity != "SEV2" {
		t.Errorf("an alias onto a level in another case: severity %q, want SEV2", p.Severity)
	}
}

// TestSummaryPastFactLines: a first paragraph of fact lines alone is not
// the summary; the next paragraph is.
func TestSummaryPastFactLines(t *testing.T) {
	cfg := config.Default()
	md := markdown.New(false, markdown.FactLines(IsFactLine))
	src := "---\ntitle: t\nroot_causes: [dns]\n---\n**Date:** March 3, 2024\n**Severity:** SEV2\n\n## Summary\n\nThe API returned errors for 40 minutes.\n"
	p, diags := Parse("content/x.md", []byte(src), &cfg, md, "")
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	if want := "The API returned errors for 40 minutes."; p.Summary != want || p.Severity != "SEV2" {
		t.Errorf("summary %q, severity %q; want %q and SEV2", p.Summary, p.Severity, want)
	}
	// Nor is a line that gives only the zone of the times, nor one that
	// says the title again, as a file of plain text starts.
	for _, src := range []string{
		"# DNS TTL set to zero\n\n**Date:** 2024-01-10\nSeverity: SEV2\n\nAll times in CET.\n\nThe API returned errors for 40 minutes.\n",
		"---\ntitle: t\ndate: 2024-03-03\nroot_causes: [dns]\n---\n*(Times are UTC)*\n\nThe API returned errors for 40 minutes.\n",
		"---\ntitle: Payment queue backlog\ndate: 2024-03-03\nroot_causes: [dns]\n---\nPayment Queue Backlog\n\nThe API returned errors for 40 minutes.\n",
	} {
		p, _ := Parse("content/x.md", []byte(src), &cfg, md, "")
		if want := "The API returned errors for 40 minutes."; p.Summary != want {
			t.Errorf("summary %q, want %q, of:\n%s", p.Summary, want, src)
		}
	}
	// A paragraph with a fact line and prose is the summary.
	src = "---\ntitle: t\ndate: 2024-03-03\nroot_causes: [dns]\n---\nSeverity: SEV2 for the first hour,\nthen the API recovered.\n"
	if p, _ := Parse("content/x.md", []byte(src), &cfg, md, ""); !strings.HasPrefix(p.Summary, "Severity: SEV2 for the first hour") {
		t.Errorf("summary %q, want the paragraph with prose", p.Summary)
	}
}

// TestKeysInAnotherCase: a key of ours written in another case is read,
// and told; given beside the key in lower case, it is given twice.
func TestKeysInAnotherCase(t *testing.T) {
	cfg := config.Default()
	p, msgs := parse(t, "---\nTitle: Cache storm\nDate: 2024-01-02\nroot_causes: [dns]\n---\n", &cfg)
	want := []string{`content/x.md:2:1: warning: Title: read as title (write keys in lower case)`, `content/x.md:3:1: warning: Date: read as date (write keys in lower case)`}
	if p.Title != "Cache storm" || p.Date.Format(time.DateOnly) != "2024-01-02" || strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("title %q, date %v, diagnostics:\n%s\nwant:\n%s", p.Title, p.Date, strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
	_, msgs = parse(t, "---\ntitle: a\nTitle: b\ndate: 2024-01-02\nroot_causes: [dns]\n---\n", &cfg)
	if len(msgs) != 2 || !strings.Contains(msgs[0], "3:1: title: given twice (first on line 2)") {
		t.Errorf("title and Title: %q", msgs)
	}
}

// TestAliasOfANestedTerm: a term with a slash that an alias folds onto
// one without is not told as having lost a part.
func TestAliasOfANestedTerm(t *testing.T) {
	cfg := config.Default()
	cfg.Aliases = map[string]string{"ci/cd": "delivery-pipeline"}
	p, msgs := parse(t, "---\ntitle: t\ndate: 2024-01-02\nroot_causes: [CI/CD]\n---\n", &cfg)
	for _, m := range msgs {
		if strings.Contains(m, "left out") {
			t.Errorf("diagnostic %s", m)
		}
	}
	if strings.Join(p.RootCauses, " ") != "delivery-pipeline" {
		t.Errorf("root causes %v", p.RootCauses)
	}
}

// TestZoneGivenAndStated: a zone given in the front matter that differs
// from the one the body states is told, at the timezone line; one that
// agrees is not.
func TestZoneGivenAndStated(t *testing.T) {
	cfg := config.Default()
	for zone, want := range map[string]string{
		"UTC":           "content/x.md:4:11: warning: timezone: UTC, but the body says its times are in CET: the timeline is read in CET and shown in UTC (leave timezone out to show them as written)",
		"Europe/Berlin": "",
	} {
		_, msgs := parse(t, "---\ntitle: t\ndate: 2024-01-02\ntimezone: "+zone+"\nroot_causes: [dns]\n---\nAll times in CET.\n\n## Timeline\n\n- 14:02 Deploy\n", &cfg)
		if strings.Join(msgs, "\n") != want {
			t.Errorf("timezone %s: diagnostics %q, want %q", zone, msgs, want)
		}
	}
}

// TestHandlesInTheFrontMatter: authors and owners written as handles
// ("@kai") are named without the @, as those of the body are.
func TestHandlesInTheFrontMatter(t *testing.T) {
	cfg := config.Default()
	p, _ := parse(t, "---\ntitle: t\ndate: 2024-01-02\nroot_causes: [dns]\nauthors: [\"@kai\", lee]\naction_items:\n  - title: Fix it\n    owner: \"@maria\"\n---\n", &cfg)
	if strings.Join(p.Authors, " ") != "kai lee" || len(p.ActionItems) != 1 || p.ActionItems[0].Owner != "maria" {
		t.Errorf("authors %q, action items %+v", p.Authors, p.ActionItems)
	}
}

// TestDiscoverMarkdownInAnyCase: a postmortem whose file ends in .MD or
// .Markdown is read, as one in .md is; other files are not.
func TestDiscoverMarkdownInAnyCase(t *testing.T) {
	fsys := fstest.MapFS{
		"content/2025-01-01-a.MD":       {Data: []byte("# A\n")},
		"content/2025-01-02-b.Markdown": {Data: []byte("# B\n")},
		"content/2025-01-03-c.md":       {Data: []byte("# C\n")},
		"content/notes.txt":             {Data: []byte("not a postmortem")},
		"content/d.mdx":                 {Data: []byte("not one either")},
	}
	srcs, _, diags := Discover(fsys, ContentDir, nil)
	if err := diags.Err(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range srcs {
		got = append(got, s.Path)
	}
	want := []string{"content/2025-01-01-a.MD", "content/2025-01-02-b.Markdown", "content/2025-01-03-c.md"}
	if !slices.Equal(got, want) {
		t.Errorf("found %v, want %v", got, want)
	}
}
