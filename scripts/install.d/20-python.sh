#!/usr/bin/env bash
# The Python package: a virtualenv at .venv with the build, lint, test and benchmark tools from
# PyPI, and lpconfig itself installed from the release wheels that scripts/dist.d/20-python.sh
# builds into dist/python (the abi3 manylinux2014 wheel and the lpconfig-emulator wheel), so the
# tests run exactly what users install and CI builds the release once.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/dist-env.sh
py=.venv/bin/python
"$py" -m pip install --quiet --disable-pip-version-check --upgrade pip
"$py" -m pip install --quiet --disable-pip-version-check \
  "maturin>=1.9.4,<2" "pytest>=8" "pytest-asyncio>=0.24" "mypy>=1.10" "ruff>=0.5" "httpx>=0.27"
bash scripts/dist.d/20-python.sh
"$py" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps \
  dist/python/lpconfig-*.whl dist/python/lpconfig_emulator-*.whl
"$py" -c "import lpconfig; print('lpconfig', lpconfig.__version__, 'installed in .venv')"
"$py" -c "from lpconfig.testing import emulator_path; print('emulator:', emulator_path())"
