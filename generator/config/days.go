package config

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Days is a number of whole days, written as 90, 90d, or 4w (weeks).
type Days int

// UnmarshalYAML reads a number of days from a YAML scalar; an error names
// its line and leaves the rest of the file to be read.
func (d *Days) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseDays(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: cannot read %q as a number of days (want such as 90, 90d or 4w)", n.Line, n.Value)}}
	}
	*d = v
	return nil
}

// ParseDays reads a number of days such as 90, 90d or 4w; it must be
// positive.
func ParseDays(s string) (Days, error) {
	t, mult := strings.TrimSpace(strings.ToLower(s)), 1
	switch {
	case strings.HasSuffix(t, "w"):
		t, mult = strings.TrimSpace(t[:len(t)-1]), 7
	case strings.HasSuffix(t, "d"):
		t = strings.TrimSpace(t[:len(t)-1])
	}
	n, err := strconv.Atoi(t)
	if err != nil || n <= 0 || n > 1_000_000 {
		return 0, fmt.Errorf("cannot read %q as a number of days (want such as 90, 90d or 4w)", s)
	}
	return Days(n * mult), nil
}

// Duration is d as a time.Duration.
func (d Days) Duration() time.Duration { return time.Duration(d) * 24 * time.Hour }
