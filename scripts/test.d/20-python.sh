#!/usr/bin/env bash
# The Python package: ruff (lint + format), mypy --strict on the package and its
# tests, then pytest against the in-process emulator. Uses the lpconfig that
# scripts/install.d/20-python.sh built; rebuilds it (debug, `maturin develop`)
# only when a source changed since that build.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || bash scripts/install.d/20-python.sh
export VIRTUAL_ENV="$PWD/.venv"
py=.venv/bin/python
so=$("$py" -c "import lpconfig._native as n; print(n.__file__)" 2>/dev/null || true)
stale=""
if [ -z "$so" ]; then
  stale=yes
else
  stale=$(find bindings/python crates/lpconfig/src crates/lpconfig-emulator/src python/lpconfig Cargo.lock \
    -type f \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name '*.toml' -o -name Cargo.lock \) \
    -newer "$so" -print -quit)
fi
if [ -n "$stale" ]; then
  echo "rebuilding lpconfig (sources changed since the installed build)"
  (cd python && ../.venv/bin/maturin develop --quiet 2>&1 | sed -E '/^ +(Compiling|Fresh) /d')
fi
cd python
../.venv/bin/ruff check .
../.venv/bin/ruff format --check .
../.venv/bin/mypy --strict lpconfig tests bench
# The hand-written stubs of the native module must match what it exports.
../.venv/bin/python -m mypy.stubtest lpconfig._native
# The pytest script (not `python -m pytest`) keeps ./lpconfig, which has no
# compiled module in a fresh checkout, off sys.path: the installed package is tested.
../.venv/bin/pytest -p no:cacheprovider tests
