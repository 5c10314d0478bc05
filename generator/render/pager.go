package render

import (
	"strconv"
	"strings"
)

// Pager is the place of a page in a list of incidents split into pages:
// its number, how many pages the list has, and links to the others. Every
// list page has one, with Count 1 when the list fits on one page.
type Pager struct {
	Number, Count int // Number counts from 1
	// Total is how many entries (incidents, or on the ledger's pages
	// owners or action items) the whole list has, on all its pages.
	Total int
	// Prev and Next are the pages before and after it (of newer and older
	// incidents), relative to the page; "" at either end.
	Prev, Next string
	// Pages are the links a reader picks a page with: the first and last,
	// and those near this one, with gaps between.
	Pages []PageLink
}

// PageLink is one link of a Pager.
type PageLink struct {
	Number  int
	URL     string // relative to the page
	Current bool   // the page it is on
	Gap     bool   // pages left out here; Number and URL are unset
}

// PageURL returns the page n of the list whose first page is first: first
// itself for n 1, else first with .n before its .html, in the same folder
// (incidents/index.2.html, root-causes/dns.2.html). A slug never holds a
// dot, so no such name is the address of another page; and page n of a
// list is as deep as its first page, so its incidents' rows are those its
// first page shows, rendered once.
func PageURL(first string, n int) string {
	if n <= 1 {
		return first
	}
	return strings.TrimSuffix(first, ".html") + "." + strconv.Itoa(n) + ".html"
}

// pageCount returns how many pages a list of total incidents takes, size a
// page; an empty list takes one.
func pageCount(total, size int) int {
	return max(1, (total+size-1)/size)
}

// pageBounds returns the positions in the list of the first incident of
// page n, and of the one after its last.
func pageBounds(total, size, n int) (lo, hi int) {
	lo = min(total, (n-1)*size)
	return lo, min(total, lo+size)
}

// pagerWindow is how many pages on either side of the current one get a
// link of their own.
const pagerWindow = 2

// newPager returns the Pager of page n of the list whose first page is
// first, for a page at root.
func newPager(first, root string, total, size, n int) *Pager {
	count := pageCount(total, size)
	p := &Pager{Number: n, Count: count, Total: total}
	if n > 1 {
		p.Prev = root + PageURL(first, n-1)
	}
	if n < count {
		p.Next = root + PageURL(first, n+1)
	}
	if count == 1 {
		return p
	}
	last := 0
	for k := 1; k <= count; k++ {
		if k != 1 && k != count && (k < n-pagerWindow || k > n+pagerWindow) {
			continue
		}
		if last != 0 && k > last+1 {
			p.Pages = append(p.Pages, PageLink{Gap: true})
		}
		p.Pages = append(p.Pages, PageLink{Number: k, URL: root + PageURL(first, k), Current: k == n})
		last = k
	}
	return p
}
