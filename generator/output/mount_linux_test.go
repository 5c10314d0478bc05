package output

import "testing"

// TestMountInfoPaths: a mount point's path as /proc/self/mountinfo writes
// it, with octal escapes, reads as the path.
func TestMountInfoPaths(t *testing.T) {
	for in, want := range map[string]string{`/srv/my\040site`: "/srv/my site", `/plain`: "/plain", `/a\\b`: `/a\\b`, `/x\011y`: "/x\ty"} {
		if got := unescapeMount(in); got != want {
			t.Errorf("%q reads as %q, want %q", in, got, want)
		}
	}
}
