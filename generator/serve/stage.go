package serve

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sync"
)

// servedDir is the folder of the preview's folder that holds the last good
// build, which the server serves.
const servedDir = "site"

// stage is where a build writes its files: a folder of the preview's
// folder, apart from the one served, whose files take their place only
// once the build has succeeded (see apply). Put may be called from several
// goroutines at once.
type stage struct {
	root *os.Root // the preview's folder
	dir  string   // the stage, in root

	mu   sync.Mutex
	made map[string]bool // the folders made in dir
	put  []string        // the files written, in the order written
}

func newStage(root *os.Root, n int) (*stage, error) {
	dir := fmt.Sprintf("build-%d", n)
	if err := root.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := root.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	return &stage{root: root, dir: dir, made: map[string]bool{".": true}}, nil
}

// Put writes data as the file at the slash-separated path p of the stage.
func (st *stage) Put(p string, data []byte) error {
	if !filepath.IsLocal(filepath.FromSlash(p)) {
		return fmt.Errorf("refusing to write %q: it is not inside the output folder", p)
	}
	d := path.Dir(p)
	st.mu.Lock()
	made := st.made[d]
	st.mu.Unlock()
	if !made {
		if err := st.root.MkdirAll(path.Join(st.dir, d), 0o755); err != nil {
			return err
		}
		st.mu.Lock()
		st.made[d] = true
		st.mu.Unlock()
	}
	if err := st.root.WriteFile(path.Join(st.dir, p), data, 0o644); err != nil {
		return err
	}
	st.mu.Lock()
	st.put = append(st.put, p)
	st.mu.Unlock()
	return nil
}

// discard removes the stage, of a build that failed or was dropped.
func (st *stage) discard() { _ = st.root.RemoveAll(st.dir) }

// apply makes the stage's files those served, and removes from the served
// folder the files of changed that the build did not write: those it no
// longer makes. The first build's stage becomes the served folder whole.
func (st *stage) apply(changed []string) error {
	defer st.discard()
	if _, err := st.root.Lstat(servedDir); errors.Is(err, fs.ErrNotExist) {
		return st.root.Rename(st.dir, servedDir)
	}
	written := make(map[string]bool, len(st.put))
	for _, p := range st.put {
		written[p] = true
	}
	// The files gone first: a folder may have taken the place of one, or
	// the other way round.
	for _, p := range changed {
		if written[p] {
			continue
		}
		if err := st.root.Remove(path.Join(servedDir, p)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if st.root.Remove(path.Join(servedDir, d)) != nil {
				break // not empty
			}
		}
	}
	made := map[string]bool{".": true}
	for _, p := range st.put {
		if d := path.Dir(p); !made[d] {
			if err := st.root.MkdirAll(path.Join(servedDir, d), 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := st.root.Rename(path.Join(st.dir, p), path.Join(servedDir, p)); err != nil {
			return err
		}
	}
	return nil
}
