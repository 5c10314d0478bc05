package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"time"
)

var interrupt = os.Interrupt

// startCommand starts a server program that ctx stops with an interrupt,
// as Ctrl-C would, and returns its standard output.
func startCommand(ctx context.Context, name string, args ...string) (*exec.Cmd, io.Reader, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(interrupt) }
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, err
	}
	return cmd, out, nil
}

// startHugo starts `hugo server` on site, rendering to memory with fast
// render, and listens to its livereload websocket.
func startHugo(site string) (*server, error) {
	hugo, err := exec.LookPath("hugo")
	if err != nil {
		return nil, fmt.Errorf("hugo is not on PATH: go install github.com/gohugoio/hugo@v0.160.0")
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	start := time.Now()
	cmd, out, err := startCommand(ctx, hugo, "server", "--source", site, "--bind", "127.0.0.1",
		"--port", fmt.Sprint(port), "--renderToMemory")
	if err != nil {
		cancel()
		return nil, err
	}
	stop := func() { cancel(); _ = cmd.Wait() }
	rd := bufio.NewReader(out)
	for {
		line, err := rd.ReadString('\n')
		if err != nil {
			stop()
			return nil, fmt.Errorf("hugo server stopped before it listened")
		}
		if strings.Contains(line, "Web Server is available") {
			break
		}
	}
	go io.Copy(io.Discard, rd)
	up := time.Since(start) // hugo server listens once it has built
	s := &server{how: "hugo", base: fmt.Sprintf("http://127.0.0.1:%d/", port), startup: up, firstPage: up, built: up}
	conn, err := dialLivereload(port)
	if err != nil {
		stop()
		return nil, err
	}
	s.reloads, s.failures = make(chan struct{}, 64), make(chan struct{}, 64)
	go func() {
		for {
			msg, err := readFrame(conn)
			if err != nil {
				return
			}
			if strings.Contains(msg, `"command":"reload"`) {
				s.reloads <- struct{}{}
			}
		}
	}()
	s.stop = func() { conn.Close(); stop() }
	return s, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// lrConn is a websocket client connection, just enough of one to read
// Hugo's livereload messages.
type lrConn struct {
	net.Conn
	rd *bufio.Reader
}

// dialLivereload opens Hugo's livereload websocket and says hello in the
// livereload protocol.
func dialLivereload(port int) (*lrConn, error) {
	c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(c, "GET /livereload HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: cG9zdG1vcnRlbWJlbmNoMQ==\r\nSec-WebSocket-Version: 13\r\n\r\n", port)
	conn := &lrConn{Conn: c, rd: bufio.NewReader(c)}
	status, err := conn.rd.ReadString('\n')
	if err != nil || !strings.Contains(status, " 101 ") {
		c.Close()
		return nil, fmt.Errorf("livereload handshake: %q %v", status, err)
	}
	for {
		line, err := conn.rd.ReadString('\n')
		if err != nil {
			c.Close()
			return nil, err
		}
		if line == "\r\n" {
			break
		}
	}
	hello := `{"command":"hello","protocols":["http://livereload.com/protocols/official-7"]}`
	if _, err := c.Write(clientFrame(hello)); err != nil {
		c.Close()
		return nil, err
	}
	return conn, nil
}

// clientFrame is a masked text frame, as a client must send.
func clientFrame(msg string) []byte {
	mask := [4]byte{0x5a, 0x17, 0xc3, 0x09}
	f := []byte{0x81, 0x80 | byte(len(msg))} // msg is under 126 bytes
	f = append(f, mask[:]...)
	for i := range len(msg) {
		f = append(f, msg[i]^mask[i%4])
	}
	return f
}

// readFrame reads one unmasked frame from the server and returns its
// payload; control frames come back as empty messages.
func readFrame(c *lrConn) (string, error) {
	var h [2]byte
	if _, err := io.ReadFull(c.rd, h[:]); err != nil {
		return "", err
	}
	n := uint64(h[1] & 0x7f)
	switch n {
	case 126:
		var e [2]byte
		if _, err := io.ReadFull(c.rd, e[:]); err != nil {
			return "", err
		}
		n = uint64(binary.BigEndian.Uint16(e[:]))
	case 127:
		var e [8]byte
		if _, err := io.ReadFull(c.rd, e[:]); err != nil {
			return "", err
		}
		n = binary.BigEndian.Uint64(e[:])
	}
	p := make([]byte, n)
	if _, err := io.ReadFull(c.rd, p); err != nil {
		return "", err
	}
	if h[0]&0x0f != 1 { // not text
		return "", nil
	}
	return string(p), nil
}
