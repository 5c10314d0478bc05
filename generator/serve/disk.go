package serve

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/postmortem/postmortem/generator/output"
)

// folder is the preview's output on disk, as MkDocs's serve keeps it: the
// last good build in live/, in a folder of the system's temporary folder.
// Held in memory instead, the output of 100,000 postmortems took 2.4 GB.
//
// A build gives folder only the files that differ from the last good
// build's (site.Builder.BuildTo), and they reach live/ only once that
// build succeeded (commit): a build that fails changes nothing served.
// Until then they are held in memory, up to stageBudget bytes (and none of
// over stageFileBudget), and past it written to next/. The first build is
// written to next/ whole, which then becomes live/. At commit, the files
// held are written over their old selves in live/, and those in next/
// moved there: replacing every changed file by a new one made ext4
// (without a journal, as on this machine) slow to create files, and a
// root-cause edit at 10,000 postmortems 100 ms slower. Everything goes
// through one os.Root of the folder.
type folder struct {
	dir string // holds live/ and next/

	// mu is held for reading by every Put and read, for writing by
	// whatever changes live/: a request waits for a commit, and never reads
	// a file half written.
	mu     sync.RWMutex
	top    *os.Root // dir
	built  bool     // live/ holds a build
	closed bool     // the folder is gone: a build stopped late writes nothing

	putMu  sync.Mutex
	staged map[string][]byte // the files of the build under way; nil when in next/
	held   int               // bytes of them held in memory
}

// stageBudget is how many bytes of a build's changed files folder holds in
// memory before it writes them to next/; a file of more than
// stageFileBudget bytes goes to next/ at once. At 100,000 postmortems
// index.json and insights.json are about 0.1 GB each, which a root-cause
// edit changes: held, they raised the preview's peak by as much.
const (
	stageBudget     = 256 << 20
	stageFileBudget = 4 << 20
)

// folderPrefix names the folders of previews in the system's temporary
// folder; stoppedSuffix ends those of previews that stopped before they
// were removed whole.
const (
	folderPrefix  = "postmortem-preview-"
	stoppedSuffix = ".stopped"
)

// newFolder makes the folder of a preview in the system's temporary
// folder, and removes, beside the preview, what is left of those of
// previews that stopped.
func newFolder() (*folder, error) {
	if left, _ := filepath.Glob(filepath.Join(os.TempDir(), folderPrefix+"*"+stoppedSuffix)); len(left) > 0 {
		go func() {
			for _, d := range left {
				os.RemoveAll(d)
			}
		}()
	}
	dir, err := os.MkdirTemp("", folderPrefix)
	if err != nil {
		return nil, err
	}
	top, err := os.OpenRoot(dir)
	if err != nil {
		os.Remove(dir)
		return nil, err
	}
	return &folder{dir: dir, top: top, staged: map[string][]byte{}}, nil
}

// in returns the path of the file p (slash-separated) in the folder sub.
func in(sub, p string) string { return filepath.Join(sub, filepath.FromSlash(p)) }

// Put stages data as the file at the slash-separated path p of the build
// under way (see site.Sink).
func (f *folder) Put(p string, data []byte) error {
	if err := output.Inside(p); err != nil {
		return err
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.closed {
		return errStopped
	}
	f.putMu.Lock()
	hold := f.built && f.held+len(data) <= stageBudget && len(data) <= stageFileBudget
	if hold {
		f.staged[p] = append(make([]byte, 0, len(data)), data...) // not nil, also when empty
		f.held += len(data)
	}
	f.putMu.Unlock()
	if hold {
		return nil
	}
	dst, err := f.toNext(p)
	if err != nil {
		return err
	}
	if err := f.top.WriteFile(dst, data, 0o644); err != nil {
		return err
	}
	f.wentToNext(p)
	return nil
}

// errStopped fails what is given to the folder once the preview stopped.
var errStopped = errors.New("the preview has stopped")

// toNext returns the name in the folder of the file at p of next/, its
// folder made.
func (f *folder) toNext(p string) (string, error) {
	dst := in("next", p)
	return dst, f.top.MkdirAll(filepath.Dir(dst), 0o755)
}

// wentToNext notes that the file at p of the build under way is whole in
// next/.
func (f *folder) wentToNext(p string) {
	f.putMu.Lock()
	f.staged[p] = nil
	f.putMu.Unlock()
}

// Create returns the writer of the file at the slash-separated path p of
// the build under way, which goes to next/ as it is written (see
// site.Creator): the exports a root-cause edit changes, about 0.1 GB each
// at 100,000 postmortems, are not held whole. A file given so whose bytes
// are the last good build's is not in the build's changed files, and is
// dropped with next/ at commit.
func (f *folder) Create(p string) (io.WriteCloser, error) {
	if err := output.Inside(p); err != nil {
		return nil, err
	}
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.closed {
		return nil, errStopped
	}
	dst, err := f.toNext(p)
	if err != nil {
		return nil, err
	}
	file, err := f.top.Create(dst)
	if err != nil {
		return nil, err
	}
	return &nextFile{File: file, f: f, p: p}, nil
}

// nextFile is a file of Create: once closed, it is one of the build's.
type nextFile struct {
	*os.File
	f *folder
	p string
}

func (n *nextFile) Close() error {
	if err := n.File.Close(); err != nil {
		return err
	}
	n.f.wentToNext(n.p)
	return nil
}

// Scratch returns a new file of the preview's own, outside live/ and
// next/, for the builder to hold what it reads back later (see
// site.Scratcher and output.NewScratch). A name left goes with the folder.
func (f *folder) Scratch() (*os.File, error) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.closed {
		return nil, errStopped
	}
	file, _, err := output.NewScratch(f.dir)
	return file, err
}

