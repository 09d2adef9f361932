#!/usr/bin/env bash
# The CLI archive: dist/cli/lpconfig-<version>-x86_64-unknown-linux-gnu.tar.gz holding the
# stripped `lpconfig` binary (glibc 2.17 and newer), its man page and its bash/zsh/fish
# completions, all generated from the binary itself. The release build shares
# target/x86_64-unknown-linux-gnu/release with the Python wheels (scripts/dist-env.sh), so the
# core, lpconfig-sync and the emulator (the CLI's built-in sandbox) compile once for both.
# Skipped when the archive is newer than every source. docs/packaging/cli.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/dist-env.sh
start=$SECONDS

name=lpconfig-$LP_VERSION-$LP_TARGET
archive=dist/cli/$name.tar.gz
if [ "${LP_DIST_FORCE:-0}" != 1 ] && [ -f "$archive" ] &&
  [ -z "$(find Cargo.toml Cargo.lock crates -type f \( -name '*.rs' -o -name '*.toml' -o -name Cargo.lock \) -newer "$archive" -print -quit)" ]; then
  echo "$archive is up to date with its sources"
  exit 0
fi
cargo zigbuild --release --quiet --target "$LP_TARGET.$LP_GLIBC" -p lpconfig-cli
out=target/$LP_TARGET/release

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
dir=$stage/$name
mkdir -p "$dir/completions" "$dir/man/man1"
install -m 755 "$out/lpconfig" "$dir/lpconfig"
strip "$dir/lpconfig"
"$dir/lpconfig" manpage > "$dir/man/man1/lpconfig.1"
"$dir/lpconfig" completions bash > "$dir/completions/lpconfig.bash"
"$dir/lpconfig" completions zsh > "$dir/completions/_lpconfig"
"$dir/lpconfig" completions fish > "$dir/completions/lpconfig.fish"
cat > "$dir/README.txt" <<TXT
lpconfig $LP_VERSION for $LP_TARGET (glibc 2.17 or newer)

  lpconfig                     the command; put it on PATH (e.g. ~/.local/bin)
  man/man1/lpconfig.1          man page: man -l man/man1/lpconfig.1
  completions/lpconfig.bash    bash: source it, or copy to ~/.local/share/bash-completion/completions/lpconfig
  completions/_lpconfig        zsh: put it in a directory of \$fpath
  completions/lpconfig.fish    fish: copy to ~/.config/fish/completions/

With no account configured, every command runs against a built-in sandbox:
  lpconfig users list
TXT

mkdir -p dist/cli
rm -f dist/cli/lpconfig-*.tar.gz
# Reproducible-ish: fixed owner and order.
tar -C "$stage" --owner=0 --group=0 --numeric-owner --sort=name -czf "$archive" "$name"
echo "$archive: $(du -k "$archive" | cut -f1) KiB, binary $(du -k "$dir/lpconfig" | cut -f1) KiB ($((SECONDS - start)) s)"
