#!/usr/bin/env bash
# Times `postmortem build` against Hugo on the same synthetic corpus.
#
#   bench/build.sh [N...]        # default: 1000 10000
#
# For each N it writes the corpus with ../shared/tools/gencorpus.py (our
# format, and --hugo for Hugo), builds it with both tools, and prints wall
# time, pages per second and peak memory (max RSS, from /usr/bin/time -v).
# Hugo is installed with `go install github.com/gohugoio/hugo@v0.160.0` when
# missing; set NO_HUGO=1 to skip it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
gen=${POSTMORTEM_GENCORPUS:-$root/../shared/tools/gencorpus.py}
work=${BENCH_DIR:-$root/bench/out}
mkdir -p "$work"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
go build -o "$work/postmortem" ./cmd/postmortem
hugo=""
if [ -z "${NO_HUGO:-}" ]; then
  hugo=$(command -v hugo || true)
  if [ -z "$hugo" ]; then
    GOBIN="$work/bin" go install github.com/gohugoio/hugo@v0.160.0
    hugo="$work/bin/hugo"
  fi
fi

# measure NAME PAGES CMD...: runs CMD, prints a row of the table.
measure() {
  local name=$1 n=$2; shift 2
  local log="$work/time.log"
  /usr/bin/time -v "$@" >"$work/cmd.log" 2>"$log" || { cat "$work/cmd.log" "$log"; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  printf "| %-10s | %6d | %8.2f s | %9.0f | %7.0f MB |\n" "$name" "$n" "$wall" "$(echo "$n / $wall" | bc -l)" "$(echo "$rss / 1024" | bc -l)"
}

# Both tools build into an empty output folder, as CI does on a clean
# checkout. The outputs of an earlier run are removed first, and then the
# script waits six minutes (NO_WAIT=1 skips it): ext4 without a journal,
# this machine's file system, passes over every inode freed in the last
# 60 s, or 360 s once their inode table block is written again, each time
# it creates a file. Creating 20,000 files within minutes of removing
# 20,000 cost up to 7 s of kernel time here, whichever tool ran.
stale=()
for d in "$work"/site-*/public "$work"/hugo-*/public; do
  [ -e "$d" ] && stale+=("$d")
done
if [ ${#stale[@]} -gt 0 ]; then
  rm -rf "${stale[@]}"
  sync
  if [ -z "${NO_WAIT:-}" ]; then
    echo "removed the outputs of the last run; waiting 361 s until ext4 reuses their inodes freely" >&2
    sleep 361
  fi
fi

echo "| tool       |      N |     wall   | postmortems/s | peak RSS |"
echo "| ---        |    --- |       ---  |       ---     |     ---  |"
for n in "${sizes[@]}"; do
  site="$work/site-$n"; hsite="$work/hugo-$n"
  if [ ! -d "$site/content" ]; then python3 "$gen" --n "$n" --out "$site/content"; fi
  if [ -n "$hugo" ] && [ ! -d "$hsite/content" ]; then python3 "$gen" --n "$n" --out "$hsite" --hugo; fi
  # sync lets the writes of the run before reach the disk first.
  sync
  measure postmortem "$n" "$work/postmortem" build --site "$site" --out "$site/public"
  if [ -n "$hugo" ]; then
    sync
    measure hugo "$n" "$hugo" --quiet --source "$hsite" --destination "$hsite/public"
  fi
done
