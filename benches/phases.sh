#!/usr/bin/env bash
# Where a run's time goes, one thread against all cores: runs logstat with
# LOGSTAT_PHASES=1 on FILE, alternating -j1 and the default run by run, and
# prints each phase's median milliseconds for both, with the ratio, then
# when the last worker of each batch started counting (ms after the batch
# began: a late start is a core idle at the start of the batch).
#
#   benches/phases.sh [FILE] [RUNS]    FILE default bench-data/real-100M.log
#                                      (made by benches/compare.sh), RUNS 15
set -euo pipefail
cd "$(dirname "$0")/.."
FILE=${1:-bench-data/real-100M.log}
RUNS=${2:-15}
[ -s "$FILE" ] || { echo "no $FILE (benches/compare.sh generates it)"; exit 1; }
cargo build --release --quiet --bin logstat
BIN=target/release/logstat
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

cat "$FILE" > /dev/null
for i in $(seq "$RUNS"); do
  for j in 1 all; do
    args=(); [ "$j" = 1 ] && args=(-j1)
    LOGSTAT_PHASES=1 "$BIN" "$FILE" -q --color never "${args[@]}" 2> "$OUT/$j.$i" > /dev/null
  done
done

# One line per run and phase: "phase-name ms late-ms", batches numbered.
table() {
  cat "$OUT/$1".* | awk '
    /^logstat: phase/ {
      at = $3; own = substr($5, 2); what = $0; sub(/.* ms  /, "", what)
      if (what ~ /^batch/) {
        n++; late = 0
        rest = what
        while (match(rest, /at [0-9.]+ ms/)) {
          t = substr(rest, RSTART + 3, RLENGTH - 6) - prev
          if (t > late) late = t
          rest = substr(rest, RSTART + RLENGTH)
        }
        printf "batch%d %s %s\n", n, own, late
      } else {
        split(what, w, ","); name = w[1]; gsub(/ /, "_", name)
        printf "%s %s -\n", name, own
      }
      prev = at
      if (what ~ /^report written/) n = 0
    }'
}
med() { sort -g | awk '{a[NR]=$1} END {if (NR) print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

echo "== $FILE, $(nproc) cores, medians of $RUNS alternated runs (ms)"
printf '  %-28s %9s %9s %7s %14s\n' phase "-j1" "all" "ratio" "last start"
table 1 > "$OUT/t1"; table all > "$OUT/tall"
awk '{print $1}' "$OUT/t1" | awk '!seen[$0]++' | while read -r p; do
  a=$(awk -v p="$p" '$1 == p {print $2}' "$OUT/t1" | med)
  b=$(awk -v p="$p" '$1 == p {print $2}' "$OUT/tall" | med)
  l=$(awk -v p="$p" '$1 == p && $3 != "-" {print $3}' "$OUT/tall" | med)
  [ -n "$b" ] || continue
  r=$(awk -v a="$a" -v b="$b" 'BEGIN {if (b > 0) printf "%.2f", a / b}')
  printf '  %-28s %9.3f %9.3f %7s %14s\n' "$p" "$a" "$b" "${r}x" "${l:--}"
done
tot() { for f in "$OUT/$1".*; do awk '/^logstat: phase/ {t = $3} END {print t}' "$f"; done | med; }
a=$(tot 1); b=$(tot all)
printf '  %-28s %9.3f %9.3f %7s\n' "main to report (total)" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2fx", a / b}')"
