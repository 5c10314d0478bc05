package main

import (
	"context"
	"fmt"
	"io"
)

// runServe is wired to generator/serve once it lands.
func runServe(ctx context.Context, site, bind string, port int, drafts, open bool, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "postmortem: serve is not built yet")
	return exitUsage
}
