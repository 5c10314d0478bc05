// Package scratch holds bytes that a build keeps but seldom reads out of
// memory, in a file: the rendered bodies of a large site until their pages
// are made, and the encoded entries of its exports between the preview's
// builds. The bytes then live in the system's page cache, not in the
// process, where the collector would scan past them at every cycle.
package scratch

import (
	"bytes"
	"io"
	"sync"
	"unsafe"
)

// File is a scratch file that bytes are appended to and read back from.
// It is safe for concurrent use. A nil *File holds bytes in memory.
type File struct {
	f   ReaderWriterAt
	mu  sync.Mutex
	end int64 // where the next bytes go
}

// ReaderWriterAt is the file a File writes and reads, such as an *os.File
// made by output.NewScratch.
type ReaderWriterAt interface {
	io.ReaderAt
	io.WriterAt
}

// New returns a File that writes to f from its start.
func New(f ReaderWriterAt) *File { return &File{f: f} }

// Bytes are bytes that a File holds, or memory when the File is nil or
// could not write them. The zero Bytes hold nothing.
type Bytes struct {
	mem  []byte
	file *File
	at   int64
	n    int
}

// Hold returns b held by f: written to f, or cloned in memory when f is
// nil or the write fails.
func (f *File) Hold(b []byte) Bytes {
	if f != nil {
		f.mu.Lock()
		at := f.end
		f.end += int64(len(b))
		f.mu.Unlock()
		if _, err := f.f.WriteAt(b, at); err == nil {
			return Bytes{file: f, at: at, n: len(b)}
		}
	}
	return Bytes{mem: bytes.Clone(b), n: len(b)}
}

// HoldString is Hold of the bytes of s, written without a copy.
func (f *File) HoldString(s string) Bytes {
	// Hold does not write to its slice.
	return f.Hold(unsafe.Slice(unsafe.StringData(s), len(s)))
}

// Len is the number of bytes held.
func (h Bytes) Len() int { return h.n }

// InFile reports whether the bytes are held in a file, not in memory.
func (h Bytes) InFile() bool { return h.file != nil }

// Read returns the bytes, in a slice of their own when they are held in
// a file, or else the slice they are held in, not to be changed. It fails
// when the file cannot be read.
func (h Bytes) Read() ([]byte, error) {
	if h.file == nil {
		return h.mem, nil
	}
	buf := make([]byte, h.n)
	if _, err := h.file.f.ReadAt(buf, h.at); err != nil {
		return nil, err
	}
	return buf, nil
}

// ReadString is Read as a string, which shares the slice Read returns.
func (h Bytes) ReadString() (string, error) {
	b, err := h.Read()
	if err != nil {
		return "", err
	}
	// b is not written again, nor kept but as the string.
	return unsafe.String(unsafe.SliceData(b), len(b)), nil
}

// Reader reads many Bytes in turn, such as the entries of a file being
// written, through a window of the file: bytes held one after another, as
// a build holds them, are read with one call for many of them. It reads
// only Bytes held before its first Read: a window may hold bytes that
// another goroutine is writing.
type Reader struct {
	file *File
	at   int64 // where buf starts in file
	buf  []byte
}

// window is how much of a file a Reader reads at once.
const window = 256 << 10

// Read returns the bytes of h, valid until the next call of Read.
func (r *Reader) Read(h Bytes) ([]byte, error) {
	if h.file == nil {
		return h.mem, nil
	}
	if h.file != r.file || h.at < r.at || h.at+int64(h.n) > r.at+int64(len(r.buf)) {
		r.file, r.at = h.file, h.at
		r.buf = r.buf[:cap(r.buf)]
		if len(r.buf) < max(window, h.n) {
			r.buf = make([]byte, max(window, h.n))
		}
		n, err := h.file.f.ReadAt(r.buf, h.at)
		if n < h.n {
			r.file, r.buf = nil, r.buf[:0]
			if err == nil {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		r.buf = r.buf[:n]
	}
	off := h.at - r.at
	return r.buf[off : off+int64(h.n) : off+int64(h.n)], nil
}
