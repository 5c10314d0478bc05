#!/usr/bin/env bash
# Measures search on a site of N synthetic postmortems (default 10000):
# the time `postmortem build` spends on the search index (Go benchmark),
# Pagefind's indexing of the same built site, and both in headless Chromium:
# bytes of index a one-word query loads and keystroke-to-results latency.
#
#   bench/search.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=${BENCH_DIR:-$PWD/bench/out}
site="$work/site-$n"
mkdir -p "$work"
[ -d "$site/content" ] || go run ./bench/gencorpus -n "$n" -seed 1 -out "$site"
go build -o "$work/postmortem" ./cmd/postmortem
/usr/bin/time -f "postmortem build: %e s wall, %M KB peak" "$work/postmortem" build --site "$site" --out "$site/public"
echo "search index size: $(du -sh "$site/public/search" | cut -f1) in $(find "$site/public/search" -type f | wc -l) files"
go test ./generator/search -run '^$' -bench 'Build10k|RebuildOneChanged10k' -benchtime 5x | grep Benchmark
rm -rf "$site/public/pagefind"
/usr/bin/time -f "pagefind: %e s wall, %M KB peak" npx -y pagefind --site "$site/public" >/dev/null
echo "pagefind index size: $(du -sh "$site/public/pagefind" | cut -f1) in $(find "$site/public/pagefind" -type f | wc -l) files"
go run ./bench/searchbench -public "$site/public" -pagefind
