#!/usr/bin/env bash
# The Python package: ruff (lint + format), mypy --strict on the package and its
# tests, then pytest against the emulator (a subprocess, lpconfig.testing). Uses the
# wheels that scripts/install.d/20-python.sh installed from dist/python; rebuilds
# (debug, `maturin develop`) the extension or the emulator program only when a source
# changed since that install.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || bash scripts/install.d/20-python.sh
export VIRTUAL_ENV="$PWD/.venv"
py=.venv/bin/python
newer_than() { # file, then sources: prints the first source newer than the file
  local file=$1
  shift
  find "$@" -type f \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name '*.toml' -o -name Cargo.lock \) \
    -newer "$file" -print -quit
}
so=$("$py" -c "import lpconfig._native as n; print(n.__file__)" 2>/dev/null || true)
if [ -z "$so" ] || [ -n "$(newer_than "$so" bindings/python crates/lpconfig/src crates/lpconfig-sync/src \
  python/lpconfig python/pyproject.toml Cargo.lock)" ]; then
  echo "rebuilding lpconfig (sources changed since the installed build)"
  (cd python && ../.venv/bin/maturin develop --quiet 2>&1 | sed -E '/^ +(Compiling|Fresh) /d')
fi
emu=$("$py" -c "from lpconfig.testing import emulator_path; print(emulator_path())" 2>/dev/null || true)
if [ -z "$emu" ] || [ -n "$(newer_than "$emu" crates/lpconfig-emulator Cargo.lock)" ]; then
  echo "rebuilding lpconfig-emulator (sources changed since the installed build)"
  (cd bindings/python-emulator && ../../.venv/bin/maturin develop --quiet 2>&1 |
    sed -E '/^ +(Compiling|Fresh) /d')
fi
cd python
# `python -m` and `python -c` (stubtest below, the tests' child interpreters) would put
# ./ first on sys.path: the source tree, whose lpconfig has no compiled module unless
# `maturin develop` put one there. PYTHONSAFEPATH keeps them on the installed package.
export PYTHONSAFEPATH=1
../.venv/bin/ruff check .
../.venv/bin/ruff format --check .
../.venv/bin/mypy --strict lpconfig tests bench
# The hand-written stubs of the native module must match what it exports.
../.venv/bin/python -m mypy.stubtest lpconfig._native
# The pytest script (not `python -m pytest`) keeps ./lpconfig, which has no
# compiled module in a fresh checkout, off sys.path: the installed package is tested.
../.venv/bin/pytest -p no:cacheprovider tests
