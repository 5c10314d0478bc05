// Package output holds the writing of a built site to disk: into a fresh
// folder beside the output, swapped in only once every file is written.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
)

// Check refuses an output folder that would destroy what it must not: the
// root of the file system, the home folder, the site root or any folder that
// holds it, and anything inside content/.
func Check(siteRoot, out string) error {
	site, err := filepath.Abs(siteRoot)
	if err != nil {
		return err
	}
	dir, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if dir == filepath.Dir(dir) {
		return fmt.Errorf("output folder %s is the root of the file system", dir)
	}
	if home, err := os.UserHomeDir(); err == nil && filepath.Clean(home) == dir {
		return fmt.Errorf("output folder %s is the home folder", dir)
	}
	if rel, err := filepath.Rel(dir, site); err == nil && filepath.IsLocal(rel) || rel == "." {
		return fmt.Errorf("output folder %s holds the site root %s", dir, site)
	}
	content := filepath.Join(site, "content")
	if rel, err := filepath.Rel(content, dir); err == nil && (filepath.IsLocal(rel) || rel == ".") {
		return fmt.Errorf("output folder %s is inside the content folder", dir)
	}
	if _, err := os.Stat(filepath.Join(dir, "content")); err == nil {
		return fmt.Errorf("output folder %s contains a content folder: it looks like a site, not an output", dir)
	}
	return nil
}

// Write writes files, keyed by slash-separated paths relative to out, as the
// new content of the folder out. The files go to a temporary folder beside
// out first; out is replaced only when all were written, so a failure leaves
// the previous output as it was. Paths that would leave out are refused.
func Write(out string, files map[string][]byte) error {
	dir, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		if !filepath.IsLocal(filepath.FromSlash(p)) {
			return fmt.Errorf("refusing to write %q: it is not inside the output folder", p)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".new-")
	if err != nil {
		return err
	}
	// The previous output, resolved once: files are linked only from
	// folders that resolve to their place inside it.
	prev := ""
	if st, err := os.Lstat(dir); err == nil && st.IsDir() {
		if prev, err = filepath.EvalSymlinks(dir); err != nil {
			prev = ""
		}
	}
	if err := writeAll(tmp, prev, paths, files); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.RemoveAll(tmp)
		return err
	}
	var old string
	if _, err := os.Lstat(dir); err == nil {
		old = filepath.Join(parent, "."+filepath.Base(dir)+".old-"+filepath.Base(tmp)[len(filepath.Base(dir))+6:])
		if err := os.Rename(dir, old); err != nil {
			os.RemoveAll(tmp)
			return fmt.Errorf("moving the previous output aside: %w", err)
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		os.RemoveAll(tmp)
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			_ = os.Rename(old, dir)
		}
		os.RemoveAll(tmp)
		return fmt.Errorf("moving the new output in place: %w", err)
	}
	if old != "" {
		return os.RemoveAll(old)
	}
	return nil
}

// writeAll writes files into root. A file with the same bytes in the
// folder prev, the previous output, is linked instead of written: a
// rebuild then creates and frees few inodes, which some file systems make
// slow (ext4 without a journal passes over every inode freed in the last
// minutes each time it creates a file).
func writeAll(root, prev string, paths []string, files map[string][]byte) error {
	dirs := map[string]bool{}
	for _, p := range paths {
		dirs[filepath.Dir(filepath.Join(root, filepath.FromSlash(p)))] = true
	}
	for _, d := range slices.Sorted(func(yield func(string) bool) {
		for d := range dirs {
			if !yield(d) {
				return
			}
		}
	}) {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return err
		}
	}
	// One writer per folder: on the file systems measured, parallel writers
	// into one folder contend and write several times slower than one, but
	// writers into different folders do not.
	byDir := map[string][]string{}
	for _, p := range paths {
		d := filepath.Dir(filepath.FromSlash(p))
		byDir[d] = append(byDir[d], p)
	}
	dirList := make([]string, 0, len(byDir))
	for d := range byDir {
		dirList = append(dirList, d)
	}
	slices.SortFunc(dirList, func(a, b string) int { return len(byDir[b]) - len(byDir[a]) })
	next := make(chan string)
	errs := make(chan error, len(dirList))
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(dirList)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for d := range next {
				from := linkable(prev, d)
				for _, p := range byDir[d] {
					dst := filepath.Join(root, filepath.FromSlash(p))
					if from != "" {
						old := filepath.Join(from, filepath.Base(p))
						var same bool
						if same, buf = sameFile(old, files[p], buf); same && os.Link(old, dst) == nil {
							continue
						}
					}
					if err := os.WriteFile(dst, files[p], 0o644); err != nil {
						errs <- err
						break
					}
				}
			}
		}()
	}
	for _, d := range dirList {
		next <- d
	}
	close(next)
	wg.Wait()
	close(errs)
	return <-errs
}

// linkable returns the folder dir of the previous output prev (a path
// without symbolic links), when files may be linked from it: it is there,
// and no symbolic link leads it out of prev. It returns "" otherwise.
func linkable(prev, dir string) string {
	if prev == "" {
		return ""
	}
	old := filepath.Join(prev, dir)
	if r, err := filepath.EvalSymlinks(old); err != nil || r != old {
		return ""
	}
	return old
}

// sameFile reports whether the regular file at path holds data and has
// mode 0644, as Write makes files, reading it into buf, which it returns
// for reuse.
func sameFile(path string, data, buf []byte) (bool, []byte) {
	st, err := os.Lstat(path)
	if err != nil || !st.Mode().IsRegular() || st.Mode().Perm() != 0o644 || st.Size() != int64(len(data)) {
		return false, buf
	}
	f, err := os.Open(path)
	if err != nil {
		return false, buf
	}
	defer f.Close()
	buf = slices.Grow(buf[:0], len(data))[:len(data)]
	_, err = io.ReadFull(f, buf)
	return err == nil && bytes.Equal(buf, data), buf
}
