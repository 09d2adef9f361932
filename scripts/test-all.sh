#!/usr/bin/env bash
# Runs every test suite of the project (Rust, then each binding and the CLI),
# each stage from scripts/test.d in name order, and prints one closing line
# "tests: N passed, N failed" summed over all runners.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
status=0
failed_stages=""
tails=""
for stage in scripts/test.d/*.sh; do
  echo "=== ${stage##*/}"
  stage_log=$(mktemp)
  if ! bash "$stage" 2>&1 | tee "$stage_log"; then
    echo "!!! stage ${stage##*/} failed"
    tails="$tails
--- last lines of ${stage##*/}:
$(tail -n 40 "$stage_log")"
    status=1
    failed_stages="$failed_stages ${stage##*/}"
  fi
  cat "$stage_log" >>"$log"
  rm -f "$stage_log"
done
python3 scripts/summarize_tests.py "$log" || status=1
# The last lines are what a CI page shows first: name the stages that failed.
if [ -n "$failed_stages" ]; then
  echo "$tails"
  echo "failed stages:$failed_stages"
fi
rm -f "$log"
exit $status
