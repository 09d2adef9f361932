"""The sync client releases the GIL; the async client handles many calls in flight."""

from __future__ import annotations

import asyncio
import threading

from demo_data import ADMIN_ID, JANE_ID

import lpconfig
from lpconfig.testing import Emulator


def test_sync_call_releases_the_gil(emu: Emulator, client: lpconfig.Client) -> None:
    client.login()
    emu.add_fault("*/le-users/users/*", latency=0.4, method="GET", times=1)
    ticks = 0
    stop = threading.Event()

    def count() -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1

    worker = threading.Thread(target=count)
    worker.start()
    try:
        before = ticks
        got = client.users.get(JANE_ID)
        during = ticks - before
    finally:
        stop.set()
        worker.join()
    assert got.value.login_name == "jane.doe"
    # With the GIL held for 0.4 s the counter could advance only in the
    # interpreter's 5 ms switch slices; released, it runs the whole time.
    assert during > 100_000


def test_threads_share_one_client(client: lpconfig.Client) -> None:
    results: list[str] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(10):
            name = client.users.get(JANE_ID).value.login_name or ""
            with lock:
                results.append(name)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["jane.doe"] * 80


async def test_200_concurrent_async_calls(emu: Emulator, aclient: lpconfig.AsyncClient) -> None:
    await aclient.login()
    emu.clear_request_log()
    ids = [ADMIN_ID + 100 * (i % 20) for i in range(200)]
    results = await asyncio.gather(*(aclient.users.get(i) for i in ids))
    assert [r.value.id for r in results] == ids
    gets = [r for r in emu.request_log() if r.method == "GET" and "/le-users/users/" in r.path]
    assert len(gets) == 200 and all(r.status == 200 for r in gets)


async def test_calls_overlap_in_time(emu: Emulator, aclient: lpconfig.AsyncClient) -> None:
    await aclient.login()
    emu.add_fault("*/le-users/users/*", latency=0.3, method="GET")
    loop = asyncio.get_running_loop()
    started = loop.time()
    await asyncio.gather(*(aclient.users.get(JANE_ID) for _ in range(20)))
    # Twenty 0.3 s calls in sequence would take 6 s.
    assert loop.time() - started < 3


async def test_cancelling_a_call_leaves_the_client_usable(
    emu: Emulator, aclient: lpconfig.AsyncClient
) -> None:
    emu.add_fault("*/le-users/users/*", latency=5, method="GET", times=1)
    task = asyncio.ensure_future(aclient.users.get(JANE_ID))
    await asyncio.sleep(0.1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
    assert task.cancelled()
    assert (await aclient.users.get(ADMIN_ID)).value.login_name == "admin"
