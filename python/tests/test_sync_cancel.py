"""Cancelling ``client.sync.apply``: with a :class:`~lpconfig.sync.CancelToken` the
apply stops after its current batch and the report says exactly which changes were
applied; cancelling the awaiting asyncio task finishes the batch in flight and stops."""

from __future__ import annotations

import asyncio
from typing import Dict, List, Set

import pytest
from sync_state import users_as_columns

import lpconfig
from lpconfig.sync import CancelToken, SyncProgress, SyncReport
from lpconfig.testing import Emulator

PEOPLE: List[Dict[str, object]] = [
    {"login_name": f"temp.{i}", "full_name": f"Temp {i}", "email": f"temp{i}@example.com"}
    for i in range(1, 6)
]


def _temps(client: lpconfig.Client) -> Set[str]:
    return {login for login in users_as_columns(client) if login.startswith("temp.")}


def _creates(emu: Emulator) -> int:
    return sum(1 for r in emu.request_log() if r.method == "POST" and r.path.endswith("/users"))


def _applied(report: SyncReport) -> Set[str]:
    return {c.name for c in report.changes if c.applied}


def test_token_stops_after_the_current_batch(client: lpconfig.Client) -> None:
    plan = client.sync.plan(PEOPLE)
    token = CancelToken()

    # The sync client calls back on the apply's thread at each batch boundary, so the
    # third one-user batch is never sent.
    def progress(p: SyncProgress) -> None:
        if p.phase == "create_users" and p.done >= 2:
            token.cancel()

    report = client.sync.apply(plan, on_progress=progress, batch_size=1, cancel=token)
    assert report.outcome == "cancelled" and not report.ok and token.cancelled
    assert [(c.name, c.applied) for c in report.changes] == [
        ("temp.1", True), ("temp.2", True), ("temp.3", False), ("temp.4", False), ("temp.5", False),
    ]  # fmt: skip
    assert report.applied.users_created == 2
    assert report.verified is None  # no re-plan after a cancelled apply
    assert _temps(client) == {"temp.1", "temp.2"}
    # The rest is still to do: a new plan has exactly the three left.
    assert len(client.sync.plan(PEOPLE)) == 3


def test_token_cancelled_before_apply_applies_nothing(emu: Emulator, client: lpconfig.Client) -> None:
    plan = client.sync.plan(PEOPLE)
    token = CancelToken()
    token.cancel()
    report = client.sync.apply(plan, cancel=token)
    assert report.outcome == "cancelled"
    assert _applied(report) == set() and _temps(client) == set() and _creates(emu) == 0


async def test_async_token_reports_what_the_server_stored(
    emu: Emulator, aclient: lpconfig.AsyncClient, client: lpconfig.Client
) -> None:
    plan = await aclient.sync.plan(PEOPLE)
    emu.add_fault("*/users", latency=0.15, method="POST")
    token = CancelToken()
    report = await aclient.sync.apply(
        plan, batch_size=1, cancel=token, on_progress=lambda p: token.cancel() if p.done >= 1 else None
    )
    assert report.outcome == "cancelled"
    applied = _applied(report)
    assert 1 <= len(applied) < len(PEOPLE)
    assert _temps(client) == applied and _creates(emu) == len(applied)


async def test_cancelled_task_finishes_the_batch_in_flight(
    emu: Emulator, aclient: lpconfig.AsyncClient, client: lpconfig.Client
) -> None:
    plan = await aclient.sync.plan(PEOPLE)
    emu.add_fault("*/users", latency=0.6, method="POST")
    emu.clear_request_log()
    started = asyncio.Event()
    after_first: List[SyncProgress] = []

    # The first report with done == 1 ends batch 1; the next is a tick (every 250 ms)
    # while batch 2's request is in flight.
    def progress(p: SyncProgress) -> None:
        if p.done == 1:
            after_first.append(p)
            if len(after_first) == 2:
                started.set()

    task = asyncio.create_task(aclient.sync.apply(plan, batch_size=1, on_progress=progress))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    # The batch in flight was finished, not cut off, and nothing was sent after it.
    stored = _temps(client)
    assert stored == {"temp.1", "temp.2"}, stored
    await asyncio.sleep(0.5)
    assert _temps(client) == stored and _creates(emu) == 2
