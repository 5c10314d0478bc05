package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/postmortem/postmortem/generator/postmortem"
)

// newTemplate is the skeleton of a new postmortem.
const newTemplate = `---
title: %s
date: %s
# started: %s 08:00
# detected: %s 08:05
# resolved: %s 09:30
timezone: UTC
severity: SEV3
status: draft
root_causes: []
contributing_factors: []
services: []
authors: []
action_items:
  - title: First follow-up
    owner: someone
    status: open
    type: prevent
---

## Summary

What happened, who was affected and for how long, in two or three sentences.

## Impact

## Timeline

- 08:00 — Impact begins.
- 08:05 — The first alert fires.
- 09:30 — Service is restored.

## Root cause

## Resolution

## Lessons learned
`

func runNew(site, title string, stdout, stderr io.Writer, now func() time.Time) int {
	title = strings.TrimSpace(title)
	slug := postmortem.Slugify(title)
	if slug == "" {
		fmt.Fprintln(stderr, "postmortem new: the title needs at least one letter or digit")
		return exitUsage
	}
	day := now().UTC().Format(time.DateOnly)
	path := filepath.Join(site, postmortem.ContentDir, day[:4], day+"-"+slug+".md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		fmt.Fprintf(stderr, "postmortem new: %v\n", err)
		return exitContent
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		fmt.Fprintf(stderr, "postmortem new: %v\n", err)
		return exitContent
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, newTemplate, strconv.Quote(title), day, day, day, day); err != nil {
		fmt.Fprintf(stderr, "postmortem new: %v\n", err)
		return exitContent
	}
	fmt.Fprintf(stdout, "wrote %s\n", path)
	return exitOK
}
