#!/usr/bin/env bash
# Node: the napi-rs package convention, packed into dist/node/:
#   lpconfig-VERSION.tgz                      JS, types, the napi-generated loader; optionalDependencies
#                                             on every platform package of napi.targets
#   lpconfig-linux-x64-gnu-VERSION.tgz        the release addon (stripped) for this platform
#   lpconfig-emulator-VERSION.tgz             the emulator addon's loader, for lpconfig/testing
#   lpconfig-emulator-linux-x64-gnu-VERSION.tgz
# The platform packages and optionalDependencies come from @napi-rs/cli (create-npm-dirs,
# artifacts, pre-publish) in a staging copy, so node/package.json stays as committed.
# Other targets: docs/packaging/node.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
start=$SECONDS
[ -x node/node_modules/.bin/napi ] || bash scripts/install.d/30-node.sh
napi="$root/node/node_modules/.bin/napi"
bash node/build-addons.sh

stage="${CARGO_TARGET_DIR:-$root/target}/npm-stage"
out="$root/dist/node"
rm -rf "$stage" "$out" && mkdir -p "$stage/lpconfig/lib" "$stage/lpconfig-emulator" "$out"
(cd node && cp package.json README.md ./*.js ./*.mjs ./*.d.ts "$stage/lpconfig/" && cp lib/*.js "$stage/lpconfig/lib/")
(cd node/emulator && cp package.json README.md index.js "$stage/lpconfig-emulator/")
# The generated type file of the emulator's native half (napi build --dts); lpconfig/testing.d.ts
# is the public one, so a minimal declaration is enough when the file was not generated.
if [ -f node/emulator/index.d.ts ]; then
  cp node/emulator/index.d.ts "$stage/lpconfig-emulator/"
else
  echo 'export declare class NativeEmulator {}' > "$stage/lpconfig-emulator/index.d.ts"
fi
mkdir -p "$stage/artifacts"
cp node/lib/lpconfig.linux-x64-gnu.node node/emulator/lpconfig-emulator.linux-x64-gnu.node "$stage/artifacts/"
strip --strip-unneeded "$stage"/artifacts/*.node

for pkg in lpconfig lpconfig-emulator; do
  (
    cd "$stage/$pkg"
    "$napi" create-npm-dirs --npm-dir npm >/dev/null
    "$napi" artifacts --npm-dir npm --output-dir ../artifacts >/dev/null
    "$napi" pre-publish --npm-dir npm --skip-optional-publish >/dev/null
    for dir in npm/*/; do
      npm pack --silent --pack-destination "$out" "./$dir" >/dev/null
    done
    npm pack --silent --pack-destination "$out" . >/dev/null
  )
done
ls -l "$out"
echo "dist node: $((SECONDS - start)) s"
