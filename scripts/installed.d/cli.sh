#!/usr/bin/env bash
# The CLI archive as a user installs it: unpacked into an empty directory, run with no cargo or
# rustc on PATH: --version, the shipped completions (equal to `lpconfig completions SHELL`, and
# loadable by bash), the man page (rendered by man -l / groff when present), and real commands:
# `users list` against the built-in sandbox, and against a sandbox the archive's own binary
# serves (`lpconfig emulator serve`) a create that a later list sees.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
shopt -s nullglob
archives=(dist/cli/lpconfig-*-x86_64-unknown-linux-gnu.tar.gz)
[ ${#archives[@]} -eq 1 ] || { echo "dist/cli must hold one archive" >&2; exit 1; }
archive=$root/${archives[0]}
echo "$(basename "$archive"): $(du -k "$archive" | cut -f1) KiB"

tmp=$(mktemp -d)
emu_pid=
# One closing line for the test summary, whatever step fails.
cleanup() {
  local rc=$?
  [ -n "$emu_pid" ] && kill "$emu_pid" 2>/dev/null
  rm -rf "$tmp"
  if [ $rc -eq 0 ]; then echo "cli-installed: 1 passed, 0 failed"; else echo "cli-installed: 0 passed, 1 failed"; fi
}
trap cleanup EXIT
export PATH=/usr/bin:/bin HOME=$tmp/home
mkdir -p "$HOME"
unset CARGO_HOME RUSTUP_HOME LP_ACCOUNT LP_USERNAME LP_PASSWORD LP_CSDS_URL LP_SANDBOX_URL
if command -v cargo >/dev/null || command -v rustc >/dev/null; then
  echo "cargo/rustc still on PATH" >&2
  exit 1
fi

t0=$(date +%s%N)
tar -xzf "$archive" -C "$tmp"
t1=$(date +%s%N)
echo "unpack: $(((t1 - t0) / 1000000)) ms"
dir=$(echo "$tmp"/lpconfig-*)
lp=$dir/lpconfig
version=$("$lp" --version)
[[ "$version" == "lpconfig "* ]] || { echo "--version printed: $version" >&2; exit 1; }
echo "$version"
bash "$root/scripts/glibc-floor.sh" "$lp"
runs=()
for _ in 1 2 3 4 5; do
  a=$(date +%s%N); "$lp" --version >/dev/null; b=$(date +%s%N)
  runs+=($(((b - a) / 1000000)))
done
echo "figures: archive $(stat -c %s "$archive") B, binary $(stat -c %s "$lp") B; unpack $(((t1 - t0) / 1000000)) ms;" \
  "lpconfig --version median $(printf '%s\n' "${runs[@]}" | sort -n | sed -n 3p) ms (5 runs)"

for shell in bash zsh fish; do
  case $shell in bash) file=lpconfig.bash ;; zsh) file=_lpconfig ;; fish) file=lpconfig.fish ;; esac
  cmp -s "$dir/completions/$file" <("$lp" completions $shell) ||
    { echo "completions/$file differs from \`lpconfig completions $shell\`" >&2; exit 1; }
done
# bash loads it and registers the completion function.
# (Outputs are captured before grep -q reads them: a writer killed by SIGPIPE would fail the
# pipeline under pipefail.)
registered=$(bash -c "source '$dir/completions/lpconfig.bash' && complete -p lpconfig")
grep -q lpconfig <<<"$registered"
grep -q "users" "$dir/completions/_lpconfig"
grep -q "complete -c lpconfig" "$dir/completions/lpconfig.fish"

page=$dir/man/man1/lpconfig.1
grep -q '^\.TH lpconfig 1' "$page" || { echo "man page has no .TH header" >&2; exit 1; }
if command -v groff >/dev/null; then
  # Warnings (-ww) go to stderr; any means the page is malformed.
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  [ -z "$warnings" ] || { echo "groff: $warnings" >&2; exit 1; }
  rendered=$(MANWIDTH=100 man -l "$page" 2>/dev/null || groff -man -Tutf8 "$page")
  grep -q "SUBCOMMANDS" <<<"$rendered" || { echo "man page renders without SUBCOMMANDS" >&2; exit 1; }
  echo "man page renders"
fi

# With no account configured: the built-in sandbox (the demo account, in memory).
users=$("$lp" users list -o jsonl)
[ "$(echo "$users" | wc -l)" -eq 20 ] || { echo "sandbox users list: $(echo "$users" | wc -l) lines" >&2; exit 1; }
grep -q '"loginName":"jane.doe"' <<<"$users"

# A served sandbox keeps state between commands: its URL from its first stdout line.
coproc EMU { exec "$lp" emulator serve --port 0; }
emu_pid=$EMU_PID
read -r first <&"${EMU[0]}"
url=${first#lpconfig emulator listening on }
url=${url%% *}
[[ "$url" == http://127.0.0.1:* ]] || { echo "emulator serve said: $first" >&2; exit 1; }
export LP_CSDS_URL=$url LP_ACCOUNT=demo LP_USERNAME=admin LP_PASSWORD=demo-password-1
users=$("$lp" users list -o jsonl)
[ "$(echo "$users" | wc -l)" -eq 20 ] || { echo "users list: $(echo "$users" | wc -l) lines" >&2; exit 1; }
grep -q '"loginName":"jane.doe"' <<<"$users"
echo "Sm0ke-Passw0rd-1" | "$lp" users create --login-name smoke.cli --full-name "Smoke Cli" \
  --email smoke.cli@example.com --role Agent --group Support/Tech --max-chats 2 --new-password-stdin -o json >/dev/null
users=$("$lp" users list -o jsonl)
[ "$(echo "$users" | grep -c '"loginName":"smoke.cli"')" -eq 1 ] || { echo "the created user is not listed once" >&2; exit 1; }
# A typed failure: exit code 2 (API error).
set +e
err=$("$lp" users get 999999999 2>&1 >/dev/null)
code=$?
set -e
[ $code -eq 2 ] || { echo "users get of a missing id exited $code: $err" >&2; exit 1; }
echo "users list (20 users, built-in and served sandbox), users create seen by a later list, a missing user (exit 2) at $url"
