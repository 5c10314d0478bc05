package postmortem

import (
	"strings"
	"testing"
	"time"

	"github.com/postmortem/postmortem/generator/config"
)

// TestInference has, for each rule that fills a field the front matter
// left out, a case where it fires and one where it must not.
func TestInference(t *testing.T) {
	cfg := config.Default()
	for _, tc := range []struct {
		name, path, dir, src string
		title, date          string // want; date "" when it must stay missing
		items                string // the action items, as "status title; ..."
	}{
		{"title from the heading the body starts with", "content/a.md", "", "\n# Disk full\n\ntext\n", "Disk full", "", ""},
		{"title from a Setext heading", "content/a.md", "", "Disk full\n=========\ntext\n", "Disk full", "", ""},
		{"a heading after other text is not the title", "content/disk-full_on-db3.md", "", "Some text.\n\n# Details\n", "Disk full on db3", "", ""},
		{"a second-level heading is not the title", "content/a-b.md", "", "## Details\n", "A b", "", ""},
		{"the front matter's title wins", "content/a.md", "", "---\ntitle: Given\n---\n# Other\n", "Given", "", ""},
		{"a name with spaces stays as it is", "content/PM2020-004 - CoreDNS upgrade.md", "", "text\n", "PM2020-004 - CoreDNS upgrade", "", ""},
		{"a bundle is named after its folder", "content/2024-03-02-disk-full/index.md", "content/2024-03-02-disk-full", "text\n", "Disk full", "2024-03-02", ""},
		{"date from the name", "content/2024-03-02-dns.md", "", "# DNS\n", "DNS", "2024-03-02", ""},
		{"date from the folders", "content/2024/03/02/dns.md", "", "# DNS\n", "DNS", "2024-03-02", ""},
		{"a number in the middle of a name is not the date", "content/pm-2024-03-02.md", "", "# Release 2024-03-02\n", "Release 2024-03-02", "", ""},
		{"date from the day of started", "content/a.md", "", "---\nstarted: 2024-03-02T23:30:00-05:00\ntimezone: America/New_York\n---\n# A\n", "A", "2024-03-02", ""},
		{"date from a dated Duration line", "content/a.md", "", "# A\n\nDuration: March 2, 2024, 08:00 AM - 09:00 AM\n", "A", "2024-03-02", ""},
		{"an undated Duration line gives no date", "content/a.md", "", "# A\n\nDuration: 08:00 - 09:00\n", "A", "", ""},
		{"date from the first dated timeline entry", "content/a.md", "", "# A\n\n## Timeline\n\n- 10:00 undated\n- 2024-03-02 10:05 dated\n- 2024-03-03 10:00 later\n", "A", "2024-03-02", ""},
		{"an undated timeline gives no date", "content/a.md", "", "# A\n\n## Timeline\n\n- 10:00 undated\n- 10:05 still\n", "A", "", ""},
		{"a dated line outside the timeline gives no date", "content/a.md", "", "# A\n\nReleased 2024-03-02 10:00 to all.\n", "A", "", ""},
		{"action items from a task list", "content/2024-01-01-a.md", "", "# A\n\n## Action items\n\n- [ ] Add a probe\n- [x] Roll back\n\n## Notes\n\n- not one\n", "A", "2024-01-01", "open Add a probe; done Roll back"},
		{"action items from a plain list under a plain line", "content/2024-01-01-a.md", "", "# A\n\nAction items:\n\n1. Add a probe\n2. Page earlier\nThe end.\n- not one\n", "A", "2024-01-01", "open Add a probe; open Page earlier"},
		{"a list under another heading is no action item", "content/2024-01-01-a.md", "", "# A\n\n## Lessons\n\n- [ ] Not an action item\n", "A", "2024-01-01", ""},
		{"the front matter's action items win", "content/2024-01-01-a.md", "", "---\naction_items: [Given]\n---\n# A\n\n## Action items\n\n- [ ] From the body\n", "A", "2024-01-01", "open Given"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, _ := Parse(tc.path, []byte(tc.src), &cfg, md, tc.dir)
			if p.Title != tc.title {
				t.Errorf("title %q, want %q", p.Title, tc.title)
			}
			date := ""
			if !p.Date.IsZero() {
				date = p.Date.Format(time.DateOnly)
			}
			if date != tc.date {
				t.Errorf("date %q, want %q", date, tc.date)
			}
			var items []string
			for _, it := range p.ActionItems {
				items = append(items, it.Status+" "+it.Title)
			}
			if got := strings.Join(items, "; "); got != tc.items {
				t.Errorf("action items %q, want %q", got, tc.items)
			}
		})
	}
}

// TestTitleShownOnce wants the heading that gives the title, or repeats
// it, left out of the body's HTML, and any other heading kept.
func TestTitleShownOnce(t *testing.T) {
	cfg := config.Default()
	for _, tc := range []struct{ src, want, notWant string }{
		{"# Disk full\n\nText.\n", "<p>Text.</p>", "Disk full"},
		{"---\ntitle: Disk full\ndate: 2024-01-01\n---\n# Disk full\n\nText.\n", "<p>Text.</p>", "Disk full"},
		{"---\ntitle: Disk full\ndate: 2024-01-01\n---\n# Another heading\n\nText.\n", "Another heading", ""},
	} {
		p, _ := Parse("content/2024-01-01-a.md", []byte(tc.src), &cfg, md, "")
		if !strings.Contains(string(p.HTML()), tc.want) || tc.notWant != "" && strings.Contains(string(p.HTML()), tc.notWant) {
			t.Errorf("%q: body HTML %q, want %q in it and not %q", tc.src, p.HTML(), tc.want, tc.notWant)
		}
	}
}
