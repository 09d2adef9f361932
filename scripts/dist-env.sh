# Sourced by scripts/dist.d/* and scripts/install.d/20-python.sh: the build tools of the release
# artifacts, from PyPI into .venv (maturin, ziglang, cargo-zigbuild, auditwheel), on PATH.
#
# Every release build targets x86_64-unknown-linux-gnu with zig as the linker against glibc
# 2.17 (manylinux2014), whether maturin drives it (wheels) or cargo-zigbuild (CLI and emulator
# binaries): the same target directory and the same compiler wrappers, so dependencies
# compiled for one artifact are reused by the next (docs/packaging/python.md).
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -x "$root/.venv/bin/python" ] || python3 -m venv "$root/.venv"
if ! "$root/.venv/bin/python" -c "import ziglang" 2>/dev/null ||
  [ ! -x "$root/.venv/bin/cargo-zigbuild" ] || [ ! -x "$root/.venv/bin/auditwheel" ] ||
  [ ! -x "$root/.venv/bin/maturin" ]; then
  "$root/.venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "maturin>=1.9.4,<2" "ziglang>=0.13,<0.18" "cargo-zigbuild>=0.19,<0.25" "auditwheel>=6,<7"
fi
# An absolute, normalized entry: maturin and cargo-zigbuild both derive their zig wrapper
# scripts from the zig command they find here, and identical wrappers keep cargo's
# fingerprints equal between the two.
export PATH="$root/.venv/bin:$PATH"
export VIRTUAL_ENV="$root/.venv"
# The triple (directory target/$LP_TARGET/release) and the glibc floor.
LP_TARGET=x86_64-unknown-linux-gnu
LP_GLIBC=2.17
LP_VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -1)
export LP_TARGET LP_GLIBC LP_VERSION
