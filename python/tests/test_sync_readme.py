"""The sync examples of README.md and python/README.md run as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import List

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _sync_blocks() -> List[str]:
    blocks: List[str] = []
    for readme in (ROOT / "README.md", ROOT / "python" / "README.md"):
        for code in re.findall(r"```python\n(.*?)```", readme.read_text(), flags=re.S):
            if "client.sync" in code:
                blocks.append(code)
    return blocks


def test_each_readme_shows_sync() -> None:
    assert len(_sync_blocks()) >= 2


@pytest.mark.parametrize("code", _sync_blocks())
def test_readme_sync_example_runs(code: str, capsys: pytest.CaptureFixture[str]) -> None:
    exec(compile(code, "README", "exec"), {"__name__": "readme"})
    out = capsys.readouterr().out
    assert "create_user ravi.kumar" in out and "rows:1:0: max_chats" in out
