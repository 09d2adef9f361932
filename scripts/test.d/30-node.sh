#!/usr/bin/env bash
# The Node package: builds the addon for this machine (napi-rs CLI; debug
# profile, which reuses the workspace's test build), type-checks index.d.ts
# with a typed usage example, then runs `node --test` against the emulator.
set -euo pipefail
cd "$(dirname "$0")/../../node"
[ -x node_modules/.bin/napi ] || bash ../scripts/install.d/30-node.sh
rm -f lpconfig.node
npm run --silent build:debug 2>&1 | sed -E '/^ +(Compiling|Fresh) /d'
npx --no-install tsc --strict --noEmit -p tsconfig.json
echo "tsc --strict --noEmit: ok"
node --test --test-reporter=tap test/
