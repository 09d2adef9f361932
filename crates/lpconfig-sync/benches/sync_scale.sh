#!/usr/bin/env bash
# Sync at scale (a benchmark, not a test): release build, the emulator in its own
# process, a warm-up round, then alternating rounds; prints medians and spreads.
#   bash crates/lpconfig-sync/benches/sync_scale.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/../../.."
ROUNDS="${1:-3}"
cargo build --release -q -p lpconfig-emulator --bin lpconfig-emulator
cargo build --release -q -p lpconfig-sync --example sync_scale
BIN=target/release/examples/sync_scale
export LPCONFIG_EMULATOR=target/release/lpconfig-emulator
OUT=$(mktemp)
# Warm-up (page cache, CPU frequency), not counted.
"$BIN" plan 10000 > /dev/null
for _ in $(seq "$ROUNDS"); do
  "$BIN" plan 10000 >> "$OUT"
  "$BIN" plan 100000 >> "$OUT"
  "$BIN" apply 50000 >> "$OUT"
done
python3 - "$OUT" <<'PY'
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1])]
def stat(rs, k):
    v = sorted(r[k] for r in rs)
    return f"{statistics.median(v):.3f} (min {v[0]:.3f}, max {v[-1]:.3f})"
groups = {}
for r in runs:
    groups.setdefault((r["mode"], r["rows"]), []).append(r)
for (mode, rows), rs in sorted(groups.items()):
    print(f"{mode} {rows} rows, {len(rs)} rounds, {rs[0]['changes']} changes, {rs[0]['outcome']}")
    for k in ["plan_s", "snapshot_s", "build_s", "apply_s", "wall_s", "client_cpu_s", "emulator_cpu_s", "client_peak_rss_mb"]:
        print(f"  {k:20} {stat(rs, k)}")
p10 = statistics.median(r["plan_s"] for r in groups[("plan", 10000)])
p100 = statistics.median(r["plan_s"] for r in groups[("plan", 100000)])
print(f"growth: plan 100k / plan 10k = {p100 / p10:.1f}x for 10x the rows")
PY
rm -f "$OUT"
