// Package config holds the site configuration read from postmortem.yaml.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/postmortem/postmortem/generator/diag"
	"github.com/postmortem/postmortem/generator/frontmatter"
	"github.com/postmortem/postmortem/generator/sitefs"
	"github.com/postmortem/postmortem/themes"
)

// File is the name of the configuration file at the site root.
const File = "postmortem.yaml"

// Files are the names the configuration file may have, the first the one
// the documentation uses: a site has at most one of them.
var Files = []string{File, "postmortem.yml", "postmortem.toml"}

// Config is the site configuration. The zero value is not ready to use: call
// Default or Load.
type Config struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
	BaseURL     string `yaml:"base_url"`
	// Timezone is the IANA zone for times written without one.
	Timezone string `yaml:"timezone"`
	// Severities lists the severity levels, worst first.
	Severities []string `yaml:"severities"`
	// Theme names a folder under themes/ that overrides the default theme.
	Theme string `yaml:"theme"`
	// Language is the BCP 47 tag of the language the site is written in,
	// such as en or pt-BR: the lang of its pages, and the labels file of
	// the theme's words (labels/LANG.yaml).
	Language string `yaml:"language"`
	// Fields maps our front matter keys onto the keys a collection uses,
	// e.g. root_causes: categories, or date: [start_time, published_at]; a
	// key may feed several fields, and our own names are read too.
	Fields map[string]Keys `yaml:"fields"`
	// UnknownFields says what a front matter key that is none of our
	// fields is: warn (the default), ignore or error. Either way it is kept
	// for templates, and a near miss of a known key is reported.
	UnknownFields string `yaml:"unknown_fields"`
	// Vocabulary lists the root causes allowed; empty allows any.
	Vocabulary []string `yaml:"vocabulary"`
	// RequiredSections lists the body headings every postmortem must have,
	// matched without regard to case, e.g. [summary, impact].
	RequiredSections []string `yaml:"required_sections"`
	// Rules sets the check rules by name to off, warning or error.
	Rules map[string]string `yaml:"rules"`
	// Ignore lists glob patterns of files and folders under content/ that
	// are not postmortems, besides README.md and names starting with _ or .
	Ignore []string `yaml:"ignore"`
	// Aliases maps tag values onto canonical ones, e.g. misconfig: misconfiguration.
	Aliases map[string]string `yaml:"aliases"`
	// UnsafeHTML lets raw HTML in Markdown through unescaped.
	UnsafeHTML bool `yaml:"unsafe_html"`
	// Recent is how many incidents the home page lists.
	Recent int `yaml:"recent"`
	// PageSize is how many incidents a page of a list shows: the list of
	// all incidents and each term's list are split into pages of this many.
	PageSize int `yaml:"page_size"`
	// LedgerPageSize is how many entries a page of the action-item ledger
	// shows: the list of owners, each owner's items and the items by
	// postmortem. An item's row is about half an incident's, so its pages
	// hold twice as many by default: at 100,000 postmortems, 0.012 files a
	// postmortem fewer than at page_size, each page about 160 KB.
	LedgerPageSize int `yaml:"ledger_page_size"`
	// MaxFileSize is the size limit of every file the build reads.
	MaxFileSize Size `yaml:"max_file_size"`
	// RecurrenceDays is how close in time two incidents of one root cause
	// and service must start for the later to count as a recurrence.
	RecurrenceDays Days `yaml:"recurrence_days"`
	// ActionItemDeadlines gives, per severity level, how long after an
	// incident was resolved (else after its date) an open action item
	// without a due date becomes overdue; levels not listed have none.
	ActionItemDeadlines map[string]Days `yaml:"action_item_deadlines"`
	// Search sets the site's search: synonyms and field weights.
	Search Search `yaml:"search"`

	// Location is Timezone loaded; set by Load and Default.
	Location *time.Location `yaml:"-"`
	// Labels are the words of the theme in Language; set by LoadLabels.
	Labels Labels `yaml:"-"`
	// Drafts builds drafts too; set from the command line.
	Drafts bool `yaml:"-"`
	// File is the name of the configuration file read, "" when none.
	File string `yaml:"-"`
	// Now is the day open action items are overdue against; set from the
	// command line (--now), zero for none overdue.
	Now time.Time `yaml:"-"`
	// Public builds the public profile: no draft, no postmortem in review
	// or with visibility: internal, and no internal block; set from the
	// command line (--profile public).
	Public bool `yaml:"-"`

	severitiesLine int            // of the severities key, for SeverityPages
	ruleLines      map[string]int // of each key under rules, for RuleLine
}

