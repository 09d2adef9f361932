#!/usr/bin/env bash
# uniffi stage: builds liblpconfig_ffi, generates Swift/Kotlin/Python sources,
# then runs the Kotlin suite (Maven, against the emulator), the Swift parse
# check (tree-sitter) and the generated-Python smoke test. Each prints its own
# closing line: `kotlin: ...`, `swift-parse: ...`, `uniffi-python: ...`.
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
target="${CARGO_TARGET_DIR:-$root/target}/debug"
status=0
# First run on a fresh machine: fetch tree-sitter and warm Maven (a no-op later).
.venv/bin/python -c 'import tree_sitter, tree_sitter_swift' 2>/dev/null || bash scripts/install.d/40-uniffi.sh

cargo build -p lpconfig-emulator --bin lpconfig-emulator --quiet 2>&1 || status=1
if ! bash bindings/uniffi/generate.sh; then
  echo "kotlin: 0 passed, 1 failed"
  echo "swift-parse: 0 passed, 1 failed"
  echo "uniffi-python: 0 passed, 1 failed"
  exit 1
fi

# The README's Kotlin blocks compile with the suite, each in its own package.
readme_kt=bindings/uniffi/kotlin/src/test/kotlin/dev/lpconfig/readme
rm -rf "$readme_kt"
for f in $(python3 scripts/readme_blocks.py extract kotlin "$readme_kt"); do
  pkg="dev.lpconfig.readme.$(basename "$f" .kt)"
  { echo "package $pkg"; echo; cat "$f"; } > "$f.tmp" && mv "$f.tmp" "$f"
done

echo "--- kotlin (maven)"
reports=bindings/uniffi/kotlin/target/surefire-reports
rm -rf "$reports"
mvn -B -q -Dstyle.color=never -f bindings/uniffi/kotlin/pom.xml test -Dlpconfig.target="$target" 2>&1 \
  | sed 's/\x1b\[[0-9;]*m//g' | grep -v '^\s*$' || true
python3 bindings/uniffi/checks/surefire_summary.py "$reports" || status=1

echo "--- swift parse (tree-sitter)"
py=python3
[ -x .venv/bin/python ] && py=.venv/bin/python
"$py" bindings/uniffi/checks/swift_parse.py || status=1

echo "--- uniffi python smoke"
python3 bindings/uniffi/checks/python_smoke.py "$target" || status=1

exit $status
