#!/usr/bin/env bash
# One benchmark runner (not part of the tests): builds release artifacts, starts a
# release emulator in benchmark mode in its own process, runs every client and
# its baselines in alternating rounds after a warm-up round, and prints one table
# of medians, spreads and ratios (see docs/performance.md).
#
#   bash bench/run.sh [--rounds N] [--quick] [--only py|node|wrk|rust|cli|sync]...
#
# Baseline packages live in bench/.venv and bench/node_modules (not the test deps).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
ROUNDS=5
QUICK=""
ONLY=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --quick) QUICK=1; ROUNDS=3; shift ;;
    --only) ONLY+=("$2"); shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
want() { [ ${#ONLY[@]} -eq 0 ] && return 0; local x; for x in "${ONLY[@]}"; do [ "$x" = "$1" ] && return 0; done; return 1; }
LIST_USERS=${LIST_USERS:-50000}; CLI_USERS=${CLI_USERS:-200000}; SYNC_ROWS=${SYNC_ROWS:-10000}; GETS=${GETS:-2000}
if [ -n "$QUICK" ]; then LIST_USERS=5000; CLI_USERS=20000; SYNC_ROWS=1000; GETS=300; fi

WORK="$(mktemp -d)"
OUT="$WORK/results.jsonl"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  # Whatever was measured survives a failed section.
  [ -n "${BENCH_RESULTS:-}" ] && cp "$OUT" "$BENCH_RESULTS" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
note() { python3 -c 'import json,sys; print(json.dumps({"note": sys.argv[1]}))' "$1" >>"$OUT"; }
log() { echo "== $*" >&2; }

# ----- build (release) -----
log "building release artifacts"
cargo build --release -q -p lpconfig-emulator -p lpconfig-cli
cargo build --release -q -p lpconfig --example list_memory
EMU="$ROOT/target/release/lpconfig-emulator"
CLI="$ROOT/target/release/lpconfig"
if want py; then
  if [ ! -x bench/.venv/bin/python ]; then
    python3 -m venv bench/.venv
    bench/.venv/bin/pip install -q --disable-pip-version-check -r bench/requirements.txt
  fi
  log "building the Python extension (release) into bench/.venv"
  (cd python && VIRTUAL_ENV="$ROOT/bench/.venv" PATH="$ROOT/bench/.venv/bin:$PATH" \
    maturin develop --release --quiet 2>&1 | sed -E '/^ +(Compiling|Fresh) /d' >&2)
fi
if want node; then
  [ -d bench/node_modules/undici ] || (cd bench && npm install --no-save --no-audit --no-fund -q undici@7 >&2)
  log "building the Node addon (release) into bench/.node-pkg"
  cargo build --release -q -p lpconfig-node
  rm -rf bench/.node-pkg && mkdir -p bench/.node-pkg
  cp -r node/package.json node/*.js node/lib bench/.node-pkg/
  # Where napi's generated loader (lib/native.js) looks first on this platform.
  cp target/release/liblpconfig_node.so bench/.node-pkg/lib/lpconfig.linux-x64-gnu.node
fi

# ----- emulators -----
start_emu() { # users, extra args... -> sets URL, EPID
  local users="$1"; shift
  "$EMU" --bench --port 0 --bulk-users "$users" "$@" >"$WORK/emu.$users.txt" &
  EPID=$!
  PIDS+=("$EPID")
  for _ in $(seq 600); do grep -q listening "$WORK/emu.$users.txt" 2>/dev/null && break; sleep 0.1; done
  URL="$(head -n 1 "$WORK/emu.$users.txt" | grep -o 'http://[^ ]*')"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$OUT"
note "load average at start: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"

start_emu $((LIST_USERS - 20))
MAIN_URL="$URL"
MAIN_EPID="$EPID"
BEARER="$(curl -s -X POST -H 'content-type: application/json' \
  -d '{"username":"admin","password":"demo-password-1"}' "$MAIN_URL/api/account/demo/login?v=1.3" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["bearer"])')"
GET_URL="$MAIN_URL/api/account/demo/configuration/le-users/users/4052816612?v=4.0&select=\$all"
LIST_URL="$MAIN_URL/api/account/demo/configuration/le-users/users?v=4.0&select=\$all"

wrk_rate() { # connections, url -> one JSON number (req/s)
  wrk -t "$([ "$1" -gt 1 ] && echo 2 || echo 1)" -c "$1" -d "$2" -H "Authorization: Bearer $BEARER" \
    -H 'Accept: application/json' "$3" | awk '/Requests\/sec/ {print $2}'
}
ceiling() { # bench name, connections, duration, url
  local s=() r
  wrk_rate "$2" 1s "$4" >/dev/null
  for _ in $(seq "$ROUNDS"); do r="$(wrk_rate "$2" "$3" "$4")"; s+=("$r"); done
  python3 -c 'import json,sys; print(json.dumps({"bench": sys.argv[1], "client": "wrk ceiling", "unit": "calls/s", "samples": [float(x) for x in sys.argv[2:]]}))' "$1" "${s[@]}" >>"$OUT"
}

# ----- Python -----
if want py; then
  log "Python clients"
  bench/.venv/bin/python bench/py_clients.py --url "$MAIN_URL" --rounds "$ROUNDS" --gets "$GETS" >>"$OUT" ||
    note "the Python clients failed (see stderr); their rows are missing"
fi

# ----- Node -----
if want node; then
  log "Node clients"
  node bench/node_clients.js --url "$MAIN_URL" --emu-pid "$MAIN_EPID" --rounds "$ROUNDS" --gets "$GETS" --lpconfig "$ROOT/bench/.node-pkg" >>"$OUT" ||
    note "the Node clients failed (see stderr); their rows are missing"
fi

# ----- the emulator's ceiling for the same requests (wrk, same URL and headers) -----
if want wrk && command -v wrk >/dev/null; then
  log "wrk ceilings"
  ceiling "py sync get x$GETS" 1 2s "$GET_URL"
  ceiling "py async get, 200 in flight" 200 2s "$GET_URL"
  ceiling "py users.list() of $LIST_USERS users" 1 5s "$LIST_URL"
  ceiling "node sequential get x$GETS" 1 2s "$GET_URL"
  ceiling "node get, 500 in flight" 500 2s "$GET_URL"
fi

# ----- Rust list memory -----
if want rust; then
  log "Rust list of $LIST_USERS users (peak memory)"
  for _ in $(seq "$ROUNDS"); do
    "$ROOT/target/release/examples/list_memory" --url "$MAIN_URL" --json >>"$WORK/rust.jsonl"
  done
  python3 - "$WORK/rust.jsonl" "$LIST_USERS" >>"$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print(json.dumps({"bench": f"rust users().list() of {sys.argv[2]} users", "client": "lpconfig", "unit": "× JSON size (peak memory growth)", "samples": [r["peak_ratio"] for r in rows]}))
print(json.dumps({"bench": f"rust users().list() of {sys.argv[2]} users, time", "client": "lpconfig", "unit": "s", "samples": [r["seconds"] for r in rows]}))
PY
fi
kill "$EPID" 2>/dev/null || true

# ----- CLI users list at CLI_USERS -----
if want cli; then
  log "CLI users list of $CLI_USERS users"
  start_emu $((CLI_USERS - 20))
  : >"$WORK/cli.jsonl"
  "$ROOT/target/release/examples/list_memory" --url "$URL" --json >/dev/null # warm-up
  for fmt in json jsonl csv; do HOME="$WORK" LP_SANDBOX_URL="$URL" "$CLI" users list -o "$fmt" >/dev/null; done
  core_list() {
    "$ROOT/target/release/examples/list_memory" --url "$URL" --json |
      python3 -c 'import json,sys; r=json.load(sys.stdin); print(json.dumps({"what":"core","s":r["seconds"],"json":r["json_bytes"]}))' >>"$WORK/cli.jsonl"
  }
  cli_list() {
    HOME="$WORK" LP_SANDBOX_URL="$URL" /usr/bin/time -f "%e %M" -o "$WORK/t" "$CLI" users list -o "$1" >/dev/null
    read -r secs kib <"$WORK/t"
    echo "{\"what\":\"$1\",\"s\":$secs,\"kib\":$kib}" >>"$WORK/cli.jsonl"
  }
  # The order flips every round (core list first, then last), as in the other sections.
  for r in $(seq "$ROUNDS"); do
    if [ $((r % 2)) -eq 1 ]; then
      core_list
      for fmt in json jsonl csv; do cli_list "$fmt"; done
    else
      for fmt in csv jsonl json; do cli_list "$fmt"; done
      core_list
    fi
  done
  python3 - "$WORK/cli.jsonl" "$CLI_USERS" >>"$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
core = [r for r in rows if r["what"] == "core"]
size = core[0]["json"]
print(json.dumps({"bench": f"CLI users list of {sys.argv[2]} users, time", "client": "core list (baseline)", "unit": "s", "samples": [r["s"] for r in core]}))
for fmt in ("json", "jsonl", "csv"):
    rs = [r for r in rows if r["what"] == fmt]
    print(json.dumps({"bench": f"CLI users list of {sys.argv[2]} users, time", "client": f"lpconfig -o {fmt}", "unit": "s", "samples": [r["s"] for r in rs]}))
    print(json.dumps({"bench": f"CLI users list of {sys.argv[2]} users, peak RSS", "client": f"lpconfig -o {fmt}", "unit": "× JSON size", "samples": [r["kib"] * 1024 / size for r in rs]}))
print(json.dumps({"note": f"CLI: JSON body of {sys.argv[2]} users = {size / 1e6:.1f} MB; ratios to the core list: " + ", ".join(
    f"-o {f} {sorted(r['s'] for r in rows if r['what'] == f)[len(core) // 2] / sorted(r['s'] for r in core)[len(core) // 2]:.2f}× its time" for f in ("json", "jsonl", "csv"))}))
PY
  kill "$EPID" 2>/dev/null || true
fi

# ----- sync: client CPU apart from the emulator's -----
if want sync; then
  log "sync of $SYNC_ROWS rows (fresh benchmark-mode emulator per round)"
  python3 - "$SYNC_ROWS" "$WORK/staff.csv" <<'PY'
import csv, sys
rows, path = int(sys.argv[1]), sys.argv[2]
skills = ["Billing", "Technical Support", "Sales", "VIP"]
with open(path, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["login_name", "full_name", "email", "roles", "group", "skills", "max_chats", "enabled", "password"])
    for i in range(rows):
        login = f"agent{i:05d}"
        region = i % 20
        w.writerow([login, f"Agent {i:05d}", f"{login}@example.com", "Agent", f"Region {region:02d}/R{region:02d} Team {i // 20 % 10}",
                    f"{skills[i % 4]};{skills[(i + 1) % 4]}", 1 + i % 5, "true", f"Initial-pass-{i:05d}"])
PY
  : >"$WORK/sync.jsonl"
  hz="$(getconf CLK_TCK)"
  for r in $(seq 0 "$ROUNDS"); do
    start_emu 0
    before="$(cpu_ticks "$EPID")"
    HOME="$WORK" LP_SANDBOX_URL="$URL" /usr/bin/time -f "%e %U %S %M" -o "$WORK/t" \
      "$CLI" sync "$WORK/staff.csv" -q --apply --no-verify >/dev/null
    after="$(cpu_ticks "$EPID")"
    read -r wall usr sys kib <"$WORK/t"
    [ "$r" -gt 0 ] && echo "{\"wall\":$wall,\"client\":$(python3 -c "print($usr+$sys)"),\"emu\":$(python3 -c "print(($after-$before)/$hz)"),\"kib\":$kib}" >>"$WORK/sync.jsonl"
    kill "$EPID"; wait "$EPID" 2>/dev/null || true
  done
  python3 - "$WORK/sync.jsonl" "$SYNC_ROWS" >>"$OUT" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
b = f"sync plan + apply of {sys.argv[2]} new users"
print(json.dumps({"bench": b, "client": "lpconfig wall", "unit": "s", "samples": [r["wall"] for r in rows]}))
print(json.dumps({"bench": b, "client": "lpconfig client CPU", "unit": "s", "samples": [r["client"] for r in rows]}))
print(json.dumps({"bench": b, "client": "emulator CPU", "unit": "s", "samples": [r["emu"] for r in rows]}))
share = statistics.median(r["client"] / (r["client"] + r["emu"]) for r in rows)
print(json.dumps({"note": f"sync: the client is {share * 100:.0f}% of the CPU spent (client + benchmark-mode emulator); peak client RSS {statistics.median(r['kib'] for r in rows) / 1024:.0f} MB"}))
PY
fi

note "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/table.py "$OUT"
