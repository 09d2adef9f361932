"""Benchmark: lpconfig's sync and async clients against plain httpx doing the same
calls against the same in-process emulator, in one run. Prints calls/s and ratios.

    python python/bench/bench_clients.py [--gets 10000] [--async-calls 20000] [--users 50000]

Build the extension in release mode first (``pip install ./python`` or
``maturin develop --release``); a debug build measures the wrong thing.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

import httpx

import lpconfig
from lpconfig.testing import Emulator

JANE_ID = 4052816612
IN_FLIGHT = 200


def best_of(runs: int, fn: Callable[[], float]) -> float:
    return min(fn() for _ in range(runs))


def httpx_session(emu: Emulator) -> Tuple[str, Dict[str, str]]:
    """Logs in like the client does; returns the users URL and auth headers."""
    user, password = emu.credentials().username, emu.credentials().password
    r = httpx.post(
        f"{emu.url}/api/account/{emu.account}/login?v=1.3", json={"username": user, "password": password}
    )
    r.raise_for_status()
    headers = {"Authorization": f"Bearer {r.json()['bearer']}", "Accept": "application/json"}
    return f"{emu.url}/api/account/{emu.account}/configuration/le-users/users", headers


def bench_sync_get(emu: Emulator, n: int) -> Tuple[float, float]:
    with emu.client() as client:
        client.users.get(JANE_ID)

        def lp() -> float:
            t = time.perf_counter()
            for _ in range(n):
                client.users.get(JANE_ID)
            return time.perf_counter() - t

        lp_time = best_of(2, lp)
    base, headers = httpx_session(emu)
    params = {"v": "4.0", "select": "$all"}
    with httpx.Client(headers=headers) as hc:
        hc.get(f"{base}/{JANE_ID}", params=params).json()

        def hx() -> float:
            t = time.perf_counter()
            for _ in range(n):
                r = hc.get(f"{base}/{JANE_ID}", params=params)
                r.raise_for_status()
                r.json()
            return time.perf_counter() - t

        hx_time = best_of(2, hx)
    return n / lp_time, n / hx_time


async def bench_async(emu: Emulator, total: int) -> Tuple[float, float]:
    per_worker = total // IN_FLIGHT

    async with emu.async_client() as client:
        await client.users.get(JANE_ID)

        async def lp_worker() -> None:
            for _ in range(per_worker):
                await client.users.get(JANE_ID)

        t = time.perf_counter()
        await asyncio.gather(*(lp_worker() for _ in range(IN_FLIGHT)))
        lp_time = time.perf_counter() - t

    base, headers = httpx_session(emu)
    params = {"v": "4.0", "select": "$all"}
    limits = httpx.Limits(max_connections=IN_FLIGHT, max_keepalive_connections=IN_FLIGHT)
    async with httpx.AsyncClient(headers=headers, limits=limits) as hc:
        await hc.get(f"{base}/{JANE_ID}", params=params)

        async def hx_worker() -> None:
            for _ in range(per_worker):
                r = await hc.get(f"{base}/{JANE_ID}", params=params)
                r.raise_for_status()
                r.json()

        t = time.perf_counter()
        await asyncio.gather(*(hx_worker() for _ in range(IN_FLIGHT)))
        hx_time = time.perf_counter() - t
    calls = per_worker * IN_FLIGHT
    return calls / lp_time, calls / hx_time


def bench_list(emu: Emulator, users: int) -> Tuple[float, float, int]:
    emu.insert_bulk_users(max(0, users - 20))
    with emu.client() as client:
        seen = len(client.users.list().value)

        def lp() -> float:
            t = time.perf_counter()
            got: List[lpconfig.StoredUser] = client.users.list().value
            assert len(got) == seen
            return time.perf_counter() - t

        lp_time = best_of(3, lp)
    base, headers = httpx_session(emu)
    with httpx.Client(headers=headers, timeout=120) as hc:

        def hx() -> float:
            t = time.perf_counter()
            r = hc.get(base, params={"v": "4.0", "select": "$all"})
            r.raise_for_status()
            dicts: List[Dict[str, Any]] = json.loads(r.content)
            assert len(dicts) == seen
            return time.perf_counter() - t

        hx_time = best_of(3, hx)
    return lp_time, hx_time, seen


def import_time() -> float:
    code = "import time; t = time.perf_counter(); import lpconfig; print(time.perf_counter() - t)"
    runs = [float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(7)]
    return min(runs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gets", type=int, default=10_000, help="sync gets per client")
    ap.add_argument("--async-calls", type=int, default=20_000, help="async gets per client, 200 in flight")
    ap.add_argument("--users", type=int, default=50_000, help="users in the list benchmark")
    args = ap.parse_args()

    print(f"lpconfig {lpconfig.__version__}, httpx {httpx.__version__}, Python {sys.version.split()[0]}")
    rows = []
    with Emulator() as emu:
        lp, hx = bench_sync_get(emu, args.gets)
        rows.append((f"sync get x{args.gets}", f"{lp:.0f}/s", f"httpx.Client {hx:.0f}/s", lp / hx, 2))
    with Emulator() as emu:
        lp, hx = asyncio.run(bench_async(emu, args.async_calls))
        rows.append(
            (f"async get, {IN_FLIGHT} in flight", f"{lp:.0f}/s", f"httpx.AsyncClient {hx:.0f}/s", lp / hx, 3)
        )
    with Emulator() as emu:
        lp_t, hx_t, n = bench_list(emu, args.users)
        rows.append(
            (
                f"list {n} users",
                f"{lp_t * 1000:.0f} ms",
                f"httpx+json.loads {hx_t * 1000:.0f} ms",
                hx_t / lp_t,
                1,
            )
        )
    for name, ours, theirs, ratio, target in rows:
        print(f"{name:28} lpconfig {ours:>10}   {theirs:>28}   ratio {ratio:5.2f}x (target >= {target})")
    it = import_time()
    print(f"import lpconfig:          {it * 1000:6.1f} ms (target < 50 ms)")


if __name__ == "__main__":
    main()
