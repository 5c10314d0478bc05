package main

import (
	"net"
	"strconv"
	"strings"
	"testing"
)

func TestServePortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	site := t.TempDir()
	write(t, site, map[string]string{"content/good.md": good})
	port := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	code, out, errOut := runCmd(t, "serve", "--site", site, "--port", port)
	if code != exitUsage {
		t.Errorf("exit %d on a port in use, want %d (1 is for content errors)", code, exitUsage)
	}
	if !strings.Contains(errOut, "127.0.0.1:"+port+" is in use") || !strings.Contains(errOut, "--port 0") {
		t.Errorf("message does not say the port is in use nor suggest --port 0:\n%s", errOut)
	}
	if strings.Contains(out, "serving") {
		t.Errorf("says it serves: %q", out)
	}
}
