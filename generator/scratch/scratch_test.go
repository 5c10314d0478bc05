package scratch

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// TestHoldReadsBack wants bytes held in a file, from many goroutines, to
// read back as they were, one at a time and through a Reader, those
// larger than its window too; and bytes held without a file, or whose
// write failed, to stay in memory.
func TestHoldReadsBack(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "scratch"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	file := New(f)
	want := make([][]byte, 200)
	held := make([]Bytes, len(want))
	var wg sync.WaitGroup
	for i := range want {
		want[i] = []byte(strings.Repeat(fmt.Sprintf("row %d;", i), 1+i%7))
		if i == 100 {
			want[i] = bytes.Repeat([]byte("wide "), 2*window/5) // twice the window
		}
		wg.Go(func() { held[i] = file.Hold(want[i]) })
	}
	wg.Wait()
	var r Reader
	for i, h := range held {
		if !h.InFile() || h.Len() != len(want[i]) {
			t.Fatalf("held %d: in the file %v, %d bytes; want %d in the file", i, h.InFile(), h.Len(), len(want[i]))
		}
		if got, err := h.Read(); err != nil || !bytes.Equal(got, want[i]) {
			t.Errorf("Read of %d: %.40q, %v", i, got, err)
		}
		if got, err := r.Read(h); err != nil || !bytes.Equal(got, want[i]) {
			t.Errorf("Reader's Read of %d: %.40q, %v", i, got, err)
		}
	}
	if got, err := held[3].ReadString(); err != nil || got != string(want[3]) {
		t.Errorf("ReadString: %q, %v", got, err)
	}
	if st, err := f.Stat(); err != nil || int(st.Size()) != len(bytes.Join(want, nil)) {
		t.Errorf("the file is %v bytes, not those held (%v)", st.Size(), err)
	}

	// Without a file, in memory; the slice held is a copy.
	b := []byte("in memory")
	h := (*File)(nil).Hold(b)
	b[0] = 'X'
	if got, err := r.Read(h); h.InFile() || err != nil || string(got) != "in memory" {
		t.Errorf("held without a file: in the file %v, %q, %v", h.InFile(), got, err)
	}
	// A file closed: what was held cannot be read back, and what is held
	// now stays in memory.
	f.Close()
	if _, err := held[5].Read(); err == nil {
		t.Error("Read from a closed file did not fail")
	}
	if _, err := (&Reader{}).Read(held[5]); err == nil {
		t.Error("a Reader's Read from a closed file did not fail")
	}
	if h := file.Hold([]byte("after")); h.InFile() {
		t.Error("bytes whose write failed are said to be in the file")
	} else if got, _ := h.Read(); string(got) != "after" {
		t.Errorf("bytes whose write failed read %q", got)
	}
}
