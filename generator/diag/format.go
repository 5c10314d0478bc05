package diag

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// Formats lists the names Write takes, the first the default.
var Formats = []string{"text", "json", "github"}

// String names the severity as the formats write it.
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// Write writes the list to w in one of Formats: "text", one diagnostic a
// line as Text formats it; "json", an
// array of objects with file, line, col, severity, rule and message;
// "github", GitHub Actions workflow commands that annotate the files of a
// pull request.
func (l List) Write(w io.Writer, format string) error {
	switch format {
	case "text":
		for _, d := range l {
			if _, err := fmt.Fprintln(w, d.Text()); err != nil {
				return err
			}
		}
		return nil
	case "json":
		type item struct {
			File     string `json:"file"`
			Line     int    `json:"line"`
			Col      int    `json:"col"`
			Severity string `json:"severity"`
			Rule     string `json:"rule"`
			Message  string `json:"message"`
		}
		items := make([]item, len(l))
		for i, d := range l {
			items[i] = item{d.Path, d.Line, d.Col, d.Severity.String(), d.Rule, d.Msg}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(items)
	case "github":
		for _, d := range l {
			props := []string{"file=" + escapeProperty(d.Path)}
			if d.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", d.Line))
			}
			if d.Col > 0 {
				props = append(props, fmt.Sprintf("col=%d", d.Col))
			}
			if d.Rule != "" {
				props = append(props, "title="+escapeProperty(d.Rule))
			}
			if _, err := fmt.Fprintf(w, "::%s %s::%s\n", d.Severity, strings.Join(props, ","), escapeData(d.Msg)); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// escapeData escapes the message of a workflow command, as the runner
// reads it back: percent signs and line breaks.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property of a workflow command, which also may
// not hold the separators of properties.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
