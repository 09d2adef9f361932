"""Fixtures: a fresh demo emulator per test (``lp_emulator``, from the lpconfig
pytest plugin) and clients pointed at it with millisecond retries."""

from __future__ import annotations

from typing import AsyncIterator, Iterator

import pytest

import lpconfig
from lpconfig.testing import Emulator


@pytest.fixture
def emu(lp_emulator: Emulator) -> Emulator:
    """The plugin's emulator under a short name."""
    return lp_emulator


@pytest.fixture
def client(emu: Emulator) -> Iterator[lpconfig.Client]:
    """A sync client logged in as the demo administrator."""
    with emu.client() as c:
        yield c


@pytest.fixture
async def aclient(emu: Emulator) -> AsyncIterator[lpconfig.AsyncClient]:
    """An asyncio client logged in as the demo administrator."""
    async with emu.async_client() as c:
        yield c
