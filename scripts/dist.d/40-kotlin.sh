#!/usr/bin/env bash
# Kotlin/JVM: dist/kotlin/lpconfig-kotlin-VERSION.jar (the generated Kotlin plus the release
# liblpconfig_ffi.so for glibc 2.17 and newer, stripped, as the JNA resource
# linux-x86-64/liblpconfig_ffi.so), the -sources.jar and the pom, for `mvn install:install-file`
# or a repository upload. The library is built with cargo-zigbuild in the target directory every
# release artifact shares (scripts/dist-env.sh); the Kotlin sources come from the debug build's
# bindgen (generate.sh), since the generated code depends only on the exported interface.
# Other platforms and Android (AAR with per-ABI jniLibs): docs/packaging/kotlin.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
source scripts/dist-env.sh
start=$SECONDS
out=dist/kotlin
pom=bindings/uniffi/kotlin/pom.xml
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$pom" | head -1)

bash bindings/uniffi/generate.sh >/dev/null
cargo zigbuild --release --quiet --target "$LP_TARGET.$LP_GLIBC" -p lpconfig-ffi --lib
native=bindings/uniffi/kotlin/target/native
rm -rf "$native" && mkdir -p "$native/linux-x86-64"
cp "${CARGO_TARGET_DIR:-$root/target}/$LP_TARGET/release/liblpconfig_ffi.so" "$native/linux-x86-64/"
strip --strip-unneeded "$native/linux-x86-64/liblpconfig_ffi.so"
bash scripts/glibc-floor.sh "$native/linux-x86-64/liblpconfig_ffi.so"

mvn -B -q -Dstyle.color=never -f "$pom" package -DskipTests -Dmaven.test.skip=true
rm -rf "$out" && mkdir -p "$out"
cp "bindings/uniffi/kotlin/target/lpconfig-kotlin-$version.jar" \
  "bindings/uniffi/kotlin/target/lpconfig-kotlin-$version-sources.jar" "$out/"
cp "$pom" "$out/lpconfig-kotlin-$version.pom"
# zipinfo with a member name fails when the member is absent (no pipe into `grep -q`, whose early
# exit can kill the lister with SIGPIPE and fail the step under pipefail).
unzip -Z1 "$out/lpconfig-kotlin-$version.jar" linux-x86-64/liblpconfig_ffi.so >/dev/null \
  || { echo "the jar lacks linux-x86-64/liblpconfig_ffi.so" >&2; exit 1; }
ls -l "$out"
echo "dist kotlin: $((SECONDS - start)) s"
