#!/usr/bin/env bash
# Installs each artifact from dist/ the way a user would (no cargo or rustc on PATH) and runs a
# smoke script against the emulator, one check per file in scripts/installed.d.
set -uo pipefail
cd "$(dirname "$0")/../.."
shopt -s nullglob
checks=(scripts/installed.d/*.sh)
[ ${#checks[@]} -eq 0 ] && exit 0
# Always, since dist/ may hold only part (the Python wheels, which scripts/install.d/20-python.sh
# built: their step skips them when no source changed since). The CLI archive's release build
# happens here; the Node step reuses the addons test stage 30 built.
bash scripts/dist.sh || exit 1
status=0
for check in "${checks[@]}"; do
  echo "=== installed: ${check##*/}"
  bash "$check" || { echo "!!! installed check ${check##*/} failed"; status=1; }
done
exit $status
