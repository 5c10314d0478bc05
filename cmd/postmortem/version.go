package main

import (
	"regexp"
	"runtime/debug"
	"strings"
)

// version describes the binary from its build information: the module
// version when installed with go install, else the commit it was built from.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "postmortem (unknown version)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	parts := []string{"postmortem", v}
	if rev != "" {
		parts = append(parts, rev[:min(12, len(rev))]+dirty)
	}
	return strings.Join(append(parts, info.GoVersion), " ")
}

// releaseRE is the version of a release of the module: v1.2.3, not a
// pseudo-version of a commit, which may exist only here.
var releaseRE = regexp.MustCompile(`^v\d+\.\d+\.\d+$`)

// release returns the module's version when the binary was installed from
// a release (go install ...@v1.2.3), else "".
func release() string {
	if info, ok := debug.ReadBuildInfo(); ok && releaseRE.MatchString(info.Main.Version) {
		return info.Main.Version
	}
	return ""
}
