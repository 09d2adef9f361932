#!/usr/bin/env bash
# Checks that each ELF file given needs no glibc symbol version newer than the floor every
# release artifact promises (2.17, manylinux2014; docs/packaging/). Prints the newest version
# each file needs. Usage: bash scripts/glibc-floor.sh FILE...
set -euo pipefail
floor=2.17
status=0
for f in "$@"; do
  # The symbol table goes to a variable first: `objdump | grep | sort` would be fine, but a
  # reader that stops early (head, grep -q) can kill the writer with SIGPIPE under pipefail.
  syms=$(objdump -T "$f")
  newest=$(grep -o 'GLIBC_[0-9][0-9.]*' <<<"$syms" | sed 's/GLIBC_//' | sort -uV | tail -n 1)
  newest=${newest:-none}
  if [ "$newest" != none ] && [ "$(printf '%s\n%s\n' "$floor" "$newest" | sort -V | tail -n 1)" != "$floor" ]; then
    echo "${f##*/}: needs glibc $newest, newer than $floor" >&2
    status=1
  else
    echo "${f##*/}: newest glibc symbol version $newest (floor $floor)"
  fi
done
exit $status
