#!/usr/bin/env bash
# The Python packages into dist/python/: the abi3 wheel of `lpconfig` (tagged manylinux2014,
# i.e. glibc 2.17, linked with zig by maturin, stripped), the `lpconfig-emulator` wheel (the
# emulator program for lpconfig.testing, kept out of the production extension), and an sdist
# of each. `auditwheel show` must find every wheel consistent with its tag. The Python test
# stage installs these same wheels (scripts/install.d/20-python.sh). docs/packaging/python.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/dist-env.sh
start=$SECONDS

for p in python/pyproject.toml bindings/python-emulator/pyproject.toml; do
  v=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$p" | head -1)
  [ "$v" = "$LP_VERSION" ] || { echo "$p: version $v, Cargo.toml says $LP_VERSION" >&2; exit 1; }
done
grep -q "\"lpconfig-emulator==$LP_VERSION\"" python/pyproject.toml ||
  { echo "python/pyproject.toml: the testing extra must pin lpconfig-emulator==$LP_VERSION" >&2; exit 1; }

# Skipped when the four files are there and no source of either wheel changed since they were
# built: CI builds them in the install stage (scripts/install.d/20-python.sh) and test stage 60
# runs every dist step again. LP_DIST_FORCE=1 rebuilds anyway.
sources=(Cargo.toml Cargo.lock crates/lpconfig crates/lpconfig-sync crates/lpconfig-emulator
  bindings/python bindings/python-emulator python/lpconfig python/pyproject.toml python/README.md)
stamp=dist/python/.built
if [ "${LP_DIST_FORCE:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(find dist/python -maxdepth 1 -type f \( -name '*.whl' -o -name '*.tar.gz' \) | wc -l)" -eq 4 ] &&
  [ -z "$(find "${sources[@]}" -type f \( -name '*.rs' -o -name '*.py' -o -name '*.pyi' -o -name '*.toml' -o -name '*.md' -o -name Cargo.lock \) -newer "$stamp" -print -quit)" ]; then
  echo "dist/python is up to date with its sources"
  ls -l dist/python
  exit 0
fi
mkdir -p dist/python
rm -f dist/python/* dist/python/.built
# Stamped with the start time, so a source edited during the build counts as changed.
touch dist/python/.building
build() { # project directory
  (cd "$1" && maturin build --release --zig --compatibility manylinux2014 --strip \
    --target "$LP_TARGET" --out "$OLDPWD/dist/python" 2>&1 | sed -E '/^ +(Compiling|Fresh) /d')
  (cd "$1" && maturin sdist --out "$OLDPWD/dist/python" 2>&1 | tail -1)
}
build python
build bindings/python-emulator

for whl in dist/python/*.whl; do
  case "$whl" in *manylinux_2_17_x86_64*) ;; *) echo "$whl: not tagged manylinux_2_17" >&2; exit 1 ;; esac
  report=$(python -m auditwheel show "$whl")
  # auditwheel wraps its lines: compare with whitespace squeezed.
  echo "$report" | tr -s '\n ' '  ' | grep -q 'consistent with the following platform tag: "manylinux_2_17_x86_64"' ||
    { echo "$report" >&2; echo "$whl: auditwheel does not accept manylinux_2_17" >&2; exit 1; }
done
mv dist/python/.building "$stamp"
ls -l dist/python
echo "python dist: $((SECONDS - start)) s"
