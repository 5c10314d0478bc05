package serve

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestHubDropsSlowClient(t *testing.T) {
	h := newHub(10)
	stop := make(chan struct{})
	stopped := make(chan struct{})
	go func() { h.run(stop); close(stopped) }()
	slow, _ := h.subscribe()
	fast, _ := h.subscribe()
	const sent = 50
	for i := range sent {
		h.send(event{"reload", "{}"}) // never blocks on the client that does not read
		if _, ok := <-fast; !ok {
			t.Fatalf("the client that reads was dropped after %d events", i)
		}
	}
	// The slow client's channel is closed once its buffer is full.
	n := 0
	for range slow {
		n++
	}
	if n != cap(slow) {
		t.Errorf("slow client got %d events before it was dropped, want %d", n, cap(slow))
	}
	close(stop)
	select {
	case <-stopped:
	case <-time.After(5 * time.Second):
		t.Fatal("hub did not stop")
	}
	if _, ok := <-fast; ok {
		t.Error("a stopped hub keeps a client")
	}
	if _, ok := h.subscribe(); ok {
		t.Error("a stopped hub takes new clients")
	}
}

func TestHubDropsOldestPastLimit(t *testing.T) {
	h := newHub(3)
	stop := make(chan struct{})
	defer close(stop)
	go h.run(stop)
	var clients []chan event
	for range 5 {
		c, ok := h.subscribe()
		if !ok {
			t.Fatal("hub refused a client")
		}
		clients = append(clients, c)
	}
	h.send(event{"reload", "{}"})
	// The two oldest were told bye and dropped, without the reload.
	for i, c := range clients {
		var got []string
		for e := range c {
			got = append(got, e.name)
			if i >= 2 {
				break
			}
		}
		want := []string{"reload"}
		if i < 2 {
			want = []string{"bye"}
		}
		if !slices.Equal(got, want) {
			t.Errorf("client %d of 5 (limit 3) got %q, want %q", i, got, want)
		}
	}
	// A client leaving makes room: a new one drops no one.
	h.unsubscribe(clients[2])
	late, _ := h.subscribe()
	h.send(event{"css", "{}"})
	for _, c := range []chan event{clients[3], clients[4], late} {
		if e, ok := <-c; !ok || e.name != "css" {
			t.Errorf("a client within the limit got %q, %v", e.name, ok)
		}
	}
}

func TestLiveReloadClientsCapped(t *testing.T) {
	h := startWith(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x")}, Options{MaxClients: 3})
	var streams []<-chan event
	for range 3 {
		events, closeEvents := h.listen()
		t.Cleanup(closeEvents)
		streams = append(streams, events)
	}
	// The fourth browser dropped the first, the harness's: its stream says
	// bye and ends.
	deadline := time.After(5 * time.Second)
	var last string
	for open := true; open; {
		select {
		case e, ok := <-h.events:
			if open = ok; ok {
				last = e.name
			}
		case <-deadline:
			t.Fatal("the oldest stream is still open past the limit")
		}
	}
	if last != "bye" {
		t.Errorf("the dropped stream ended with %q, not bye", last)
	}
	write(t, filepath.Join(h.site, "content/a.md"), pm("Alpha", "dns", "y"))
	for i, events := range streams {
		for got := false; !got; {
			select {
			case e, ok := <-events:
				if !ok {
					t.Fatalf("stream %d, within the limit, ended", i)
				}
				got = e.name == "reload"
			case <-deadline:
				t.Fatalf("stream %d got no reload", i)
			}
		}
	}
}

func TestDroppedStreamClosesConnection(t *testing.T) {
	h := startWith(t, map[string]string{"content/a.md": pm("Alpha", "dns", "x")}, Options{MaxClients: 2})
	conn, err := net.Dial("tcp", h.srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", eventsPath, h.srv.Addr())
	if err := conn.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("no hello on the stream: %v", err)
		}
		if line == "event: hello\n" {
			break
		}
	}
	// Two newer streams drop the harness's, then this one.
	for range 2 {
		_, closeEvents := h.listen()
		t.Cleanup(closeEvents)
	}
	rest, err := io.ReadAll(br)
	if err != nil {
		t.Fatalf("the connection of a dropped stream stays open: %v", err)
	}
	if !strings.Contains(string(rest), "event: bye\n") {
		t.Errorf("the dropped stream was not told bye:\n%s", rest)
	}
}
