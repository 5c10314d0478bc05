package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/serve"
)

// startPostmortem starts `postmortem serve` on site, in this process or
// as bin, asks for its home page until it is served, and listens to its
// event stream until its first build is served.
func startPostmortem(site, bin string) (*server, error) {
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	var url string
	var wait func() error
	s := &server{how: "in process"}
	if bin == "" {
		srv := serve.New(site, serve.Options{Drafts: true})
		ready := make(chan string, 1)
		done := make(chan error, 1)
		go func() { done <- srv.Run(ctx, func(u string) { ready <- u }) }()
		select {
		case url = <-ready:
		case err := <-done:
			cancel()
			return nil, fmt.Errorf("serve: %w", err)
		}
		wait = func() error { return <-done }
	} else {
		s.how = bin
		cmd, out, err := startCommand(ctx, bin, "serve", "--site", site, "--port", "0")
		if err != nil {
			cancel()
			return nil, err
		}
		line, err := bufio.NewReader(out).ReadString('\n')
		url = regexp.MustCompile(`http://\S+/`).FindString(line)
		if err != nil || url == "" {
			cancel()
			cmd.Wait()
			return nil, fmt.Errorf("%s serve printed %q: %v", bin, line, err)
		}
		go io.Copy(io.Discard, out)
		wait, s.pid = cmd.Wait, cmd.Process.Pid
	}
	s.base, s.startup = url, time.Since(start)
	if err := firstPage(url); err != nil {
		cancel()
		wait()
		return nil, err
	}
	s.firstPage = time.Since(start)
	resp, err := http.Get(url + "__postmortem/events")
	if err != nil {
		cancel()
		wait()
		return nil, err
	}
	s.reloads, s.failures = make(chan struct{}, 64), make(chan struct{}, 64)
	// A hello that names build 0 comes from a server that serves the
	// pages of its first build before it is done: its reload says it is.
	hello, early := make(chan struct{}), false
	go func() {
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		var name string
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: ") && name == "hello":
				early = strings.Contains(line, `.0"`)
				close(hello)
			case strings.HasPrefix(line, "data: ") && name == "reload":
				s.reloads <- struct{}{}
			case strings.HasPrefix(line, "data: ") && name == "errors" && !strings.Contains(line, `"errors":[]`):
				s.failures <- struct{}{}
			}
		}
	}()
	select {
	case <-hello:
	case <-time.After(time.Minute):
		cancel()
		return nil, fmt.Errorf("no hello on the event stream")
	}
	if early {
		select {
		case <-s.reloads:
		case <-time.After(10 * time.Minute):
			cancel()
			return nil, fmt.Errorf("the first build was not served within 10 minutes")
		}
	}
	s.built = time.Since(start)
	s.stop = func() {
		resp.Body.Close()
		cancel()
		_ = wait()
	}
	return s, nil
}

// firstPage asks for the home page at url until it is served, as a
// browser opened at once would, while the server says it is building.
func firstPage(url string) error {
	for {
		resp, err := http.Get(url)
		if err != nil {
			return err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return nil
		case http.StatusServiceUnavailable:
			time.Sleep(50 * time.Millisecond)
		default:
			return fmt.Errorf("%s: %s", url, resp.Status)
		}
	}
}
