#!/usr/bin/env bash
# Builds liblpconfig_ffi and generates the Swift (.swift, FFI.h, modulemap),
# Kotlin and Python sources from it into bindings/uniffi/generated/
# (not committed). The Python output gets a copy of the library beside it, and
# LpConfig.swift is also copied into the Swift Package (swift/Sources/LpConfig).
#
#   bash bindings/uniffi/generate.sh            # debug build
#   PROFILE=release bash bindings/uniffi/generate.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
profile="${PROFILE:-debug}"
target="${CARGO_TARGET_DIR:-$root/target}"
out="$here/generated"

cd "$root"
flags=(-p lpconfig-ffi --features cli --quiet)
[ "$profile" = release ] && flags+=(--release)
# One build for the library and the bindgen: the same features, so neither
# rebuild invalidates the other.
cargo build "${flags[@]}" --lib --bin uniffi-bindgen

lib="$target/$profile/liblpconfig_ffi.so"
[ -f "$lib" ] || lib="$target/$profile/liblpconfig_ffi.dylib"
bindgen="$target/$profile/uniffi-bindgen"

rm -rf "$out"
for lang in swift kotlin python; do
  "$bindgen" generate --library "$lib" --language "$lang" --out-dir "$out/$lang" --no-format >/dev/null
done
cp "$lib" "$out/python/"

# The Swift Package (swift/Package.swift) takes the Swift API from a fixed place; the C header
# and module map go into the XCFramework (swift/build-xcframework.sh, macOS).
mkdir -p "$here/swift/Sources/LpConfig"
cp "$out/swift/LpConfig.swift" "$here/swift/Sources/LpConfig/"
echo "generated into ${out#"$root"/}: $(cd "$out" && find . -type f ! -name '*.so' ! -name '*.dylib' | sort | tr '\n' ' ')"
