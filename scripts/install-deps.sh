#!/usr/bin/env bash
# Installs the toolchains' packages the test suites need, from the package
# registries only. Each part is skipped when already present.
set -euo pipefail
cd "$(dirname "$0")/.."
for part in scripts/install.d/*.sh; do
  [ -e "$part" ] || continue
  echo "=== install ${part##*/}"
  bash "$part"
done
