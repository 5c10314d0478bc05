package corpus

import (
	"fmt"
	"strings"
)

// The vocabulary of the corpus. Root causes come first by how often they
// are drawn (see skewed).
var (
	rootCauses = strings.Fields(`config-change bad-deploy dns expired-certificate capacity
		upstream-outage database-failover memory-leak disk-full race-condition connection-pool-exhaustion
		retry-storm cache-stampede feature-flag schema-migration replication-lag clock-skew rate-limit
		network-partition load-balancer dependency-upgrade secret-rotation quota-exhausted queue-backlog
		deadlock kernel-upgrade gc-pause cdn-outage autoscaling bgp hardware-failure power-outage
		operator-error access-revoked missing-index thread-starvation split-brain`)
	factors = strings.Fields(`missing-alert noisy-alerts no-runbook slow-rollback no-canary thin-tests
		unclear-ownership manual-change single-point-of-failure stale-docs missing-timeouts
		unbounded-retries handoff-gap`)
	services = func() []string {
		var out []string
		for _, a := range strings.Fields("checkout payments search login billing catalog orders delivery web app push reports ledger") {
			for _, b := range []string{"api", "worker", "db", "gateway", "ui"} {
				out = append(out, a+"-"+b)
			}
		}
		return out
	}()
	people     = strings.Fields("ada bayo chidi dana eun femi gia hiro ines jonas kofi lena maya nils ola pavel rui sade tariq uma")
	tags       = strings.Fields("outage degradation data-loss security latency customer-facing internal")
	severities = []string{"SEV1", "SEV2", "SEV2", "SEV3", "SEV3", "SEV3", "SEV3", "SEV4", "SEV4", "SEV5"}
	zones      = []string{"UTC", "Asia/Tokyo", "Africa/Lagos", "Asia/Kolkata", "Asia/Singapore"} // none has summer time
	things     = strings.Fields(`requests connections queries jobs messages sessions uploads payments logins builds
		webhooks replicas shards tokens certificates caches deploys pods nodes volumes`)
	failed = strings.Fields("slowed stalled failed timed-out crashed flapped dropped rejected")
	kinds  = strings.Fields("partial regional intermittent sustained silent cascading brief global")
	words  = strings.Fields(`latency errors saturation backlog rollback canary failover runbook dashboard pager
		threshold quorum leader heartbeat checksum migration snapshot index compaction eviction
		handshake resolver upstream downstream breaker backoff jitter retries partition offset consumer
		producer ingress firewall subnet proxy sidecar autoscaler headroom budget replica lease lock
		cursor batch payload schema cluster region zone pool thread socket buffer queue`)
	verbs = strings.Fields(`noticed traced restarted drained scaled paused rotated reverted patched raised
		lowered moved failed-over throttled replayed rebuilt`)
)

// sentences are the shapes of the body's sentences: %[1]s is a service,
// %[2]s a root cause, %[3]s a thing that failed, %[4]s and %[5]s other
// words, %[6]s a verb.
var sentences = []string{
	"The %[1]s %[3]s piled up behind a %[4]s that never cleared.",
	"We %[6]s the %[4]s on %[1]s and the %[5]s recovered within minutes.",
	"Nobody saw the %[2]s at first: the %[4]s looked normal and the %[5]s was quiet.",
	"Customers saw %[3]s fail on %[1]s while the %[4]s kept growing.",
	"The on-call engineer %[6]s the %[5]s, which bought time but did not fix the %[2]s.",
	"A %[4]s in %[1]s turned a small %[2]s into a wide %[5]s problem.",
	"Dashboards showed the %[5]s climbing an hour before anyone was paged.",
	"We had %[6]s the same %[4]s twice before, by hand, without writing it down.",
	"The %[2]s had been there for weeks; a %[4]s change made it visible.",
	"Retries from %[1]s multiplied the load on the %[5]s until the %[4]s gave way.",
	"Our %[4]s alerts fired, but they fire often enough that nobody looked.",
	"Once the %[5]s was %[6]s, %[3]s on %[1]s went back to normal.",
}

func (c *incident) sentence(r rng) string {
	return fmt.Sprintf(pick(r, sentences), pick(r, c.services), strings.ReplaceAll(pick(r, c.causes), "-", " "),
		c.thing, pick(r, words), pick(r, words), pick(r, verbs))
}

func (c *incident) paragraph(r rng, lo, hi int) string {
	n := r.between(lo, hi)
	s := make([]string, n)
	for i := range s {
		s[i] = c.sentence(r)
	}
	// A few words of the long tail: hosts, tickets, error codes.
	if r.chance(40) {
		s = append(s, fmt.Sprintf("See ticket OPS-%d and host %s-%02d.", r.between(100, 9999), pick(r, c.services), r.between(1, 40)))
	}
	return strings.Join(s, " ")
}
