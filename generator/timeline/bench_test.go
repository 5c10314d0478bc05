package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// corpusBody is the body of a postmortem of the earlier benchmark corpus
// (a Python script outside the repository, now bench/corpus): a
// "## Timeline" list, a fenced code block, and "duration" only in a table
// row that gives no span.
const corpusBody = `
## Summary

Rejected failover error secret-rotation quota backlog billing-worker connections. Eviction misrouted secret-rotation consumer postmortem race-condition circuit expired-certificate index billing-worker. Race-condition expired-certificate misrouted rejected secret-rotation partition billing-worker.

## Impact

Producer mitigation backlog headroom alert. Consumer forecast eviction idempotency autoscaler. Ingress pager upstream consumer checksum.

| metric | value |
| --- | --- |
| failed connections | 99918 |
| duration | 585 min |

## Timeline

- 08:57 — Impact began: Consumer rejected timeline budget checksum forecast connections.
- 09:39 — Alert fired: Headroom election mesh budget connections timeline rejected.
- 11:54 — On-call engineer paged: Index rejected rate connections ingress egress.
- 14:10 — Incident declared: Runbook dashboard rejected forecast offset connections error.
- 16:26 — Mitigation started: Rejected idempotency postmortem firewall alert connections heartbeat.
- 18:42 — Service recovered: Consumer postmortem autoscaler rejected failover connections compaction.

## Root cause

Threshold expired-certificate offset secret-rotation failover jitter. Expired-certificate secret-rotation jitter snapshot egress proxy race-condition. Expired-certificate race-condition handshake checksum subnet secret-rotation error offset. Autoscaler canary expired-certificate rate rollback secret-rotation. Race-condition postmortem budget secret-rotation expired-certificate quota. Producer mitigation failover race-condition secret-rotation forecast expired-certificate snapshot. Circuit producer race-condition expired-certificate compaction secret-rotation remediation subnet. Latency autoscaler race-condition handshake secret-rotation forecast expired-certificate.

` + "```" + `
billing-worker: error: connections rejected after 15s (code 561)
` + "```" + `

## Resolution

Sidecar error runbook autoscaler **failover** offset *rollback*. **failover** *rollback* egress consumer downstream budget latency. **failover** *rollback* threshold postmortem autoscaler failover. **failover** threshold forecast headroom backoff *rollback* leader. Idempotency heartbeat downstream **failover** timeline remediation *rollback*.

## Corrective and preventative measures

- Rotate secrets of billing-worker automatically (owner: lars)
- Add a canary stage for checkout-api (owner: kemi)
- Review capacity of checkout-api (owner: gus)
- Set timeouts on billing-worker calls (owner: farah)

## Lessons learned

Snapshot index resolver vacuum backlog. Snapshot runbook saturation failover index.
See the [runbook](https://runbooks.example.com/billing-worker) for details.
`

// durationBody is corpusBody with a Duration line that gives the span.
var durationBody = strings.Replace(corpusBody, "## Impact\n", "## Impact\n\n**Duration:** 2023-08-31 08:57 - 18:42 UTC\n", 1)

// realistic are the bodies of the benchmarks, with the number of entries of
// their timelines and whether they give a duration.
var realistic = []struct {
	name    string
	body    []byte
	entries int
	span    bool
}{
	{"corpus", []byte(corpusBody), 6, false},
	{"duration-line", []byte(durationBody), 6, true},
	{"seed", []byte(seedBody), 4, true},
}

// BenchmarkParse reads the timelines of realistic postmortems, and
// timelines of growing length, whose time per entry should stay flat.
func BenchmarkParse(b *testing.B) {
	for _, r := range realistic {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(int64(len(r.body)))
			for b.Loop() {
				if len(Parse(r.body, day, time.UTC)) != r.entries {
					b.Fatal("lost entries")
				}
			}
		})
	}
	for _, n := range []int{100, 10000} {
		var body strings.Builder
		body.WriteString("# Incident\n\nDuration: 08:00 - 11:30 (UTC)\n\nSome prose (with brackets) about the times.\n\n## Timeline\n\n")
		for i := range n {
			fmt.Fprintf(&body, "- %02d:%02d — step %d of the incident, with some text\n", i/60%24, i%60, i)
		}
		body.WriteString("\n## Root cause\n\nText.\n")
		src := []byte(body.String())
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if len(Parse(src, day, time.UTC)) != n {
					b.Fatal("lost entries")
				}
			}
		})
	}
}

// BenchmarkParseDuration reads the Duration line of realistic postmortems.
func BenchmarkParseDuration(b *testing.B) {
	for _, r := range realistic {
		b.Run(r.name, func(b *testing.B) {
			b.SetBytes(int64(len(r.body)))
			for b.Loop() {
				if _, _, ok := ParseDuration(r.body, day, time.UTC); ok != r.span {
					b.Fatal("wrong span")
				}
			}
		})
	}
}
