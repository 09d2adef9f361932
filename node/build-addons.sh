#!/usr/bin/env bash
# Builds both Node addons in the release profile for linux-x64-gnu against glibc 2.17 (zig as the
# linker, through cargo-zigbuild: the napi-rs convention for a portable `gnu` addon), into the
# target directory every release artifact shares, target/x86_64-unknown-linux-gnu/release (the
# Python wheels, the CLI archive and the jar's library build there too, so the dependencies
# compile once; scripts/dist-env.sh). Then copies them to where the loaders that
# `napi build --platform` generated (lib/native.js, emulator/index.js) look first:
#   lib/lpconfig.linux-x64-gnu.node, emulator/lpconfig-emulator.linux-x64-gnu.node
# Used by the test stage and scripts/dist.d/30-node.sh on linux-x64-gnu; elsewhere use
# `npm run build` (napi build). docs/packaging/node.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then
  echo "build-addons.sh knows only linux-x64-gnu; run 'npm run build' here" >&2
  exit 1
fi
source "$root/scripts/dist-env.sh"
target="${CARGO_TARGET_DIR:-$root/target}/$LP_TARGET/release"
cd "$root"
cargo zigbuild --release --quiet --target "$LP_TARGET.$LP_GLIBC" -p lpconfig-node -p lpconfig-node-emulator
cp "$target/liblpconfig_node.so" "$here/lib/lpconfig.linux-x64-gnu.node"
cp "$target/liblpconfig_node_emulator.so" "$here/emulator/lpconfig-emulator.linux-x64-gnu.node"
