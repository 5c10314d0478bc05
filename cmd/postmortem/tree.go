package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// writeTree writes every file of src under dir, for init and theme export,
// and returns the paths it wrote. When any of them exists already it writes
// none, and the error, which is fs.ErrExist, names them.
func writeTree(src fs.FS, dir string) ([]string, error) {
	var files, existing []string
	err := fs.WalkDir(src, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		files = append(files, p)
		if _, err := os.Lstat(dst); !errors.Is(err, fs.ErrNotExist) {
			existing = append(existing, dst)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(existing) > 0 {
		shown := strings.Join(existing, ", ")
		if len(existing) > 5 {
			shown = fmt.Sprintf("%s and %d more", strings.Join(existing[:3], ", "), len(existing)-3)
		}
		return nil, fmt.Errorf("not overwriting %s; nothing written: %w", shown, fs.ErrExist)
	}
	var written []string
	for _, p := range files {
		data, err := fs.ReadFile(src, p)
		if err != nil {
			return written, err
		}
		dst := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return written, err
		}
		// O_EXCL: a file that appeared since the check is not overwritten.
		f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return written, err
		}
		_, err = f.Write(data)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return written, err
		}
		written = append(written, dst)
	}
	return written, nil
}
