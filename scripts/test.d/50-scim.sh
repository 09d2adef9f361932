#!/usr/bin/env bash
# SCIM conformance: the independent scim2-tester suite (PyPI) against
# `lpconfig scim serve --sandbox` on a free port. The closing line is
# `scim-conformance: N passed, N failed`; any failure fails the stage.
set -euo pipefail
cd "$(dirname "$0")/../.."
.venv/bin/python -c "import scim2_tester, httpx2" 2>/dev/null || bash scripts/install.d/50-scim.sh
cargo build -q -p lpconfig-cli
out=$(mktemp)
token="ci-$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')"
LP_SCIM_TOKEN="$token" target/debug/lpconfig scim serve --sandbox --listen 127.0.0.1:0 \
  --mapping scripts/scim/conformance-mapping.toml >"$out" 2>/tmp/scim-serve-err.log &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 1 100); do
  grep -q '^scim: listening on ' "$out" && break
  kill -0 "$pid" 2>/dev/null || { echo "scim serve exited early"; exit 1; }
  sleep 0.1
done
url=$(sed -n 's/^scim: listening on //p' "$out")
[ -n "$url" ] || { echo "scim serve did not start"; exit 1; }
.venv/bin/python scripts/scim/conformance.py "$url" "$token"
