"""Docs that run: every ```python block of README.md and python/README.md is
checked with ``mypy --strict`` and then run (each starts its own emulator)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import List

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "readme_blocks.py"


def _extract(tmp: Path) -> List[Path]:
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "extract", "python", str(tmp)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [Path(line) for line in out.stdout.splitlines() if line]


def test_every_readme_block_is_run_or_marked() -> None:
    out = subprocess.run([sys.executable, str(SCRIPT), "check"], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_python_readme_blocks_pass_mypy_strict(tmp_path: Path) -> None:
    files = _extract(tmp_path)
    assert len(files) >= 2
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *map(str, files)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_python_readme_blocks_run(tmp_path: Path) -> None:
    for path in _extract(tmp_path):
        out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
        assert out.returncode == 0, f"{path.name}:\n{out.stdout}{out.stderr}"
