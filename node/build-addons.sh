#!/usr/bin/env bash
# Builds both Node addons in the release profile with plain cargo, into the workspace's shared
# target/release (the build the CLI, the jar and the emulator binary use too: `napi build` always
# passes --target and so would compile a second tree), then copies them to where the loaders that
# `napi build --platform` generated (lib/native.js, emulator/index.js) look first:
#   lib/lpconfig.linux-x64-gnu.node, emulator/lpconfig-emulator.linux-x64-gnu.node
# Used by the test stage and scripts/dist.d/30-node.sh on linux-x64-gnu; elsewhere use
# `npm run build` (napi build).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}/release"
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "build-addons.sh knows only linux-x64-gnu; run 'npm run build' here" >&2
  exit 1
fi
cd "$root"
cargo build --release --quiet -p lpconfig-node -p lpconfig-node-emulator
cp "$target/liblpconfig_node.so" "$here/lib/lpconfig.linux-x64-gnu.node"
cp "$target/liblpconfig_node_emulator.so" "$here/emulator/lpconfig-emulator.linux-x64-gnu.node"
