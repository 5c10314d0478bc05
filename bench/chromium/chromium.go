// Package chromium starts the headless Chromium that the search benchmarks
// load built pages in.
package chromium

import (
	"context"
	"errors"
	"os"
	"os/exec"

	"github.com/chromedp/chromedp"
)

// Start starts headless Chromium, found on the PATH as chromium, with a
// profile of its own. It returns the allocator to open tabs in (with
// chromedp.NewContext) and the function that stops Chromium and removes
// the profile.
func Start() (context.Context, func(), error) {
	exe, err := exec.LookPath("chromium")
	if err != nil {
		return nil, nil, errors.New("needs chromium")
	}
	profile, err := os.MkdirTemp("", "postmortem-bench-chromium-")
	if err != nil {
		return nil, nil, err
	}
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(profile),
		chromedp.Flag("disable-background-networking", true))...)
	return alloc, func() {
		cancel()
		os.RemoveAll(profile)
	}, nil
}
