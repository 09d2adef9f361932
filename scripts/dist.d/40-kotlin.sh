#!/usr/bin/env bash
# Kotlin/JVM: dist/kotlin/lpconfig-kotlin-VERSION.jar (the generated Kotlin plus the release
# liblpconfig_ffi.so, stripped, as the JNA resource linux-x86-64/liblpconfig_ffi.so), the
# -sources.jar and the pom, for `mvn install:install-file` or a repository upload.
# Other platforms and Android (AAR with per-ABI jniLibs): docs/packaging/kotlin.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
start=$SECONDS
out=dist/kotlin
pom=bindings/uniffi/kotlin/pom.xml
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$pom" | head -1)

PROFILE=release bash bindings/uniffi/generate.sh >/dev/null
native=bindings/uniffi/kotlin/target/native
rm -rf "$native" && mkdir -p "$native/linux-x86-64"
cp "${CARGO_TARGET_DIR:-$root/target}/release/liblpconfig_ffi.so" "$native/linux-x86-64/"
strip --strip-unneeded "$native/linux-x86-64/liblpconfig_ffi.so"

mvn -B -q -Dstyle.color=never -f "$pom" package -DskipTests -Dmaven.test.skip=true
rm -rf "$out" && mkdir -p "$out"
cp "bindings/uniffi/kotlin/target/lpconfig-kotlin-$version.jar" \
  "bindings/uniffi/kotlin/target/lpconfig-kotlin-$version-sources.jar" "$out/"
cp "$pom" "$out/lpconfig-kotlin-$version.pom"
unzip -l "$out/lpconfig-kotlin-$version.jar" | grep -q 'linux-x86-64/liblpconfig_ffi.so' \
  || { echo "the jar lacks linux-x86-64/liblpconfig_ffi.so" >&2; exit 1; }
ls -l "$out"
echo "dist kotlin: $((SECONDS - start)) s"
