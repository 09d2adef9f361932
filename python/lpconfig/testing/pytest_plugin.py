"""pytest plugin of lpconfig (registered through the ``pytest11`` entry point).

Fixtures:

- ``lp_emulator``: a started :class:`lpconfig.testing.Emulator` with the demo
  seed, fresh for each test and stopped after it.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from . import Emulator


@pytest.fixture
def lp_emulator() -> Iterator[Emulator]:
    """A running demo emulator, fresh for each test."""
    with Emulator(seed="demo") as emu:
        yield emu