// Default returns the configuration of a site without postmortem.yaml.
func Default() Config {
	return Config{
		Title:          "Postmortems",
		Timezone:       "UTC",
		Language:       "en",
		Location:       time.UTC,
		Severities:     []string{"SEV1", "SEV2", "SEV3", "SEV4", "SEV5"},
		UnknownFields:  "warn",
		Recent:         10,
		PageSize:       200,
		LedgerPageSize: 400,
		MaxFileSize:    sitefs.DefaultMaxFileSize,

		RecurrenceDays: 90,
	}
}

// LoadZone loads the IANA time zone name. "Local" is refused: the output
// must not depend on the machine that builds it.
func LoadZone(name string) (*time.Location, error) {
	if name == "Local" {
		return nil, errors.New(`"Local" is the zone of the machine that builds, which would make the output depend on it (want an IANA name such as Europe/Berlin, or UTC)`)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		for _, c := range []string{strings.ToUpper(name), zoneCase(name)} {
			if _, err := time.LoadLocation(c); err == nil && c != name {
				return nil, fmt.Errorf("unknown time zone %q; did you mean %q?", name, c)
			}
		}
		return nil, fmt.Errorf("unknown time zone %q (want an IANA name such as Europe/Berlin)", name)
	}
	return loc, nil
}

// zoneCase writes name as IANA names are written: each word capitalized,
// europe/berlin as Europe/Berlin, america/new_york as America/New_York.
func zoneCase(name string) string {
	b := []byte(strings.ToLower(name))
	for i := range b {
		if (i == 0 || strings.IndexByte("/_-", b[i-1]) >= 0) && 'a' <= b[i] && b[i] <= 'z' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b)
}