// commit makes the build under way, which succeeded, the one served:
// changed lists the files it added, changed or removed (site.Result).
func (f *folder) commit(changed []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	defer f.drop()
	if !f.built {
		// The first good build: next/ holds all of it.
		if err := f.top.MkdirAll("next", 0o755); err != nil {
			return err
		}
		if err := f.top.Rename("next", "live"); err != nil {
			return err
		}
		f.built = true
		return nil
	}
	var errs []error
	// The files gone first: a file may take the place of a folder they
	// leave empty, or of a file whose name differs only in case.
	for _, p := range changed {
		if _, ok := f.staged[p]; ok {
			continue
		}
		name := in("live", p)
		if err := f.top.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			continue
		}
		// As a full build would not make the folders they leave empty.
		for d := filepath.Dir(name); d != "live" && f.top.Remove(d) == nil; d = filepath.Dir(d) {
		}
	}
	for _, p := range changed {
		data, ok := f.staged[p]
		if !ok {
			continue
		}
		name := in("live", p)
		if st, err := f.top.Lstat(name); err == nil && st.IsDir() {
			// A file in the place of a folder of the last build.
			if err := f.top.RemoveAll(name); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		if err := f.top.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			errs = append(errs, err)
			continue
		}
		var err error
		if data != nil {
			err = f.top.WriteFile(name, data, 0o644)
		} else {
			err = f.top.Rename(in("next", p), name)
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// reset empties the folder, after a build that could not be written
// whole: it serves no build until the next is written.
func (f *folder) reset() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return
	}
	f.top.RemoveAll("live")
	f.built = false
	f.drop()
}

// gone reports whether the folder was removed while the preview ran.
func (f *folder) gone() bool {
	_, err := os.Stat(f.dir)
	return errors.Is(err, fs.ErrNotExist)
}

// renewIfLost makes the folder again when it was removed while the
// preview ran (by hand, or by a cleaner of the temporary folder), and
// reports whether it was: it then serves no build until the next is
// written whole.
func (f *folder) renewIfLost() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed || !f.gone() {
		return false
	}
	if err := os.MkdirAll(f.dir, 0o700); err != nil {
		return false
	}
	top, err := os.OpenRoot(f.dir)
	if err != nil {
		return false
	}
	f.top.Close()
	f.top, f.built = top, false
	clear(f.staged)
	f.held = 0
	return true
}

// abort drops the files of a build that failed.
func (f *folder) abort() {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.closed {
		f.drop()
	}
}

func (f *folder) drop() {
	f.top.RemoveAll("next")
	clear(f.staged)
	f.held = 0
}

// read returns the file at the slash-separated path p of the last good
// build; built is false before there is one.
func (f *folder) read(p string) (data []byte, found, built bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if !f.built || f.closed {
		return nil, false, false
	}
	data, err := f.top.ReadFile(in("live", p))
	return data, err == nil, true
}

// written returns the file at p of the first build under way once it is
// written whole to next/; false when it is not, or when live/ holds a
// build already.
func (f *folder) written(p string) ([]byte, bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if f.built || f.closed {
		return nil, false
	}
	f.putMu.Lock()
	_, ok := f.staged[p] // set once the file is written (see wentToNext)
	f.putMu.Unlock()
	if !ok {
		return nil, false
	}
	data, err := f.top.ReadFile(in("next", p))
	return data, err == nil
}

// hasBuild reports whether live/ holds a build.
func (f *folder) hasBuild() bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.built && !f.closed
}

// isFile reports whether the last good build has a file at p.
func (f *folder) isFile(p string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	if !f.built || f.closed {
		return false
	}
	st, err := f.top.Stat(in("live", p))
	return err == nil && st.Mode().IsRegular()
}

// close removes the folder, once the files being written are. Removing
// the output of 100,000 postmortems takes about a minute here: close
// waits a second at most, and a preview that stops before the folder is
// gone leaves the rest, under a name that the next preview removes.
func (f *folder) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	f.top.Close()
	dir := f.dir + stoppedSuffix
	if os.Rename(f.dir, dir) != nil {
		dir = f.dir
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		os.RemoveAll(dir)
	}()
	select {
	case <-done:
	case <-time.After(time.Second):
	}
}
