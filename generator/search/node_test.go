package search

import (
	"os"
	"os/exec"
	"testing"
)

// nodeJS returns the path of Node, which runs the page's search.js in the
// tests that compare it with Go. Without Node the test skips, unless
// POSTMORTEM_NODE_TESTS is set (as .ci/run does): then it fails.
func nodeJS(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err == nil {
		return node
	}
	if os.Getenv("POSTMORTEM_NODE_TESTS") != "" {
		t.Fatalf("POSTMORTEM_NODE_TESTS is set but Node is not installed (apt-get install nodejs): %v", err)
	}
	t.Skip("Node is not installed: search.js is not run (apt-get install nodejs; .ci/run does)")
	return ""
}
