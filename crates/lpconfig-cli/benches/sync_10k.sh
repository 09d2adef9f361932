#!/usr/bin/env bash
# Benchmark (not part of the tests): `lpconfig sync` plan + apply of a generated
# 10,000-row staff file against the emulator, and `lpconfig users list` cold start.
#
#   bash crates/lpconfig-cli/benches/sync_10k.sh [ROWS]
#
# Targets (issue #8): plan + apply of 10,000 rows < 5 s with peak memory < 200 MB;
# `users list` on the built-in sandbox < 300 ms from a cold start.
# Times come from GNU time (/usr/bin/time) when present, else bash's `time`.
set -euo pipefail
ROWS="${1:-10000}"
ROOT="$(cd "$(dirname "$0")/../../.." && pwd)"
cd "$ROOT"
cargo build --release -q -p lpconfig-cli
BIN="$ROOT/target/release/lpconfig"
WORK="$(mktemp -d)"
EMU_PID=""
cleanup() {
    if [ -n "$EMU_PID" ]; then kill "$EMU_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
export HOME="$WORK" NO_COLOR=1
unset LP_ACCOUNT LP_USERNAME LP_PASSWORD LP_APP_KEY LP_SECRET LP_ACCESS_TOKEN LP_ACCESS_TOKEN_SECRET LP_CSDS_URL LP_PROFILE LP_SANDBOX_URL

# 10,000 agents in 20 regions x 10 teams (200 new groups), demo skills, a password column.
python3 - "$ROWS" "$WORK/staff.csv" <<'EOF'
import csv, sys
rows, path = int(sys.argv[1]), sys.argv[2]
skills = ["Billing", "Technical Support", "Sales", "VIP"]
with open(path, "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["login_name", "full_name", "email", "roles", "group", "skills", "max_chats", "enabled", "password"])
    for i in range(rows):
        login = f"agent{i:05d}"
        region = i % 20
        group = f"Region {region:02d}/R{region:02d} Team {i // 20 % 10}"  # group names are unique account-wide
        w.writerow([login, f"Agent {i:05d}", f"{login}@example.com", "Agent", group,
                    f"{skills[i % 4]};{skills[(i + 1) % 4]}", 1 + i % 5, "true", f"Initial-pass-{i:05d}"])
EOF

measure() { # label, command...
    local label="$1"; shift
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "$label: %e s wall, %M KB peak RSS" "$@" >"$WORK/out.txt" 2>"$WORK/err.txt" || { cat "$WORK/err.txt"; return 1; }
        tail -n 1 "$WORK/err.txt"
    else
        local t0 t1; t0=$(date +%s.%N); "$@" >"$WORK/out.txt" 2>"$WORK/err.txt"; t1=$(date +%s.%N)
        echo "$label: $(echo "$t1 - $t0" | bc) s wall"
    fi
    grep -E "^(Plan|Applied|Verified|No changes)" "$WORK/out.txt" | sed 's/^/    /' || true
}

# A standalone emulator, so the CLI's own memory is measured apart from the server's.
"$BIN" emulator serve --port 0 >"$WORK/emu.txt" &
EMU_PID=$!
for _ in $(seq 50); do grep -q listening "$WORK/emu.txt" 2>/dev/null && break; sleep 0.1; done
URL="$(head -n 1 "$WORK/emu.txt" | grep -o 'http://[^ ]*')"
export LP_SANDBOX_URL="$URL"

echo "== sync of $ROWS rows against $URL (release build)"
measure "plan only          " "$BIN" sync "$WORK/staff.csv" -q
measure "plan + apply       " "$BIN" sync "$WORK/staff.csv" -q --apply --no-verify
measure "re-plan (no change)" "$BIN" sync "$WORK/staff.csv" -q --apply
# Every row changes: max chats + 1 and another skill set (10,000 guarded updates).
python3 - "$WORK/staff.csv" "$WORK/changed.csv" <<'EOF2'
import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
for r in rows[1:]:
    r[6] = str(int(r[6]) + 1)
    r[5] = "VIP"
csv.writer(open(sys.argv[2], "w", newline=""), lineterminator="\n").writerows(rows)
EOF2
measure "plan + apply of $ROWS updates" "$BIN" sync "$WORK/changed.csv" -q --apply --no-verify
unset LP_SANDBOX_URL
measure "embedded sandbox: plan + apply + verify (CLI and emulator in one process)" \
    "$BIN" --sandbox sync "$WORK/staff.csv" -q --apply

echo "== cold start: lpconfig users list on the built-in sandbox"
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 2 --runs 20 "$BIN --version" "$BIN users list"
else
    for cmd in "--version" "users list"; do
        best=999; total=0
        for _ in $(seq 20); do
            t0=$(date +%s%N); $BIN $cmd >/dev/null 2>&1; t1=$(date +%s%N)
            ms=$(( (t1 - t0) / 1000000 )); total=$((total + ms)); [ "$ms" -lt "$best" ] && best=$ms
        done
        echo "lpconfig $cmd: mean $((total / 20)) ms, best $best ms (20 runs)"
    done
fi
