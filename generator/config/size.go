package config

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// Size is a number of bytes, written as 64MB, 512 KB, 1GiB (units of 1024)
// or a plain number of bytes.
type Size int64

var units = []struct {
	name string
	n    Size
}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}}

// UnmarshalYAML reads the size from a YAML scalar; an error names its line
// and leaves the rest of the file to be read.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSize(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: max_file_size: %v", n.Line, notASize(n.Value))}}
	}
	*s = v
	return nil
}

// ParseSize reads a size such as 64MB, 64 MB, 512KB, 1GiB or 1048576.
func ParseSize(s string) (Size, error) {
	t, mult := unit(strings.TrimSpace(s))
	var n int64
	if _, err := fmt.Sscanf(t, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != t || n > (1<<62)/int64(mult) {
		return 0, notASize(s)
	}
	return Size(n) * mult, nil
}

// notASize is the error of text that is not a size.
func notASize(s string) error {
	return fmt.Errorf("cannot read %q as a size (want such as 64MB, 512KB or a number of bytes)", s)
}

// unit splits the unit off a size: the number, and the bytes of the unit.
func unit(s string) (string, Size) {
	upper := strings.ToUpper(s)
	for _, u := range units {
		for _, suffix := range []string{u.name[:1] + "IB", u.name, u.name[:1]} {
			if strings.HasSuffix(upper, suffix) {
				return strings.TrimSpace(s[:len(s)-len(suffix)]), u.n
			}
		}
	}
	if strings.HasSuffix(upper, "B") {
		return strings.TrimSpace(s[:len(s)-1]), 1
	}
	return s, 1
}
