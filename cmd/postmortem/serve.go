package main

import (
	"context"
	"fmt"
	"io"
	"os/exec"
	"runtime"
	"time"

	"github.com/postmortem/postmortem/generator/serve"
)

func runServe(ctx context.Context, site, bind string, port int, drafts, open bool, stdout, stderr io.Writer) int {
	s := serve.New(site, serve.Options{
		Bind: bind, Port: port, Drafts: drafts,
		Log: func(format string, args ...any) {
			fmt.Fprintf(stderr, "%s %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
		},
	})
	err := s.Run(ctx, func(url string) {
		fmt.Fprintf(stdout, "serving %s at %s (Ctrl-C stops)\n", site, url)
		if open {
			openBrowser(url)
		}
	})
	if err != nil {
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
