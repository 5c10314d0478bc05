#!/usr/bin/env bash
# Measures the relevance of search on a site of N postmortems of
# bench/gencorpus (default 2000, seed 1), beside Pagefind on a copy of the
# same built site (its incident pages only): precision@10 and reciprocal
# rank of the judged queries of bench/searchrelevance, in headless Chromium.
# The site's postmortem.yaml takes the search: section (the starter synonyms)
# of the example site's; with SYNONYMS=0 it has none.
#
#   bench/search-relevance.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
work=${BENCH_DIR:-$PWD/bench/out}
site="$work/relevance-$n"
mkdir -p "$work"
[ -d "$site/content" ] || go run ./bench/gencorpus -n "$n" -seed 1 -out "$site"
if [ "${SYNONYMS:-1}" = 1 ]; then
	sed -n '/^search:/,/^[^ #]/p' postmortem.yaml | sed '$ { /^[^ #]/d }' > "$site/postmortem.yaml"
else
	: > "$site/postmortem.yaml"
fi
go build -o "$work/postmortem" ./cmd/postmortem
"$work/postmortem" build --site "$site" --out "$site/public"
rm -rf "$site/public-pagefind"
cp -r "$site/public" "$site/public-pagefind"
npx -y pagefind@1.6.0 --site "$site/public-pagefind" --glob "incidents/**/*.html" >/dev/null
go run ./bench/searchrelevance -public "$site/public" -pagefind "$site/public-pagefind"
