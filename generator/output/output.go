// Package output holds the writing of a built site to disk: into a fresh
// folder beside the output, swapped in only once every file is written,
// and the rules of where an output may go.
package output

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
)

// Write writes files, keyed by slash-separated paths relative to out, as the
// new content of the folder out, with Marker; call Check first. out must be
// missing, empty but for what a build keeps (see Check), or an earlier
// output. The files go to a temporary folder beside out first, with the
// dotfiles, dot-folders and CNAME of the previous output that files do not
// replace; that folder takes the place of out only when complete, in one
// step where the system has one (Linux), so that whenever the process is
// stopped, even killed, out holds the previous output or the new one.
// Leftovers of earlier builds that were killed are removed. When ctx is
// done before the swap, Write stops between files, leaves out as it was
// and returns ctx's error; after, it returns nil, the new output in place,
// and leaves the previous one for the next build to remove.
func Write(ctx context.Context, out string, files map[string][]byte) error {
	paths := make([]string, 0, len(files))
	for p := range files {
		if !filepath.IsLocal(filepath.FromSlash(p)) {
			return fmt.Errorf("refusing to write %q: it is not inside the output folder", p)
		}
		if p == Marker {
			return fmt.Errorf("refusing to write %q: it is the name of the output's marker", p)
		}
		paths = append(paths, p)
	}
	slices.Sort(paths)
	dir, err := resolve(out)
	if err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	if err := owned(dir); err != nil {
		return fmt.Errorf("%s: %w", out, err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	t := temps{parent, filepath.Base(dir)}
	if err := t.recover(dir); err != nil {
		return err
	}
	if err := t.clean(); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(parent, t.prefix("new"))
	if err != nil {
		return err
	}
	// The marker first: a kill from here on leaves a folder the next build
	// knows as its own leftover.
	if err := os.WriteFile(filepath.Join(tmp, Marker), []byte(markerText), 0o644); err != nil {
		removeMarked(context.Background(), tmp)
		return err
	}
	// The previous output, resolved once: files are linked only from
	// folders that resolve to their place inside it.
	prev := ""
	if st, err := os.Lstat(dir); err == nil && st.IsDir() {
		prev = dir
	}
	err = keep(prev, tmp, paths)
	if err == nil {
		err = writeAll(ctx, tmp, prev, paths, files)
	}
	if err == nil {
		err = os.Chmod(tmp, 0o755)
	}
	if err == nil {
		err = ctx.Err()
	}
	if err == nil {
		err = t.swap(ctx, tmp, dir, prev != "")
	}
	if err != nil {
		removeMarked(context.Background(), tmp)
	}
	return err
}

// writeAll writes files into root. A file with the same bytes in the
// folder prev, the previous output, is linked instead of written: a
// rebuild then creates and frees few inodes, which some file systems make
// slow (ext4 without a journal passes over every inode freed in the last
// minutes each time it creates a file).
//
// Each writer stops before its next file once ctx is done.
func writeAll(ctx context.Context, root, prev string, paths []string, files map[string][]byte) error {
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
					if err := ctx.Err(); err != nil {
						errs <- err
						break
					}
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
