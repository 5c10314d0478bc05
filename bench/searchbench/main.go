// Command searchbench measures the search page of a built site in headless
// Chromium: the bytes of index a query loads (a fresh page opened with the
// query), the bytes of the page's first load (HTML, scripts, styles and
// index, nothing typed) and those a query typed then adds, and the time
// from a keystroke to the first results; with -pagefind, the same for Pagefind's index of the
// same site (npx pagefind --site DIR, run first by bench/search.sh).
//
//	go run ./bench/searchbench -public DIR [-pagefind]
//	go run ./bench/searchbench -public DIR -files 'QUERY|QUERY'
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/postmortem/postmortem/bench/chromium"
)

var queries = []string{"latency", "dns", "certificate", "rollback", "failover", "checkout", "expired", "quorum"}

// phrases are quoted phrases of the corpus of bench/gencorpus; several are
// queries of several words, each of which must be in a result.
var (
	phrases = []string{`"bought time"`, `"replication lag"`, `"expired certificate"`}
	several = []string{"failover latency", "dns rollback checkout"}
)

func main() {
	public := flag.String("public", "", "the built site")
	pagefind := flag.Bool("pagefind", false, "also measure DIR/pagefind (made by npx pagefind)")
	detail := flag.String("files", "", "only list, for each of these queries (separated by |), every file under search/ it loads")
	flag.Parse()
	if *public == "" {
		log.Fatal("-public is required")
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(*public)))
	defer srv.Close()
	alloc, stop, err := chromium.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer stop()
	if *detail != "" {
		for _, q := range strings.Split(*detail, "|") {
			status, loaded := opened(alloc, srv.URL, q)
			fmt.Printf("%s (%s)\n", q, status)
			for _, f := range loaded {
				fmt.Printf("  %-24s %7.1f KB\n", f.Name, f.Bytes/1024)
			}
			fmt.Printf("  %-24s %7.1f KB\n", "in all", sum(loaded)/1024)
		}
		return
	}

	// Phrases: a quoted phrase loads the texts of the groups of the
	// candidates it checks, besides what its words load. Several words:
	// each word's postings, all of them for a word in many incidents.
	fmt.Println("postmortem search, phrases and several words (bytes of index loaded on a fresh page opened with the query, its first results shown)")
	for _, q := range slices.Concat(phrases, several) {
		status, loaded := opened(alloc, srv.URL, q)
		fmt.Printf("  %-20s %7.1f KB loaded   %s\n", q, sum(loaded)/1024, status)
	}

	fmt.Println("postmortem search, one-word queries (bytes of index loaded on a fresh page opened with the query; the first load of the page, all its files, nothing typed, and what the query typed then adds; keystroke to results after warm-up)")
	var lat []float64
	for _, q := range queries {
		ctx, c := chromedp.NewContext(alloc)
		ctx, c2 := context.WithTimeout(ctx, 60*time.Second)
		var bytes, ms float64
		var cold struct{ First, Query float64 }
		// Every byte the page loaded: the page itself and its resources.
		const total = `performance.getEntriesByType("navigation").concat(performance.getEntriesByType("resource")).reduce((s, e) => s + e.encodedBodySize, 0)`
		err := chromedp.Run(ctx,
			// Every page load cold: the tabs share the browser's cache.
			network.Enable(), network.SetCacheDisabled(true),
			chromedp.Navigate(srv.URL+"/search/index.html"),
			chromedp.WaitVisible(`#search-results li a`),
			chromedp.Evaluate(`new Promise(resolve => {
				const first = `+total+`, input = document.getElementById("search-input"), list = document.getElementById("search-results");
				const obs = new MutationObserver(() => {
					if (!list.querySelector("li a") || document.getElementById("search-status").textContent === status) return;
					obs.disconnect();
					resolve({First: first, Query: `+total+` - first});
				});
				const status = document.getElementById("search-status").textContent;
				obs.observe(list, {childList: true, subtree: true});
				input.value = "`+q+`"; input.dispatchEvent(new Event("input"));
			})`, &cold, awaitPromise),
		)
		if err != nil {
			log.Fatalf("%s: %v", q, err)
		}
		err = chromedp.Run(ctx,
			chromedp.Navigate(srv.URL+"/search/index.html?q="+q),
			chromedp.WaitVisible(`#search-results li a`),
			chromedp.Evaluate(`performance.getEntriesByType("resource").filter(e => e.name.includes("/search/")).reduce((s, e) => s + e.encodedBodySize, 0)`, &bytes),
			// Warm: one more query, then time a keystroke that changes the results.
			chromedp.Evaluate(`new Promise(resolve => {
				const input = document.getElementById("search-input"), list = document.getElementById("search-results");
				input.value = "`+q+` x"; input.dispatchEvent(new Event("input"));
				setTimeout(() => {
					const obs = new MutationObserver(() => { if (list.querySelector("li a")) { obs.disconnect(); resolve(performance.now() - t0); } });
					obs.observe(list, {childList: true, subtree: true});
					input.value = "`+q+`"; const t0 = performance.now(); input.dispatchEvent(new Event("input"));
				}, 300);
			})`, &ms, awaitPromise),
		)
		c2()
		c()
		if err != nil {
			log.Fatalf("%s: %v", q, err)
		}
		lat = append(lat, ms)
		fmt.Printf("  %-12s %7.1f KB loaded   first load %7.1f KB + typed %6.1f KB = %7.1f KB   %6.1f ms to first results\n",
			q, bytes/1024, cold.First/1024, cold.Query/1024, (cold.First+cold.Query)/1024, ms)
	}
	slices.Sort(lat)
	fmt.Printf("  median keystroke-to-results %.1f ms, max %.1f ms\n", lat[len(lat)/2], lat[len(lat)-1])

	if *pagefind {
		fmt.Println("pagefind, the same queries through its JS API (search, then the data of the first 10 results)")
		for _, q := range queries {
			ctx, c := chromedp.NewContext(alloc)
			ctx, c2 := context.WithTimeout(ctx, 60*time.Second)
			var res struct {
				Bytes, Ms, N float64
			}
			err := chromedp.Run(ctx,
				chromedp.Navigate(srv.URL+"/index.html"),
				chromedp.Evaluate(`(async () => {
					const pf = await import("/pagefind/pagefind.js"); await pf.init();
					await pf.search("warm");
					const t0 = performance.now();
					const r = await pf.search("`+q+`");
					await Promise.all(r.results.slice(0, 10).map(x => x.data()));
					const ms = performance.now() - t0;
					const bytes = performance.getEntriesByType("resource").filter(e => e.name.includes("/pagefind/")).reduce((s, e) => s + e.encodedBodySize, 0);
					return {Bytes: bytes, Ms: ms, N: r.results.length};
				})()`, &res, awaitPromise),
			)
			c2()
			c()
			if err != nil {
				log.Fatalf("pagefind %s: %v", q, err)
			}
			// Pagefind fetches its chunks from a worker, which the page's
			// resource timing does not see: only the time is reported.
			fmt.Printf("  %-12s %6.1f ms search+10 results   %5.0f results\n", q, res.Ms, res.N)
		}
	}
}

