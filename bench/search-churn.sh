#!/usr/bin/env bash
# Counts the output files that change when one postmortem is added to a
# site of N synthetic postmortems (default 10000; bench/gencorpus, seed 1):
# two builds from scratch into new folders, before and after, compared file
# by file, counted by folder.
#
#   bench/search-churn.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
work=${BENCH_DIR:-$PWD/bench/out}
site="$work/churn-$n"
mkdir -p "$work"
[ -d "$site/content" ] || go run ./bench/gencorpus -n "$n" -seed 1 -out "$site"
go build -o "$work/postmortem" ./cmd/postmortem
added="$site/content/added-by-search-churn.md"
rm -rf "$site/before" "$site/after" "$added"
"$work/postmortem" build --site "$site" --out "$site/before" >/dev/null
# The new postmortem: a copy of the corpus's last one, a day after the newest.
src=$(find "$site/content" -name '*.md' ! -name "$(basename "$added")" | sort | tail -1)
sed -e 's/^title: .*/title: "Added by search-churn.sh"/' -e 's/^date: .*/date: 2026-11-30/' \
	-e '/^\(started\|detected\|acknowledged\|mitigated\|resolved\|slug\):/d' "$src" >"$added"
"$work/postmortem" build --site "$site" --out "$site/after" >/dev/null
rm -f "$added"
# "Files A and B differ" and "Only in DIR: NAME", as paths relative to the output.
diff -rq "$site/before" "$site/after" | sed -E \
	-e "s#^Files $site/before/([^ ]*) and .* differ\$#changed \\1#" \
	-e "s#^Only in $site/before/?([^:]*): (.*)\$#gone \\1/\\2#" \
	-e "s#^Only in $site/after/?([^:]*): (.*)\$#new \\1/\\2#" -e 's#(gone|new) /#\1 #' |
	awk '{ split($2, p, "/"); area = p[1]; if (area == "search") area = (p[2] ~ /\.js$/) ? "search/" p[2] : "search/" p[2] "/";
		count[$1 " " area]++; total[$1]++ }
	END { for (k in count) print count[k], k; for (k in total) print total[k], k, "(all)" }' | sort -k2,2 -k3,3
echo "files in the output after: $(find "$site/after" -type f | wc -l)"
