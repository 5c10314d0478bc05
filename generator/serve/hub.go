package serve

import "slices"

// event is one message to the browsers: a reload, a stylesheet swap, the
// errors of the last build, or bye to a page dropped for a newer one.
type event struct {
	name string // reload, css, errors, hello, bye
	data string // JSON
}

// hub fans events out to the connected browsers. One goroutine owns the
// client set; a client that does not keep up is dropped, not waited for,
// and past limit clients the oldest is dropped for the newest: each holds a
// connection, and a page left open long ago matters least.
type hub struct {
	limit      int
	register   chan chan event
	unregister chan chan event
	broadcast  chan event
	done       chan struct{}
}

func newHub(limit int) *hub {
	return &hub{
		limit:      limit,
		register:   make(chan chan event),
		unregister: make(chan chan event),
		broadcast:  make(chan event),
		done:       make(chan struct{}),
	}
}

// run owns the clients until stop is closed.
func (h *hub) run(stop <-chan struct{}) {
	defer close(h.done)
	var clients []chan event // oldest first
	drop := func(c chan event) {
		if i := slices.Index(clients, c); i >= 0 {
			clients = slices.Delete(clients, i, i+1)
			close(c)
		}
	}
	for {
		select {
		case c := <-h.register:
			clients = append(clients, c)
			if len(clients) > h.limit {
				// Told to stop, the page does not reconnect and drop
				// another in turn.
				select {
				case clients[0] <- event{"bye", "{}"}:
				default:
				}
				drop(clients[0])
			}
		case c := <-h.unregister:
			drop(c)
		case e := <-h.broadcast:
			for _, c := range slices.Clone(clients) {
				select {
				case c <- e:
				default:
					drop(c) // too slow: it reconnects and gets the current state
				}
			}
		case <-stop:
			for len(clients) > 0 {
				drop(clients[0])
			}
			return
		}
	}
}

// subscribe returns a channel of events; it is closed when the client is
// dropped or the hub stops.
func (h *hub) subscribe() (chan event, bool) {
	c := make(chan event, 8)
	select {
	case h.register <- c:
		return c, true
	case <-h.done:
		return nil, false
	}
}

func (h *hub) unsubscribe(c chan event) {
	select {
	case h.unregister <- c:
	case <-h.done:
	}
}

func (h *hub) send(e event) {
	select {
	case h.broadcast <- e:
	case <-h.done:
	}
}
