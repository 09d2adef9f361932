#!/usr/bin/env bash
# The Node package's tools from the npm registry (napi-rs CLI, TypeScript,
# Node types), as pinned in node/package-lock.json. `npm install` rather than
# `npm ci`: the lock leaves out optional per-platform binaries of the CLI's
# helpers that the registry lacks for some platforms, which `npm ci` rejects.
set -euo pipefail
cd "$(dirname "$0")/../../node"
if [ -x node_modules/.bin/napi ] && [ -x node_modules/.bin/tsc ] &&
  cmp -s package-lock.json node_modules/.package-lock.json.src 2>/dev/null; then
  echo "node/node_modules is up to date"
  exit 0
fi
npm install --no-audit --no-fund --loglevel=error
cp package-lock.json node_modules/.package-lock.json.src