// Load reads the configuration file from the site root fsys, if there is
// one (postmortem.yaml, postmortem.yml or postmortem.toml), over the
// defaults. Problems are reported with the file's line and column; two
// configuration files are an error.
func Load(fsys fs.FS) (Config, diag.List) {
	cfg := Default()
	var diags diag.List
	var found []string
	for _, name := range Files {
		if _, err := fs.Stat(fsys, name); !errors.Is(err, fs.ErrNotExist) {
			found = append(found, name)
		}
	}
	if len(found) == 0 {
		return cfg, nil
	}
	if len(found) > 1 {
		diags.Add(found[0], 0, 0, "two configuration files, %s: keep one", strings.Join(found, " and "))
		return cfg, diags
	}
	name := found[0]
	cfg.File = name
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		sitefs.Report(&diags, name, err)
		return cfg, diags
	}
	var node yaml.Node
	if path.Ext(name) == ".toml" {
		root, terr := frontmatter.TOML(data)
		if terr != nil {
			diags.Add(name, terr.Line, 0, "%s", terr.Msg)
			return cfg, diags
		}
		node = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}
		decodeNode(&node, &cfg, name, &diags)
	} else {
		_ = yaml.Unmarshal(data, &node)
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&cfg); err != nil && !errors.Is(err, io.EOF) {
			typeErrors(err, name, data, &node, &diags)
		}
	}
	lineOf := func(key string) int { return keyLine(&node, key) }

	if cfg.Timezone == "" {
		cfg.Timezone = "UTC"
	}
	if loc, err := LoadZone(cfg.Timezone); err != nil {
		diags.Add(name, lineOf("timezone"), 0, "timezone: %v", err)
	} else {
		cfg.Location = loc
	}
	if cfg.Language == "" {
		cfg.Language = Default().Language
	} else if !languageTag.MatchString(cfg.Language) {
		diags.Add(name, lineOf("language"), 0, "language: %q is not a language tag such as en, de or pt-BR", cfg.Language)
		cfg.Language = Default().Language
	}
	if msg := themeProblem(fsys, cfg.Theme); msg != "" {
		diags.Add(name, lineOf("theme"), 0, "theme: %s", msg)
	}
	if len(cfg.Severities) == 0 {
		cfg.Severities = Default().Severities
	}
	if cfg.Recent <= 0 {
		cfg.Recent = Default().Recent
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = Default().PageSize
	}
	if cfg.LedgerPageSize <= 0 {
		cfg.LedgerPageSize = Default().LedgerPageSize
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = Default().MaxFileSize
	}
	if cfg.RecurrenceDays <= 0 {
		cfg.RecurrenceDays = Default().RecurrenceDays
	}
	cfg.severitiesLine = lineOf("severities")
	cfg.ruleLines = keyLines(&node, "rules")
	deadlines := map[string]Days{}
	for _, level := range slices.Sorted(maps.Keys(cfg.ActionItemDeadlines)) {
		if rank := cfg.SeverityRank(level); rank == 0 {
			diags.Add(name, lineOf("action_item_deadlines"), 0, "action_item_deadlines: %q is not a severity level (known: %s)", level, strings.Join(cfg.Severities, ", "))
		} else {
			deadlines[cfg.Severities[rank-1]] = cfg.ActionItemDeadlines[level]
		}
	}
	cfg.ActionItemDeadlines = deadlines
	for _, w := range []int{cfg.Search.Weights.Title, cfg.Search.Weights.RootCauses, cfg.Search.Weights.ContributingFactors,
		cfg.Search.Weights.Services, cfg.Search.Weights.Tags, cfg.Search.Weights.Summary, cfg.Search.Weights.Body} {
		if w < 0 || w > 100 {
			diags.Add(File, lineOf("search"), 0, "search: weights: %d is not a weight from 1 to 100", w)
			cfg.Search.Weights = SearchWeights{}
			break
		}
	}
	if u, err := BaseURL(cfg.BaseURL); err != nil {
		diags.Add(name, lineOf("base_url"), 0, "base_url: %v", err)
		cfg.BaseURL = ""
	} else {
		cfg.BaseURL = u
	}
	for _, pat := range cfg.Ignore {
		if _, err := path.Match(strings.TrimSuffix(pat, "/"), ""); err != nil || strings.HasPrefix(pat, "/") || pat == "" {
			diags.Add(name, lineOf("ignore"), 0, "ignore: %q is not a glob pattern of paths under content/ (such as templates/*, or *.draft.md)", pat)
		}
	}
	for _, ours := range slices.Sorted(maps.Keys(cfg.Fields)) {
		if !slices.Contains(FieldNames, ours) {
			diags.Add(name, lineOf("fields"), 0, "fields: %q is not a postmortem field (known: %s)", ours, strings.Join(FieldNames, ", "))
		}
		if slices.Contains(cfg.Fields[ours], "") {
			diags.Add(name, lineOf("fields"), 0, "fields: %s: an empty key", ours)
		}
	}
	if cfg.UnknownFields == "" {
		cfg.UnknownFields = "warn"
	} else if !slices.Contains(UnknownFields, cfg.UnknownFields) {
		diags.Add(name, lineOf("unknown_fields"), 0, "unknown_fields: %q is none of %s", cfg.UnknownFields, strings.Join(UnknownFields, ", "))
		cfg.UnknownFields = "warn"
	}
	return cfg, diags.Sort()
}

// Search is the search: section of postmortem.yaml.
type Search struct {
	// Synonyms are groups of words or phrases that find each other, e.g.
	// [cert, certificate] or [datacenter, data center, data hall].
	Synonyms [][]string `yaml:"synonyms"`
	// Weights say how much a word counts in each field, against the body;
	// a weight left out or 0 keeps its default.
	Weights SearchWeights `yaml:"weights"`
}

// SearchWeights are the field weights of Search.
type SearchWeights struct {
	Title               int `yaml:"title"`
	RootCauses          int `yaml:"root_causes"`
	ContributingFactors int `yaml:"contributing_factors"`
	Services            int `yaml:"services"`
	Tags                int `yaml:"tags"`
	Summary             int `yaml:"summary"`
	Body                int `yaml:"body"`
}

// languageTag matches a BCP 47 language tag: a language, then subtags.
var languageTag = regexp.MustCompile(`^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$`)

// themeProblem says what is wrong with the theme name of a site, if
// anything: a name other than the default must be a folder under themes/.
func themeProblem(fsys fs.FS, name string) string {
	if !themes.Named(name) {
		return ""
	}
	if !themes.ValidName(name) {
		return fmt.Sprintf("%q is not a folder name", name)
	}
	st, err := fs.Stat(fsys, path.Join("themes", name))
	if errors.Is(err, sitefs.ErrSkipped) {
		return "" // there, but not read (a link out of the site): the build warns of it
	}
	if err != nil || !st.IsDir() {
		return fmt.Sprintf("unknown theme %q: there is no folder themes/%s (the default theme needs no name)", name, name)
	}
	return ""
}

