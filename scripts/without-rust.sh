# Sourced by the installed checks (scripts/installed.d): drops from PATH every directory that
# holds cargo or rustc, so an artifact is used the way a user without a Rust toolchain uses it,
# and fails if either is still found.
clean=""
IFS=: read -ra dirs <<<"$PATH"
for d in "${dirs[@]}"; do
  [ -e "$d/cargo" ] || [ -e "$d/rustc" ] && continue
  clean="${clean:+$clean:}$d"
done
export PATH="$clean"
unset clean dirs d
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
  echo "cargo or rustc still on PATH" >&2
  exit 1
fi
