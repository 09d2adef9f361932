#!/usr/bin/env bash
# Swift: dist/swift/LpConfig, a Swift package usable as a dependency (Package.swift with no
# unsafeFlags and a binaryTarget for LpConfigFFI.xcframework; the generated LpConfig.swift in
# Sources/LpConfig; the Example and XCTests; build-xcframework.sh), and its tarball
# dist/swift/lpconfig-swift-VERSION.tar.gz. The XCFramework itself needs macOS with Xcode:
# run build-xcframework.sh there (docs/packaging/swift.md). Here the package is only parsed
# (tree-sitter-swift), not compiled: there is no Swift compiler on this machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
start=$SECONDS
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# The Swift API depends only on the exported interface: the debug build's bindgen is enough.
bash bindings/uniffi/generate.sh >/dev/null
pkg=bindings/uniffi/swift
out=dist/swift
rm -rf "$out" && mkdir -p "$out/LpConfig"
cp "$pkg/Package.swift" "$pkg/build-xcframework.sh" "$out/LpConfig/"
cp -r "$pkg/Sources" "$pkg/Tests" "$out/LpConfig/"
rm -rf "$out/LpConfig/Sources/LpConfigFFI"
# The package builds its XCFramework from a checkout of this repository (LPCONFIG_SRC).
grep -q 'binaryTarget(name: "LpConfigFFI"' "$out/LpConfig/Package.swift"
if grep -v '^\s*//' "$out/LpConfig/Package.swift" | grep unsafeFlags >/dev/null; then
  echo "Package.swift uses unsafeFlags" >&2
  exit 1
fi
py=python3
[ -x .venv/bin/python ] && py="$root/.venv/bin/python"
"$py" - "$out/LpConfig" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "bindings/uniffi/checks")
import swift_parse  # noqa: E402

bad = 0
for f in sorted(Path(sys.argv[1]).rglob("*.swift")):
    errors = swift_parse.syntax_errors(f.read_text(encoding="utf-8"))
    print(f"{'ok  ' if not errors else 'FAIL'} parse {f}{': ' + '; '.join(errors[:3]) if errors else ''}")
    bad += bool(errors)
sys.exit(1 if bad else 0)
PY
tar -czf "$out/lpconfig-swift-$version.tar.gz" -C "$out" LpConfig
ls -l "$out"
echo "dist swift: $((SECONDS - start)) s"
