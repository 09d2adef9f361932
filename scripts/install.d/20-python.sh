#!/usr/bin/env bash
# The Python package: a virtualenv at .venv with the build, lint, test and
# benchmark tools from PyPI, and lpconfig itself built from ./python by pip
# (maturin, release profile, abi3 wheel) exactly as a user would install it, plus
# the lpconfig-emulator program (./bindings/python-emulator, the `testing` extra)
# that lpconfig.testing starts as a subprocess.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
py=.venv/bin/python
"$py" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$py" -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.9.4,<2" "pytest>=8" "pytest-asyncio>=0.24" "mypy>=1.10" "ruff>=0.5" "httpx>=0.27"
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
  ./python ./bindings/python-emulator
"$py" -c "import lpconfig; print('lpconfig', lpconfig.__version__, 'installed in .venv')"
"$py" -c "from lpconfig.testing import emulator_path; print('emulator:', emulator_path())"
