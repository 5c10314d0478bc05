package adopt

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Write applies the changes to the site whose root folder on disk is root.
// Each file is replaced whole (a new file renamed over it, with its mode),
// and only when it is still a regular file inside the site holding the
// bytes the plan read: else it is left alone and the error says why.
func Write(root string, changes []Change) error {
	for _, c := range changes {
		if err := write(root, c); err != nil {
			return fmt.Errorf("%s: %w", c.Path, err)
		}
	}
	return nil
}

func write(root string, c Change) error {
	rel := filepath.FromSlash(c.Path)
	if !filepath.IsLocal(rel) {
		return fmt.Errorf("not inside the site")
	}
	name := filepath.Join(root, rel)
	st, err := os.Lstat(name)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fmt.Errorf("not a regular file: left alone")
	}
	cur, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	if !bytes.Equal(cur, c.Old) {
		return ErrChanged
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".import-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(c.New)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), st.Mode().Perm())
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name()) // ours: written just above
		return err
	}
	return nil
}

// Diff writes the change as a unified diff: the lines of front matter
// added at the top, with up to three lines of the file after them.
func Diff(w io.Writer, c Change) error {
	old := lines(c.Old[bomLen(c.Old):])
	added := lines(c.New[:len(c.New)-len(c.Old)+bomLen(c.Old)])
	if bomLen(c.Old) > 0 && len(added) > 0 {
		added[0] = strings.TrimPrefix(added[0], string(bom))
	}
	ctx := old[:min(3, len(old))]
	oldStart := 1
	if len(ctx) == 0 {
		oldStart = 0
	}
	var b strings.Builder
	fmt.Fprintf(&b, "--- a/%s\n+++ b/%s\n@@ -%d,%d +1,%d @@\n", c.Path, c.Path, oldStart, len(ctx), len(added)+len(ctx))
	for _, l := range added {
		b.WriteString("+" + strings.TrimRight(l, "\r") + "\n")
	}
	for _, l := range ctx {
		b.WriteString(" " + strings.TrimRight(l, "\r") + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func bomLen(data []byte) int {
	if bytes.HasPrefix(data, bom) {
		return len(bom)
	}
	return 0
}

// lines splits data into its lines, without their line feeds.
func lines(data []byte) []string {
	s := strings.TrimSuffix(string(data), "\n")
	if s == "" && len(data) == 0 {
		return nil
	}
	return strings.Split(s, "\n")
}
