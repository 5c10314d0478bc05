package site

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/postmortem/postmortem/generator/render"
	"github.com/postmortem/postmortem/generator/search"
)

// Sink receives the output files of a build (see Builder.BuildTo).
type Sink interface {
	// Put writes data as the file at the slash-separated path p. It is
	// called from several goroutines at once, and data is valid only until
	// it returns; an error fails the build.
	Put(p string, data []byte) error
}

// Creator is a Sink that also takes a file as it is written, a part at a
// time. A build that makes its largest files (index.json, insights.json,
// the tables) in one pass writes them through it, so as not to hold them
// whole: at 100,000 postmortems they are 65 to 100 MB each, and a
// rebuild of the preview that held them spent a third of its CPU time
// growing buffers. Such a file may turn out to have the bytes of the
// last successful build's: the result's Changed does not list it then,
// and the sink may drop it.
type Creator interface {
	Sink
	// Create returns the writer of the file at the slash-separated path p.
	// It is called from several goroutines at once; an error of the
	// writer or of its Close fails the build.
	Create(p string) (io.WriteCloser, error)
}

// Scratcher is a Sink that also gives the build a file of its own, not part
// of the output, to write and read back, as output.Staging.Scratch does: a
// build of a large site holds its postmortems' bodies there rather than in
// memory, and a builder that builds again the rows of its exports too (see
// largeSite and Builder.spillTo). A build that runs once closes it before
// it returns.
type Scratcher interface {
	Sink
	Scratch() (*os.File, error)
}

// collector passes the files of a build to its sink, only those whose
// bytes differ from the last successful build's, and notes the sum of
// every file.
type collector struct {
	ctx  context.Context // once done, nothing more goes to the sink
	sink Sink
	prev map[string]uint64 // of the last successful build

	mu      sync.Mutex
	sums    map[string]uint64 // of this build, by path
	changed []string          // added or changed
	// kept counts the paths of sums that prev has too, pages the HTML
	// pages: done then walks prev only when files went, rather than both
	// maps (0.1 s a rebuild at 100,000 postmortems).
	kept, pages int
	// indexed are the paths of the search index given (see searchFiles).
	indexed []string
	// keep says that the files of prev not given again stand, but for
	// those of gone (see keepAll).
	keep bool
	gone []string
}

// keepAll makes every file of the last successful build part of this one
// unless given again, but for the files of its search index, indexed,
// which a build gives whole; pages counts the HTML pages of that build. A
// build that makes only some files again, beside the search index, calls
// it before any file is given.
func (c *collector) keepAll(pages int, indexed []string) {
	c.sums = maps.Clone(c.prev)
	for _, p := range indexed {
		delete(c.sums, p)
	}
	c.kept, c.pages, c.keep, c.gone = len(c.sums), pages, true, indexed
}

// page takes a page of the renderer (see render.Emit).
func (c *collector) page(p string, data []byte, sum uint64) error {
	changed, err := c.note(p, sum)
	if err != nil || !changed {
		return err
	}
	if data == nil {
		// The renderer and the builder keep the same build (see
		// render.Renderer.Keep): this would be a bug.
		return fmt.Errorf("%s: the renderer did not give the bytes of a changed page", p)
	}
	return c.put(p, data)
}

// file takes a file other than a page.
func (c *collector) file(p string, data []byte) error {
	changed, err := c.note(p, render.Sum(data))
	if err != nil || !changed {
		return err
	}
	return c.put(p, data)
}

// create returns the writer of a file other than a page: written through
// the sink as it goes when the sink is a Creator, and else taken whole,
// as file takes it, when the writer is closed.
func (c *collector) create(p string) (io.WriteCloser, error) {
	cr, ok := c.sink.(Creator)
	if !ok {
		return &wholeFile{c: c, p: p}, nil
	}
	if err := c.ctx.Err(); err != nil {
		return nil, err
	}
	w, err := cr.Create(p)
	if err != nil {
		return nil, &writeError{p, err}
	}
	return &streamedFile{c: c, p: p, w: w, sum: render.NewSum()}, nil
}

