#!/usr/bin/env bash
# The Node package: builds both addons (lpconfig and the emulator's, for
# lpconfig/testing) in the release profile, the same build dist/ packs
# (node/build-addons.sh), type-checks index.d.ts with a typed usage example,
# then runs `node --test` against the emulator.
set -euo pipefail
cd "$(dirname "$0")/../../node"
[ -x node_modules/.bin/napi ] || bash ../scripts/install.d/30-node.sh
rm -f lpconfig.node lib/*.node emulator/*.node
bash build-addons.sh
npx --no-install tsc --strict --noEmit -p tsconfig.json
echo "tsc --strict --noEmit: ok"
node --test --test-reporter=tap test/
