#!/usr/bin/env bash
# Golden comparison for refactors: every report × output × a few options over
# the sample logs and ../shared/real-logs (when present), written to OUTDIR.
# Run with the old and the new binary, then `diff -r OLD NEW`:
#   tests/golden.sh /tmp/logstat.old /tmp/g-old; tests/golden.sh target/release/logstat /tmp/g-new
# usage: golden.sh BIN OUTDIR
BIN=$(realpath "$1"); OUT=$(realpath -m "$2"); rm -rf "$OUT"; mkdir -p "$OUT"
cd "$(dirname "$0")"
LOGS="$(ls ../sample-logs/*.log) $(ls ${SHARED:-../../shared}/real-logs/*.log 2>/dev/null)"
REPORTS="summary files class status routes windows latency sizes malformed findings records"
for log in $LOGS; do b=$(basename $log .log); cd "$(dirname "$log")"; log=$b.log
  $BIN $log --tz UTC > $OUT/$b.default.txt 2>$OUT/$b.default.err; echo $? >> $OUT/$b.default.err
  $BIN $log --tz UTC --color always > $OUT/$b.color.txt 2>&1
  $BIN $log --tz UTC -f json > $OUT/$b.default.json 2>&1
  $BIN $log --tz UTC -r findings --failures 4xx,5xx,-404 > $OUT/$b.ff.txt 2>&1
  $BIN $log --tz UTC --top 3 -r routes,status --window 1h > $OUT/$b.top.txt 2>&1
  for r in $REPORTS; do
    $BIN $log --tz UTC -q -r $r -f csv > $OUT/$b.$r.csv 2>&1; echo $? >> $OUT/$b.$r.csv
    $BIN $log --tz UTC -q -r $r -f json > $OUT/$b.$r.json 2>&1
    $BIN $log --tz UTC -q -r $r > $OUT/$b.$r.txt 2>&1
  done
  $BIN $log --tz UTC -q --save-state $OUT/$b.state -r summary -f csv >/dev/null 2>&1
  $BIN merge $OUT/$b.state $OUT/$b.state > $OUT/$b.merge.txt 2>&1
  $BIN merge $OUT/$b.state -f csv -r routes > $OUT/$b.merge.csv 2>&1
  $BIN $log --tz UTC -q --fail-if '5xx > 0.1%' --fail-if 'p99 > 5ms' -r summary > $OUT/$b.fail.txt 2>&1; echo $? >> $OUT/$b.fail.txt
  rm -f $OUT/$b.state
  cd - >/dev/null
done
for e in 499 "301 308" 4xx "--list"; do $BIN explain $e > "$OUT/explain.${e// /_}.txt" 2>&1; done
$BIN --window 5q x.log > $OUT/err.window.txt 2>&1; echo $? >> $OUT/err.window.txt
$BIN merge --window 5q x > $OUT/err.mwindow.txt 2>&1; echo $? >> $OUT/err.mwindow.txt
$BIN --fail-if 'bogus' x.log > $OUT/err.fail.txt 2>&1; echo $? >> $OUT/err.fail.txt
$BIN --status 6xx x.log > $OUT/err.status.txt 2>&1; echo $? >> $OUT/err.status.txt
$BIN --log-format 'nginx:$a$b' x.log > $OUT/err.fmt.txt 2>&1; echo $? >> $OUT/err.fmt.txt