// loadedFile is a file under search/ a page loaded, and its bytes.
type loadedFile struct {
	Name  string
	Bytes float64
}

// opened opens a fresh page at the query q, cold, and gives its status
// line and every file under search/ it loaded by the time its first
// results show.
func opened(alloc context.Context, base, q string) (string, []loadedFile) {
	ctx, c := chromedp.NewContext(alloc)
	defer c()
	ctx, c2 := context.WithTimeout(ctx, 60*time.Second)
	defer c2()
	var loaded []loadedFile
	var status string
	err := chromedp.Run(ctx,
		network.Enable(), network.SetCacheDisabled(true),
		chromedp.Navigate(base+"/search/index.html?q="+url.QueryEscape(q)),
		chromedp.WaitVisible(`#search-results li a`),
		chromedp.Text(`#search-status`, &status),
		chromedp.Evaluate(`performance.getEntriesByType("resource").filter(e => e.name.includes("/search/")).map(e => ({Name: e.name.slice(e.name.indexOf("/search/") + 8), Bytes: e.encodedBodySize}))`, &loaded),
	)
	if err != nil {
		log.Fatalf("%s: %v", q, err)
	}
	return status, loaded
}

// sum is the bytes of files.
func sum(files []loadedFile) float64 {
	var n float64
	for _, f := range files {
		n += f.Bytes
	}
	return n
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
