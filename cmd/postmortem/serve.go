package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"github.com/postmortem/postmortem/generator/serve"
)

// runServe runs the preview until ctx is done. It exits 2 when it cannot
// listen on --bind and --port, as when the port is taken.
func runServe(ctx context.Context, site, bind string, port int, drafts, open bool, day time.Time, stdout, stderr io.Writer) int {
	s := serve.New(site, serve.Options{
		Bind: bind, Port: port, Drafts: drafts, Now: day,
		Log: func(format string, args ...any) {
			fmt.Fprintf(stderr, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
		},
	})
	err := s.Run(ctx, func(url string) {
		shown := site
		if abs, err := filepath.Abs(site); err == nil {
			shown = abs
		}
		fmt.Fprintf(stdout, "serving the site in %s at %s (Ctrl-C stops)\n", shown, url)
		if open {
			openBrowser(url)
		}
	})
	var listen *serve.ListenError
	switch {
	case errors.As(err, &listen) && errors.Is(err, syscall.EADDRINUSE):
		fmt.Fprintf(stderr, "postmortem serve: %s is in use (by another program, or another preview): choose another port with --port, or --port 0 for any free one\n", listen.Addr)
		return exitUsage
	case errors.As(err, &listen):
		fmt.Fprintf(stderr, "postmortem serve: %v (check --bind and --port; --port 0 picks any free port)\n", err)
		return exitUsage
	case err != nil:
		fmt.Fprintf(stderr, "postmortem serve: %v\n", err)
		return exitContent
	}
	return exitOK
}

// openBrowser opens url in the desktop's browser, if there is one.
func openBrowser(url string) {
	cmd := "xdg-open"
	switch runtime.GOOS {
	case "darwin":
		cmd = "open"
	case "windows":
		cmd = "explorer"
	}
	_ = exec.Command(cmd, url).Start()
}
