#!/usr/bin/env bash
# Times `postmortem build` against Hugo on the same synthetic corpus.
#
#   bench/build.sh [N...]        # default: 1000 10000
#
# For each N it writes the corpus with bench/gencorpus (our format, and
# -hugo for Hugo), builds it with both tools, and prints wall
# time (the median of REPEAT runs, default 3), pages per second and peak
# memory (max RSS, from /usr/bin/time -v).
# Hugo is installed with `go install github.com/gohugoio/hugo@v0.160.0` when
# missing; set NO_HUGO=1 to skip it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${BENCH_DIR:-$root/bench/out}
mkdir -p "$work"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)

command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (apt-get install time)"; exit 1; }
go build -o "$work/postmortem" ./cmd/postmortem
go build -o "$work/gencorpus" ./bench/gencorpus
# The corpora are kept between runs in folders named for the generator's
# source, so that a changed generator makes new ones.
corpus=$(cat bench/corpus/*.go bench/gencorpus/*.go | sha256sum | cut -c1-12)
hugo=""
if [ -z "${NO_HUGO:-}" ]; then
  hugo=$(command -v hugo || true)
  if [ -z "$hugo" ]; then
    GOBIN="$work/bin" go install github.com/gohugoio/hugo@v0.160.0
    hugo="$work/bin/hugo"
  fi
fi

# measure NAME PAGES OUT CMD...: runs CMD, which writes into OUT plus a
# suffix, REPEAT times (default 3), each into a new folder; prints a row of
# the table: the median wall time, every run's wall, user and system CPU
# time, and the highest peak RSS.
measure() {
  local name=$1 n=$2 out=$3; shift 3
  local log="$work/time.log" walls=() runs="" rss=0
  for r in $(seq "${REPEAT:-3}"); do
    local dir=$out
    [ "$r" -gt 1 ] && dir=$out-$r
    sync # the writes of the run before reach the disk first
    /usr/bin/time -v "${@//@OUT@/$dir}" >"$work/cmd.log" 2>"$log" || { cat "$work/cmd.log" "$log"; return 1; }
    local wall user sys r_rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
    user=$(awk -F': ' '/User time/ {print $2}' "$log")
    sys=$(awk -F': ' '/System time/ {print $2}' "$log")
    r_rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    [ "$r_rss" -gt "$rss" ] && rss=$r_rss
    walls+=("$wall")
    runs+="$(printf "%.2f (%.1f+%.1f) " "$wall" "$user" "$sys")"
  done
  local median
  median=$(printf "%s\n" "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  printf "| %-10s | %6d | %6.2f s | %6.0f | %5.0f MB | %s|\n" "$name" "$n" "$median" "$(echo "$n / $median" | bc -l)" "$(echo "$rss / 1024" | bc -l)" "$runs"
}

# Both tools build into an empty output folder, as CI does on a clean
# checkout. The outputs of an earlier run are removed first, and then the
# script waits six minutes (NO_WAIT=1 skips it): ext4 without a journal,
# this machine's file system, passes over every inode freed in the last
# 60 s, or 360 s once their inode table block is written again, each time
# it creates a file. Creating 20,000 files within minutes of removing
# 20,000 cost up to 7 s of kernel time here, whichever tool ran.
stale=()
for d in "$work"/site-*/public* "$work"/hugo-*/public*; do
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

echo "| tool       |      N | median | postmortems/s | peak RSS | each run: wall (user+system CPU) |"
echo "| ---        |    --- |    ---: |      ---: |    ---: | --- |"
for n in "${sizes[@]}"; do
  site="$work/site-$n-$corpus"; hsite="$work/hugo-$n-$corpus"
  if [ ! -d "$site/content" ]; then "$work/gencorpus" -n "$n" -out "$site"; fi
  if [ -n "$hugo" ] && [ ! -d "$hsite/content" ]; then "$work/gencorpus" -n "$n" -out "$hsite" -hugo; fi
  measure postmortem "$n" "$site/public" "$work/postmortem" build --site "$site" --out @OUT@
  if [ -n "$hugo" ]; then
    measure hugo "$n" "$hsite/public" "$hugo" --quiet --source "$hsite" --destination @OUT@
  fi
done
