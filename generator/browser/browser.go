// Package browser holds what the tests that check built pages with real
// tools need: headless Chromium driven by chromedp, and Node. Without them a
// test skips, unless the environment demands it (as .ci/run does): then it
// fails, so CI cannot pass without running it. POSTMORTEM_BROWSER_TESTS
// demands Chromium and Node, POSTMORTEM_NODE_TESTS Node.
package browser

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The variables that demand the tests.
const (
	browserTests = "POSTMORTEM_BROWSER_TESTS"
	nodeTests    = "POSTMORTEM_NODE_TESTS"
)

// missing skips t, or fails it when one of vars is set, saying what is
// missing and how to install it.
func missing(t testing.TB, what, install string, vars ...string) {
	t.Helper()
	for _, v := range vars {
		if os.Getenv(v) != "" {
			t.Fatalf("%s is set but %s is not installed (%s)", v, what, install)
		}
	}
	t.Skipf("skipped: %s is not installed (%s); %s=1 makes this a failure, as in .ci/run", what, install, vars[len(vars)-1])
}

// Node returns the path of node, skipping or failing t without it.
func Node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		missing(t, "Node", "apt-get install nodejs npm", browserTests, nodeTests)
	}
	return p
}

// NPM returns the path of npm, skipping or failing t without it.
func NPM(t testing.TB) string {
	t.Helper()
	Node(t)
	p, err := exec.LookPath("npm")
	if err != nil {
		missing(t, "npm", "apt-get install npm", browserTests, nodeTests)
	}
	return p
}

// Chromium starts headless Chromium for t, stopped when t ends, and returns
// the context to run chromedp actions in.
func Chromium(t testing.TB) context.Context {
	t.Helper()
	var exe string
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			exe = p
			break
		}
	}
	if exe == "" {
		missing(t, "Chromium", "apt-get install chromium", browserTests)
	}
	// Chromium now and then dies as it starts on a loaded machine: try thrice.
	var err error
	for range 3 {
		var ctx context.Context
		if ctx, err = start(t, exe); err == nil {
			return ctx
		}
	}
	t.Fatalf("Chromium did not start: %v", err)
	return nil
}

func start(t testing.TB, exe string) (context.Context, error) {
	// Not t.TempDir: Chromium may still write to its profile while the test ends.
	profile, err := os.MkdirTemp("", "postmortem-chromium-")
	if err != nil {
		return nil, err
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(profile))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	stop := func() {
		cancelTimeout()
		cancel()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Run(ctx); err != nil {
		stop()
		return nil, err
	}
	t.Cleanup(stop)
	return ctx, nil
}
