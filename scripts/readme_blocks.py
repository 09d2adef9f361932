#!/usr/bin/env python3
"""The code blocks of the READMEs, so that CI runs every one of them.

Each fenced block of README.md, python/README.md, node/README.md and
bindings/uniffi/README.md is either
- run by a test stage, by its language: ``python`` (mypy --strict, then run,
  python/tests/test_readme.py), ``ts`` (tsc --strict, then run,
  node/test/readme.test.js), ``rust`` (a doctest of crates/lpconfig, which
  includes README.md), ``kotlin`` (compiled into the Kotlin suite) or
  ``swift`` (parsed by bindings/uniffi/checks/swift_parse.py); or
- marked on the line before it with ``<!-- not run: <reason> -->``.

``check`` fails on a block that is neither; ``extract LANG OUTDIR`` writes the
blocks of one language as files (``<readme>-<line>.<ext>``) and prints their paths.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Iterator, List, NamedTuple, Optional

ROOT = Path(__file__).resolve().parent.parent
READMES = ["README.md", "python/README.md", "node/README.md", "bindings/uniffi/README.md"]
RUN = {"python": "py", "ts": "mts", "rust": "rs", "kotlin": "kt", "swift": "swift"}
NOT_RUN = re.compile(r"<!--\s*not run:\s*(\S.*?)\s*-->")
FENCE = re.compile(r"^(\s*)```(\S*)\s*$")


class Block(NamedTuple):
    readme: str
    line: int
    lang: str
    code: str
    not_run: Optional[str]


def blocks(readme: str) -> Iterator[Block]:
    lines = (ROOT / readme).read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang = m.group(1), m.group(2).split(",")[0]
        prev = next((p for p in reversed(lines[:i]) if p.strip()), "")
        reason = NOT_RUN.search(prev)
        body: List[str] = []
        j = i + 1
        while j < len(lines) and lines[j].strip() != "```":
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        yield Block(readme, i + 1, lang, "\n".join(body) + "\n", reason.group(1) if reason else None)
        i = j + 1


def all_blocks() -> List[Block]:
    return [b for r in READMES for b in blocks(r)]


def problems() -> List[str]:
    out = []
    for b in all_blocks():
        if b.not_run is None and b.lang not in RUN:
            out.append(
                f"{b.readme}:{b.line}: a ```{b.lang or '(no language)'} block is neither run by a test "
                "(python, ts, rust, kotlin, swift) nor marked <!-- not run: reason -->"
            )
    return out


def extract(lang: str, outdir: Path) -> List[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for b in all_blocks():
        if b.lang == lang and b.not_run is None:
            name = re.sub(r"[^a-z0-9]+", "_", b.readme.lower().removesuffix(".md")).strip("_")
            path = outdir / f"{name}_{b.line}.{RUN[lang]}"
            path.write_text(b.code, encoding="utf-8")
            paths.append(path)
    return paths


def main(argv: List[str]) -> int:
    if argv[:1] == ["check"]:
        found = problems()
        for p in found:
            print(p, file=sys.stderr)
        print(f"readme blocks: {len(all_blocks())} checked, {len(found)} problems")
        return 1 if found else 0
    if len(argv) == 3 and argv[0] == "extract" and argv[1] in RUN:
        for p in extract(argv[1], Path(argv[2])):
            print(p)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
