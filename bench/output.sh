#!/usr/bin/env bash
# Counts the files and bytes of a built site, in all and per postmortem, by
# top-level folder: how the output fits static hosts (file count and size
# limits).
#
#   bench/output.sh PUBLIC N      # PUBLIC: an output folder; N: postmortems built
set -euo pipefail
out=$1 n=$2
[ -d "$out" ] || { echo "no folder $out"; exit 1; }
printf "| part | files | files per postmortem | MB | bytes per postmortem |\n| --- | ---: | ---: | ---: | ---: |\n"
row() { # row NAME FILES BYTES
  printf "| %s | %d | %.3f | %.1f | %.0f |\n" "$1" "$2" "$(echo "$2 / $n" | bc -l)" "$(echo "$3 / 1048576" | bc -l)" "$(echo "$3 / $n" | bc -l)"
}
part() { # part NAME FIND-ARGS...: the regular files find selects
  local name=$1; shift
  local files bytes
  files=$(find "$@" -type f -print | wc -l)
  bytes=$(find "$@" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f\n", s}')
  row "$name" "$files" "$bytes"
}
later='.*\.[0-9]+\.html' # NAME.N.html: page N of a list
part "incidents/*.html (a page each, and the catalog's first page)" "$out/incidents" -maxdepth 1 -name '*.html' ! -regex "$later"
part "incidents/SLUG/ (bundle files)" "$out/incidents" -mindepth 2
part "NAME.N.html (pages 2 and on of lists, but the ledger's)" "$out" -path "$out/action-items*" -prune -o -regex "$later"
part "action-items*.N.html (the ledger's pages 2 and on)" "$out" -path "$out/action-items*" -regex "$later"
[ -d "$out/action-items" ] && part "action-items/ (the ledger's first pages: owners, by postmortem)" "$out/action-items" ! -regex "$later"
part "search/" "$out/search"
for d in root-causes contributing-factors services severities years tags; do
  [ -d "$out/$d" ] && part "$d/ (first pages of terms)" "$out/$d" ! -regex "$later"
done
part "top level (exports, indexes, 404)" "$out" -maxdepth 1 ! -regex "$later"
part "assets/" "$out/assets"
part "all" "$out"
printf "\nHTML pages over 300 KB: %d; the largest: %s\n" \
  "$(find "$out" -name '*.html' -size +300k | wc -l)" \
  "$(find "$out" -name '*.html' -printf '%s %P\n' | sort -n | tail -1)"
