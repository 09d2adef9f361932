#!/usr/bin/env bash
# Builds the release artifacts users install (wheel, npm tarballs, jar, Swift package, CLI
# archive) into dist/, one step per file in scripts/dist.d, in name order. Each step documents
# the other platforms' matrix in docs/packaging/ (one file per artifact).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p dist
for step in scripts/dist.d/*.sh; do
  [ -e "$step" ] || continue
  echo "=== dist: ${step##*/}"
  bash "$step"
done
ls -l dist/*/ 2>/dev/null || true
