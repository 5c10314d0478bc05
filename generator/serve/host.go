package serve

import (
	"net"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// hosts decides which Host headers the preview answers. A page elsewhere
// can point a name of its own at 127.0.0.1 (DNS rebinding) and then read
// the preview as a page of the same origin: its requests carry that name.
// So a server on a loopback address answers only its own address with its
// port: the bind address, localhost, 127.0.0.1 or [::1]. A server on
// another address was shared by the user's choice; it answers those names
// and the machine's host name, and any IP address, on any port, since it
// may be reached through port forwarding. A rebinding page cannot use an
// IP address as its name.
type hosts struct {
	names map[string]bool
	port  string // "" when any port does
	anyIP bool   // any IP address does
}

// allowedHosts returns the hosts a server bound to bind on port answers.
func allowedHosts(bind string, port int) hosts {
	bind = strings.ToLower(strings.Trim(bind, "[]"))
	h := hosts{names: map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true}}
	if bind != "" {
		h.names[bind] = true
	}
	if ip, err := netip.ParseAddr(bind); bind == "localhost" || (err == nil && ip.IsLoopback()) {
		h.port = strconv.Itoa(port)
		return h
	}
	h.anyIP = true
	if name, err := os.Hostname(); err == nil && name != "" {
		name = strings.ToLower(name)
		h.names[name] = true
		if !strings.Contains(name, ".") {
			h.names[name+".local"] = true // as mDNS names it
		}
	}
	return h
}

// allow reports whether a request's Host is one the server answers.
func (h hosts) allow(host string) bool {
	name, port, err := net.SplitHostPort(host)
	if err != nil { // no port: the default one of http
		name, port = host, "80"
	}
	name = strings.ToLower(strings.Trim(name, "[]"))
	if name == "" || (h.port != "" && port != h.port) {
		return false
	}
	if h.names[name] {
		return true
	}
	_, err = netip.ParseAddr(name)
	return h.anyIP && err == nil
}
