#!/usr/bin/env bash
# macOS only (Xcode command line tools + rustup): builds liblpconfig_ffi.a for every Apple
# target and bundles them with the generated C header and module map into
# LpConfigFFI.xcframework beside Package.swift, plus a zip and its SwiftPM checksum for a
# url-based binaryTarget. Run from the repository or from the dist/swift/LpConfig package:
#
#   bash bindings/uniffi/swift/build-xcframework.sh            # repository checkout
#   LPCONFIG_SRC=/path/to/lpconfig bash build-xcframework.sh   # inside a copied package
#
# Not run on the Linux CI (no Xcode there); see docs/packaging/swift.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="${LPCONFIG_SRC:-$(cd "$here/../../.." && pwd)}"
[ "$(uname -s)" = Darwin ] || { echo "build-xcframework.sh needs macOS with Xcode" >&2; exit 1; }
targets=(aarch64-apple-darwin x86_64-apple-darwin aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "${targets[@]}"
cd "$src"
# A static library per target (`--crate-type staticlib`: Cargo.toml lists only cdylib and lib,
# so Linux builds do not pay for a .a they never use).
for t in "${targets[@]}"; do
  cargo rustc --release -p lpconfig-ffi --lib --target "$t" --crate-type staticlib
done
# The header and module map come from the generator (generated/swift) for the same library.
PROFILE=release bash bindings/uniffi/generate.sh >/dev/null
work="$(mktemp -d)"
mkdir -p "$work/headers" "$work/macos" "$work/ios-sim"
cp bindings/uniffi/generated/swift/LpConfigFFI.h "$work/headers/"
cp bindings/uniffi/generated/swift/LpConfigFFI.modulemap "$work/headers/module.modulemap"
mkdir -p "$here/Sources/LpConfig"
cp bindings/uniffi/generated/swift/LpConfig.swift "$here/Sources/LpConfig/"
lib=liblpconfig_ffi.a
tdir="${CARGO_TARGET_DIR:-$src/target}"
# One library per platform: fat (lipo) for macOS and for the simulator, arm64 for devices.
lipo -create "$tdir/aarch64-apple-darwin/release/$lib" "$tdir/x86_64-apple-darwin/release/$lib" -output "$work/macos/$lib"
lipo -create "$tdir/aarch64-apple-ios-sim/release/$lib" "$tdir/x86_64-apple-ios/release/$lib" -output "$work/ios-sim/$lib"
rm -rf "$here/LpConfigFFI.xcframework" "$here/LpConfigFFI.xcframework.zip"
xcodebuild -create-xcframework \
  -library "$work/macos/$lib" -headers "$work/headers" \
  -library "$tdir/aarch64-apple-ios/release/$lib" -headers "$work/headers" \
  -library "$work/ios-sim/$lib" -headers "$work/headers" \
  -output "$here/LpConfigFFI.xcframework"
(cd "$here" && ditto -c -k --sequesterRsrc --keepParent LpConfigFFI.xcframework LpConfigFFI.xcframework.zip)
echo "checksum for .binaryTarget(url:checksum:): $(cd "$here" && swift package compute-checksum LpConfigFFI.xcframework.zip)"
rm -rf "$work"
