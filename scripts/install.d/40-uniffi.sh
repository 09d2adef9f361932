#!/usr/bin/env bash
# uniffi stage: tree-sitter and its Swift grammar (PyPI) for the Swift parse
# check, in the repo's .venv. Maven resolves the Kotlin suite's dependencies
# (kotlin-maven-plugin, JNA, kotlinx-coroutines, JUnit) itself, and those are
# warmed here so the test stage does not pay for the download.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c 'import tree_sitter, tree_sitter_swift' 2>/dev/null; then
  .venv/bin/pip install --quiet --disable-pip-version-check 'tree-sitter>=0.23,<0.27' 'tree-sitter-swift>=0.7,<0.8'
fi
if command -v mvn >/dev/null; then
  # go-offline misses plugin-resolved artifacts (the Kotlin compiler); a
  # validate + dependency resolution pass fetches what `mvn test` needs.
  mvn -q -B -f bindings/uniffi/kotlin/pom.xml dependency:resolve dependency:resolve-plugins >/dev/null \
    || echo "warning: Maven could not pre-fetch the Kotlin suite's dependencies; mvn test will retry" >&2
fi
