#!/usr/bin/env bash
# Runs every test suite of the project (Rust, then each binding and the CLI),
# each stage from scripts/test.d in name order, and prints one closing line
# "tests: N passed, N failed" summed over all runners.
set -uo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
status=0
for stage in scripts/test.d/*.sh; do
  echo "=== ${stage##*/}"
  if ! bash "$stage" 2>&1 | tee -a "$log"; then
    echo "!!! stage ${stage##*/} failed"
    status=1
  fi
done
python3 scripts/summarize_tests.py "$log" || status=1
rm -f "$log"
exit $status
