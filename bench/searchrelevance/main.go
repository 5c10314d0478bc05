// Command searchrelevance measures how well search finds the incidents a
// reader looks for: over a site built from a corpus of bench/corpus, whose
// postmortems' root causes are known, it runs a judged set of queries (each
// written to find the incidents of one root cause, in the words a reader
// would type) in the site's own search page, in headless Chromium, and
// with -pagefind in Pagefind's index of the same pages; an incident is
// relevant to a query when it has that root cause. It prints each query's
// precision at 10 and reciprocal rank, their means, and the queries that
// find nothing. bench/search-relevance.sh runs it.
//
//	go run ./bench/searchrelevance -public DIR [-pagefind DIR2]
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/postmortem/postmortem/bench/chromium"
)

// judged is the query set: what a reader types, and the root cause of the
// incidents that answer it. Most say it in other words than the corpus
// does (which writes the cause's name, as "expired certificate"); a few
// use the corpus's own words.
var judged = []struct{ q, cause string }{
	{"config change broke production", "config-change"},
	{"bad deploy rolled back", "bad-deploy"},
	{"dns resolution failure", "dns"},
	{"tls cert expiry", "expired-certificate"},
	{"certificate expired", "expired-certificate"},
	{"ran out of capacity", "capacity"},
	{"third party provider outage", "upstream-outage"},
	{"database failover", "database-failover"},
	{"memory leak", "memory-leak"},
	{"oom killed", "memory-leak"},
	{"disk full", "disk-full"},
	{"race condition", "race-condition"},
	{"connection pool exhausted", "connection-pool-exhaustion"},
	{"retry storm", "retry-storm"},
	{"thundering herd on the cache", "cache-stampede"},
	{"feature toggle", "feature-flag"},
	{"schema migration", "schema-migration"},
	{"replica lag", "replication-lag"},
	{"clock drift", "clock-skew"},
	{"rate limited", "rate-limit"},
	{"network partition", "network-partition"},
	{"load balancer", "load-balancer"},
	{"library upgrade", "dependency-upgrade"},
	{"rotated secret", "secret-rotation"},
	{"quota exceeded", "quota-exhausted"},
	{"queue backlog", "queue-backlog"},
	{"deadlock", "deadlock"},
	{"kernel update", "kernel-upgrade"},
	{"garbage collection pause", "gc-pause"},
	{"cdn down", "cdn-outage"},
	{"autoscaler did not scale", "autoscaling"},
	{"bgp route leak", "bgp"},
	{"hardware fault", "hardware-failure"},
	{"power failure in the datacenter", "power-outage"},
	{"human error", "operator-error"},
	{"permissions revoked", "access-revoked"},
	{"missing database index", "missing-index"},
	{"thread starvation", "thread-starvation"},
	{"split brain", "split-brain"},
	{"dns", "dns"},
	{"memory exhaustion", "memory-leak"},
}

func main() {
	public := flag.String("public", "", "the built site")
	pagefind := flag.String("pagefind", "", "a copy of the built site with Pagefind's index (npx pagefind --site DIR)")
	flag.Parse()
	if *public == "" {
		log.Fatal("-public is required")
	}
	causes, err := rootCauses(*public)
	if err != nil {
		log.Fatal(err)
	}
	alloc, stop, err := chromium.Start()
	if err != nil {
		log.Fatal(err)
	}
	defer stop()

	queries := make([]string, len(judged))
	for i, j := range judged {
		queries[i] = j.q
	}
	input, _ := json.Marshal(queries)
	ours := run(alloc, *public, "/search/index.html", `(async () => {
		const PS = window.PostmortemSearch; await PS.ready();
		const out = [];
		for (const q of `+string(input)+`) {
			const res = await PS.search({ q });
			out.push((await PS.page(res, 10)).map(r => r.frag.u));
		}
		return out;
	})()`)
	report("postmortem", ours, causes)
	if *pagefind != "" {
		theirs := run(alloc, *pagefind, "/index.html", `(async () => {
			const pf = await import("/pagefind/pagefind.js"); await pf.init();
			const out = [];
			for (const q of `+string(input)+`) {
				const r = await pf.search(q);
				const data = await Promise.all(r.results.slice(0, 10).map(x => x.data()));
				out.push(data.map(d => d.url.replace(/^\//, "")));
			}
			return out;
		})()`)
		report("pagefind", theirs, causes)
	}
}

// run serves dir, opens page in Chromium and gives what script returns:
// each query's first 10 results, as URLs relative to the site root.
func run(alloc context.Context, dir, page, script string) [][]string {
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	ctx, c := chromedp.NewContext(alloc)
	defer c()
	ctx, c2 := context.WithTimeout(ctx, 10*time.Minute)
	defer c2()
	var out [][]string
	if err := chromedp.Run(ctx, chromedp.Navigate(srv.URL+page), chromedp.Evaluate(script, &out, awaitPromise)); err != nil {
		log.Fatalf("%s: %v", dir, err)
	}
	return out
}

// rootCauses reads the root causes of every incident from the site's
// export, index.json, by URL.
func rootCauses(public string) (map[string][]string, error) {
	data, err := os.ReadFile(path.Join(public, "index.json"))
	if err != nil {
		return nil, err
	}
	var ex struct {
		Postmortems []struct {
			URL        string   `json:"url"`
			RootCauses []string `json:"root_causes"`
		} `json:"postmortems"`
	}
	if err := json.Unmarshal(data, &ex); err != nil {
		return nil, fmt.Errorf("%s/index.json: %w", public, err)
	}
	out := make(map[string][]string, len(ex.Postmortems))
	for _, p := range ex.Postmortems {
		out[p.URL] = p.RootCauses
	}
	return out, nil
}

// report prints each query's precision at 10 and reciprocal rank, with the
// number of incidents of its cause, and the means over the queries whose
// cause has any (a query of a cause the corpus lacks judges nothing).
func report(engine string, results [][]string, causes map[string][]string) {
	count := map[string]int{}
	for _, cs := range causes {
		for _, c := range cs {
			count[c]++
		}
	}
	fmt.Printf("%s\n  %-34s %6s %6s %8s %9s\n", engine, "query", "P@10", "RR", "results", "relevant")
	var sumP, sumRR, n float64
	var empty []string
	for i, j := range judged {
		rel, rr := 0, 0.0
		for k, u := range results[i] {
			u = strings.TrimSuffix(strings.TrimPrefix(u, "/"), "/")
			if slices.Contains(causes[u], j.cause) {
				rel++
				if rr == 0 {
					rr = 1 / float64(k+1)
				}
			}
		}
		p := float64(rel) / 10
		if count[j.cause] > 0 {
			sumP += p
			sumRR += rr
			n++
		}
		if len(results[i]) == 0 {
			empty = append(empty, j.q)
		}
		fmt.Printf("  %-34s %6.2f %6.2f %8d %9d\n", j.q, p, rr, len(results[i]), count[j.cause])
	}
	fmt.Printf("  over the %.0f queries whose cause has incidents: mean precision@10 %.3f, mean reciprocal rank %.3f\n", n, sumP/n, sumRR/n)
	fmt.Printf("  %d of %d queries with no result %v\n", len(empty), len(judged), empty)
}

func awaitPromise(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }
