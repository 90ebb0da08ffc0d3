#!/usr/bin/env bash
# CI's check that every benchmark still runs, each on a small size: figures are printed, never
# judged (a time measured on CI's shared machine means nothing); a benchmark that fails to run
# fails this. Each one's output goes to artefacts/bench-smoke/<name>.log; one line each here.
# bench:cluster is left to npm run test:cluster, which runs the same cluster (and bench:console
# needs the console's build).
set -uo pipefail
cd "$(dirname "$0")/.."
out=artefacts/bench-smoke
mkdir -p "$out"
status=0
run() {
  local name=$1
  shift
  local start=$SECONDS
  if npm run -s "$name" -- "$@" >"$out/$name.log" 2>&1; then
    echo "$name $*: ran in $((SECONDS - start)) s"
  else
    echo "$name $*: FAILED after $((SECONDS - start)) s; last lines of $out/$name.log:"
    tail -n 20 "$out/$name.log"
    status=1
  fi
}
run bench 20 0 1
run bench:webhooks 10 5
run bench:webhooks 10 5 --baseline
run bench:memory 20,40 512 10
run bench:stuck 500 10 1000 3
run bench:replay "$(ls test/histories/household-run-v*-happy.json | sort -V | tail -n 1)" 5 --no-watchdog
exit "$status"
