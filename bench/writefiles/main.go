//go:build unix

// Command writefiles measures what the kernel costs a build to write its
// pages, without a build beside it: it writes -n files of -size bytes from
// two goroutines into -dirs folders of a new folder -out, and prints the
// wall time and the system CPU time a file.
//
//	go run ./bench/writefiles -n 100000 -out /tmp/writefiles-100k
//
// -out must not exist; remove it after.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

func main() {
	n := flag.Int("n", 10000, "files to write")
	size := flag.Int("size", 10000, "bytes a file")
	dirs := flag.Int("dirs", 1, "folders to spread them over")
	out := flag.String("out", "", "a new folder to write them into")
	flag.Parse()
	if *out == "" {
		log.Fatal("writefiles: -out names a new folder")
	}
	if _, err := os.Stat(*out); err == nil {
		log.Fatalf("writefiles: %s exists", *out)
	}
	for d := range *dirs {
		if err := os.MkdirAll(filepath.Join(*out, strconv.Itoa(d)), 0o755); err != nil {
			log.Fatal(err)
		}
	}
	data := make([]byte, *size)
	var before, after syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range 2 {
		wg.Go(func() {
			for i := w; i < *n; i += 2 {
				p := filepath.Join(*out, strconv.Itoa(i%*dirs), fmt.Sprintf("incident-%07d.html", i))
				if err := os.WriteFile(p, data, 0o644); err != nil {
					log.Fatal(err)
				}
			}
		})
	}
	wg.Wait()
	wall := time.Since(start)
	syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	sys := time.Duration(after.Stime.Nano() - before.Stime.Nano())
	fmt.Printf("%d files of %d bytes in %d folders: %v wall, %v of system CPU, %v a file\n",
		*n, *size, *dirs, wall.Round(time.Millisecond), sys.Round(time.Millisecond), (sys / time.Duration(*n)).Round(100*time.Nanosecond))
}