// typeErrors reports the errors of decoding a configuration file, whose
// tree is doc, each at its line and in the words of the settings (see
// settingMessage).
func typeErrors(err error, name string, data []byte, doc *yaml.Node, diags *diag.List) {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		for _, msg := range te.Errors {
			line, rest := frontmatter.YAMLErrorLine(msg)
			diags.Add(name, line, 0, "%s", settingMessage(rest, line, doc))
		}
		return
	}
	line, col, msg := frontmatter.YAMLSyntax(data, err)
	diags.Add(name, line, col, "%s", msg)
}

// decodeNode decodes the configuration tree doc into cfg, reporting keys
// that are not settings as the YAML decoder does.
func decodeNode(doc *yaml.Node, cfg *Config, name string, diags *diag.List) {
	t := reflect.TypeFor[Config]()
	root := doc.Content[0]
	for i := 0; i+1 < len(root.Content); i += 2 {
		k := root.Content[i]
		if _, ok := fieldOf(t, k.Value); !ok {
			diags.Add(name, k.Line, 0, "%s", unknownSetting(k.Value, t))
		}
	}
	if err := doc.Decode(cfg); err != nil {
		typeErrors(err, name, nil, doc, diags)
	}
}

// FieldNames lists the front matter keys of a postmortem, in the order the
// documentation gives them.
var FieldNames = []string{
	"title", "date", "started", "detected", "acknowledged", "mitigated", "resolved",
	"timezone", "severity", "status", "draft", "root_causes", "contributing_factors",
	"trigger", "detection", "services", "tags", "authors", "summary", "action_items", "slug", "visibility",
}

// SeverityRank returns the 1-based rank of a severity level, 1 the worst,
// matched without regard to case, and 0 when the level is unknown.
func (c *Config) SeverityRank(s string) int {
	for i, level := range c.Severities {
		if strings.EqualFold(level, s) {
			return i + 1
		}
	}
	return 0
}

// SeverityPages reports the severity levels that cannot name a page of
// their own: those that slug alike, such as "SEV 1" and "sev-1", and those
// pageName refuses. pageName is the rule that turns a name into its page's.
func (c *Config) SeverityPages(pageName func(string) (string, error)) diag.List {
	var diags diag.List
	first := map[string]string{}
	for _, level := range c.Severities {
		s, err := pageName(level)
		if err != nil {
			diags.Add(c.File, c.severitiesLine, 0, "severities: %q %v", level, err)
			continue
		}
		if other, ok := first[s]; ok {
			diags.Add(c.File, c.severitiesLine, 0, "severities: %q and %q would share the page %s.html (make them differ in more than case, spaces and punctuation)", other, level, s)
			continue
		}
		first[s] = level
	}
	return diags
}

// RuleLine returns the line of the file of the configuration (File) that
// sets the check rule name under rules:, 0 when unknown.
func (c *Config) RuleLine(name string) int { return c.ruleLines[name] }

// top returns the mapping at the top of the configuration tree doc.
func top(doc *yaml.Node) *yaml.Node {
	if doc.Kind == yaml.DocumentNode && len(doc.Content) > 0 {
		return doc.Content[0]
	}
	return doc
}

// keyLines returns the line of each key of the mapping under the top-level
// key of the configuration tree doc.
func keyLines(doc *yaml.Node, key string) map[string]int {
	n := top(doc)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := n.Content[i+1]; n.Content[i].Value == key && v.Kind == yaml.MappingNode {
			lines := map[string]int{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				lines[v.Content[j].Value] = v.Content[j].Line
			}
			return lines
		}
	}
	return nil
}

// keyLine returns the line of the top-level key of the configuration tree
// doc, 0 when it has none.
func keyLine(doc *yaml.Node, key string) int {
	n := top(doc)
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i].Line
		}
	}
	return 0
}

// BaseURL returns the URL a site is published at in the one form the
// build uses: absolute, http or https, its path escaped, ending in a
// slash. "" stays "".
func BaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%q is not an absolute http or https URL (such as https://incidents.example.com/)", s)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q has a query or fragment; a base URL names a folder", s)
	}
	// Its path escaped, as the pages' links escape theirs (知识 as
	// %E7%9F%A5%E8%AF%86, a space as %20), so that the sitemap, the feeds
	// and the canonical links give one address.
	u.Path, u.RawPath = strings.TrimSuffix(u.Path, "/")+"/", ""
	return u.String(), nil
}
