#!/usr/bin/env bash
# Chaos figures (not part of CI): a 2,000-row sync under random faults over
# several seeds, release build, one table. Args: ROWS SEEDS FAULT_RATE.
# See crates/lpconfig/examples/chaos.rs for what each column counts.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run --release -q -p lpconfig --example chaos -- "${1:-2000}" "${2:-5}" "${3:-0.02}"
