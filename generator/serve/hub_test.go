package serve

import (
	"testing"
	"time"
)

func TestHubDropsSlowClient(t *testing.T) {
	h := newHub()
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
