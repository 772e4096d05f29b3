#!/usr/bin/env bash
# Whole-binary benchmark, page cache warm, runs alternated so that the
# machine's drift hits every command alike. Prints medians and the ratios
# issue 10 names:
#   1. a real-shaped ~100 MB log (genlog --real: long browser agents,
#      referrers, crawlers, scanners, ~22 k routes over two weeks) and
#   2. a generated 1 GiB combined log:
#      logstat (default report, all cores) and `-j1` against
#      mawk '{c[$9]++} END{…}' (and `wc -l` on 1 GiB), and -j1 vs all cores;
#   3. what must not get slower: gzip and zstd input, a timed log with the
#      latency report, records mode, 10 M distinct paths; with BASE=path to
#      an older logstat binary, each is also run with it, alternated.
#   4. records to Parquet on 1 GiB against the default report (issue 17);
#   5. goaccess on a 20 MB slice (lines per second), when installed.
#
#   benches/compare.sh [RUNS]          RUNS default 5 (7 for the two main files)
#   LOGSTAT_BENCH_DIR=/tmp/x BASE=/tmp/logstat-old benches/compare.sh
#   WARMUP=N: untimed rounds of every command of sections 1-2 first
#   (default 3): on the 2-vCPU VM this was written on, the first run after
#   other work was reliably slower, and in some hours the first few
#   (benches/RESULTS.md).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-5}
DIR=${LOGSTAT_BENCH_DIR:-bench-data}
BASE=${BASE:-}
WARMUP=${WARMUP:-3}
mkdir -p "$DIR"
command -v bc >/dev/null || { echo "needs bc (apt-get install bc)"; exit 1; }
command -v mawk >/dev/null || { echo "needs mawk (apt-get install mawk)"; exit 1; }

cargo build --release --quiet --bin logstat --example genlog
BIN=target/release/logstat
GEN=target/release/examples/genlog
REAL="$DIR/real-100M.log"
BIG="$DIR/combined-1G.log"
[ -s "$REAL" ] || { echo "generating $REAL ..."; "$GEN" 100M --seed 1 --real --per-day 35000 > "$REAL"; }
[ -s "$BIG" ] || { echo "generating $BIG ..."; "$GEN" 1G --seed 1 > "$BIG"; }

MAWK=(mawk '{c[$9]++} END{for(k in c) print k, c[k]}')
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
secs() { local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; t1=$(date +%s.%N); echo "$t1 - $t0" | bc -l; }
ratio() { echo "$1/$2" | bc -l; }

# Alternate logstat (all cores), logstat -j1, mawk and wc -l on one file.
main_file() {
  local f=$1 runs=$2 a=() b=() m=() w=()
  cat "$f" > /dev/null
  for _ in $(seq "$WARMUP"); do
    "$BIN" "$f" -q --color never > /dev/null; "$BIN" "$f" -q --color never -j1 > /dev/null
    "${MAWK[@]}" "$f" > /dev/null; wc -l "$f" > /dev/null
  done
  for _ in $(seq "$runs"); do
    a+=("$(secs "$BIN" "$f" -q --color never)")
    b+=("$(secs "$BIN" "$f" -q --color never -j1)")
    m+=("$(secs "${MAWK[@]}" "$f")")
    w+=("$(secs wc -l "$f")")
  done
  local ta tb tm tw
  ta=$(med "${a[@]}"); tb=$(med "${b[@]}"); tm=$(med "${m[@]}"); tw=$(med "${w[@]}")
  echo "== $f: $(stat -c %s "$f") bytes, $(wc -l < "$f") lines, $(nproc) cores, median of $runs"
  printf '  %-36s %7.3f s  %6.0f MB/s\n' "logstat (default report, all cores)" "$ta" "$(echo "$(stat -c %s "$f")/$ta/1000000" | bc -l)"
  printf '  %-36s %7.3f s\n' "logstat -j1" "$tb"
  printf '  %-36s %7.3f s\n' "mawk '{c[\$9]++}'" "$tm"
  printf '  %-36s %7.3f s\n' "wc -l" "$tw"
  printf '  ratio mawk/logstat %.2fx   mawk/logstat-j1 %.2fx   -j1/all-cores %.2fx   logstat/wc-l %.2fx\n' \
    "$(ratio "$tm" "$ta")" "$(ratio "$tm" "$tb")" "$(ratio "$tb" "$ta")" "$(ratio "$ta" "$tw")"
}
main_file "$REAL" $((RUNS + 2))
main_file "$BIG" $((RUNS + 2))