// write gives the file at p that write writes, through create.
func (c *collector) write(p string, write func(io.Writer) error) error {
	f, err := c.create(p)
	if err != nil {
		return err
	}
	return cmp.Or(write(f), f.Close())
}

// wholeFile gathers a file, and gives it to its collector when closed.
type wholeFile struct {
	c *collector
	p string
	bytes.Buffer
}

func (f *wholeFile) Close() error { return f.c.file(f.p, f.Bytes()) }

// streamedFile passes a file to its sink as it is written, and notes its
// sum when closed.
type streamedFile struct {
	c   *collector
	p   string
	w   io.WriteCloser
	sum *maphash.Hash
	err error
}

func (f *streamedFile) Write(b []byte) (int, error) {
	if f.err == nil {
		f.sum.Write(b)
		if _, err := f.w.Write(b); err != nil {
			f.err = &writeError{f.p, err}
		}
	}
	if f.err != nil {
		return 0, f.err
	}
	return len(b), nil
}

func (f *streamedFile) Close() error {
	if err := f.w.Close(); err != nil && f.err == nil {
		f.err = &writeError{f.p, err}
	}
	if f.err != nil {
		return f.err
	}
	_, err := f.c.note(f.p, f.sum.Sum64())
	return err
}

// searchFiles takes the files of the search index.
func (c *collector) searchFiles(files []search.File) error {
	for _, f := range files {
		if err := c.file(f.Path, f.Data); err != nil {
			return err
		}
		c.indexed = append(c.indexed, f.Path)
	}
	return nil
}

// put gives the sink a file.
func (c *collector) put(p string, data []byte) error {
	if err := c.ctx.Err(); err != nil {
		return err
	}
	if err := c.sink.Put(p, data); err != nil {
		return &writeError{p, err}
	}
	return nil
}

// writeError is an error of the sink: the build's output could not be
// written, whatever the site holds.
type writeError struct {
	path string
	err  error
}

func (e *writeError) Error() string { return fmt.Sprintf("writing %s: %v", e.path, e.err) }
func (e *writeError) Unwrap() error { return e.err }

// note notes the sum of the file at p, and reports whether it differs from
// the last successful build's.
func (c *collector) note(p string, sum uint64) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.prev[p]
	if _, dup := c.sums[p]; !dup {
		if strings.HasSuffix(p, ".html") {
			c.pages++
		}
		if ok {
			c.kept++
		}
	} else if !c.keep || !ok { // with keep, a file of prev is given again
		return false, fmt.Errorf("%s is written twice: a static file or asset has the path of a page", p)
	}
	c.sums[p] = sum
	if ok && old == sum {
		return false, nil
	}
	c.changed = append(c.changed, p)
	return true, nil
}

// unchanged notes the file at p as the last successful build had it, when
// its sum was sum, and reports whether it was.
func (c *collector) unchanged(p string, sum uint64) (bool, error) {
	if old, ok := c.prev[p]; !ok || old != sum {
		return false, nil
	}
	_, err := c.note(p, sum)
	return err == nil, err
}

// sum returns the sum of the file given at p.
func (c *collector) sum(p string) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sums[p]
}

// paths returns the paths of the files given so far, sorted.
func (c *collector) paths() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Sorted(maps.Keys(c.sums))
}

// done returns the paths added, changed or removed since the last
// successful build, sorted, and the number of HTML pages.
func (c *collector) done() (changed []string, pages int) {
	changed = c.changed
	if c.keep {
		for _, p := range c.gone {
			if _, ok := c.sums[p]; !ok {
				changed = append(changed, p)
			}
		}
	} else if c.kept < len(c.prev) {
		for p := range c.prev {
			if _, ok := c.sums[p]; !ok {
				changed = append(changed, p)
			}
		}
	}
	slices.Sort(changed)
	return changed, c.pages
}

// memory is a sink that keeps the files in memory.
type memory struct {
	mu    sync.Mutex
	files map[string][]byte
}

func (m *memory) Put(p string, data []byte) error {
	data = bytes.Clone(data)
	if data == nil {
		data = []byte{}
	}
	m.mu.Lock()
	m.files[p] = data
	m.mu.Unlock()
	return nil
}