# What must not get slower.
TLOG="$DIR/timed-1G.log"
[ -s "$TLOG" ] || "$GEN" 1G --seed 1 --timings > "$TLOG"
GZ="$BIG.gz"; ZST="$BIG.zst"
[ -s "$GZ" ] || gzip -1 -c "$BIG" > "$GZ"
if command -v zstd >/dev/null; then [ -s "$ZST" ] || zstd -q -1 -c "$BIG" > "$ZST"; fi
DISTINCT="$DIR/distinct-1G.log"
# Every line its own path (10 M distinct routes would need 10 M lines; this
# is 6.4 M): the route bound at work.
[ -s "$DISTINCT" ] || awk '{ $7 = "/p/z" NR; print }' "$BIG" > "$DISTINCT"
cases=(
  "combined|$BIG"
  "gzip -1 input|$GZ"
  "timed log (+latency report)|$TLOG"
  "records CSV|$BIG -r records -f csv"
  "distinct paths (route bound)|$DISTINCT"
)
[ -s "$ZST" ] && cases+=("zstd -1 input|$ZST")
echo "== must not get slower (median of $RUNS${BASE:+, alternated with BASE=$BASE})"
for c in "${cases[@]}"; do
  label=${c%%|*}; args=${c#*|}
  # shellcheck disable=SC2086
  cat ${args%% *} > /dev/null
  n=(); o=()
  for _ in $(seq "$RUNS"); do
    # shellcheck disable=SC2086
    n+=("$(secs "$BIN" $args -q --color never)")
    # shellcheck disable=SC2086
    [ -n "$BASE" ] && o+=("$(secs "$BASE" $args -q --color never)")
  done
  if [ -n "$BASE" ]; then
    printf '  %-32s %7.3f s   base %7.3f s   new/base %.2fx\n' "$label" "$(med "${n[@]}")" "$(med "${o[@]}")" "$(ratio "$(med "${n[@]}")" "$(med "${o[@]}")")"
  else
    printf '  %-32s %7.3f s\n' "$label" "$(med "${n[@]}")"
  fi
done

# Issue 17: records of the 1 GiB file to Parquet against the default
# report (target: within 4x), alternated.
PQ="$DIR/parquet-out"
pq=(); dr=()
cat "$BIG" > /dev/null
for _ in $(seq "$RUNS"); do
  pq+=("$(secs "$BIN" "$BIG" -q -r records -f parquet -o "$PQ")")
  dr+=("$(secs "$BIN" "$BIG" -q)")
done
printf '== records -> Parquet, 1 GiB (median of %s): %.3f s, default report %.3f s, ratio %.2fx (%s MB written)\n' \
  "$RUNS" "$(med "${pq[@]}")" "$(med "${dr[@]}")" "$(ratio "$(med "${pq[@]}")" "$(med "${dr[@]}")")" \
  "$(( $(stat -c %s "$PQ/records.parquet") / 1000000 ))"
rm -rf "$PQ"

# Issue 15: JSON lines (nginx escape=json) of the same real-shaped traffic,
# about the same bytes: time per byte against the combined file, one thread
# and all cores, alternated.
JSON="$DIR/real-100M.json"
[ -s "$JSON" ] || "$GEN" 100M --seed 1 --real --per-day 35000 --json > "$JSON"
cat "$JSON" "$REAL" > /dev/null
jc=(); jj=(); cc=(); cj=()
for _ in $(seq "$RUNS"); do
  cc+=("$(secs "$BIN" "$REAL" -q -j1)"); jj+=("$(secs "$BIN" "$JSON" -q -j1)")
  cj+=("$(secs "$BIN" "$REAL" -q)"); jc+=("$(secs "$BIN" "$JSON" -q)")
done
per() { echo "($1/$(stat -c %s "$2"))/($3/$(stat -c %s "$4"))" | bc -l; }
printf '== JSON lines vs combined, same traffic (%s vs %s bytes; median of %s)
' "$(stat -c %s "$JSON")" "$(stat -c %s "$REAL")" "$RUNS"
printf '  -j1:       json %7.3f s  combined %7.3f s  time per byte json/combined %.2fx
' "$(med "${jj[@]}")" "$(med "${cc[@]}")" "$(per "$(med "${jj[@]}")" "$JSON" "$(med "${cc[@]}")" "$REAL")"
printf '  all cores: json %7.3f s  combined %7.3f s  time per byte json/combined %.2fx
' "$(med "${jc[@]}")" "$(med "${cj[@]}")" "$(per "$(med "${jc[@]}")" "$JSON" "$(med "${cj[@]}")" "$REAL")"

if command -v goaccess >/dev/null; then
  # goaccess runs at tens of thousands of lines/s: time it on a 20 MB slice.
  SLICE="$DIR/slice-20M.log"
  head -c 20000000 "$REAL" | head -n -1 > "$SLICE"
  slines=$(wc -l < "$SLICE")
  ga=$(secs goaccess "$SLICE" --log-format=COMBINED -o /dev/null --no-progress)
  ls_t=$(secs "$BIN" "$SLICE" -q)
  printf '== goaccess on a 20 MB real-shaped slice: %.0f lines/s; logstat %.0f lines/s (%.0fx)\n' \
    "$(echo "$slines/$ga" | bc -l)" "$(echo "$slines/$ls_t" | bc -l)" "$(ratio "$ga" "$ls_t")"
fi
