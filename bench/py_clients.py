"""Python side of bench/run.sh: lpconfig against hand-rolled clients doing the
same requests against one release emulator in another process.

Every benchmark runs a warm-up round, then ROUNDS rounds in which the clients
take turns (the order flips every round), so load on the shared machine hits
every client alike. The cyclic GC is paused for every client while it is timed
(and collected between samples). Prints one JSON object per line:
{"bench", "client", "unit", "samples"}.

Not part of the test suite. Run through bench/run.sh.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from typing import Any, Awaitable, Callable, Dict, List, Tuple

import aiohttp
import httpx
import orjson
import requests

import lpconfig

JANE_ID = 4052816612
QUERY = {"v": "4.0", "select": "$all"}
#: httpx's timeouts (a loaded machine is slow, not broken).
TIMEOUT = httpx.Timeout(300.0)


class Target:
    def __init__(self, url: str, account: str, user: str, password: str) -> None:
        self.url, self.account, self.user, self.password = url, account, user, password
        r = httpx.post(
            f"{url}/api/account/{account}/login?v=1.3", json={"username": user, "password": password}
        )
        r.raise_for_status()
        # The same auth lpconfig's password credentials use: a Login Service bearer.
        self.headers = {"Authorization": f"Bearer {r.json()['bearer']}", "Accept": "application/json"}
        # The emulator's CSDS points every service at itself.
        self.users = f"{url}/api/account/{account}/configuration/le-users/users"

    def client(self) -> lpconfig.Client:
        return lpconfig.Client(
            self.account, csds_url=self.url, credentials=lpconfig.Password(self.user, self.password)
        )

    def async_client(self) -> lpconfig.AsyncClient:
        return lpconfig.AsyncClient(
            self.account, csds_url=self.url, credentials=lpconfig.Password(self.user, self.password)
        )


def timed(fn: Callable[[], Any]) -> float:
    gc.collect()
    gc.disable()
    try:
        t = time.perf_counter()
        fn()
        return time.perf_counter() - t
    finally:
        gc.enable()


def alternate(bench: str, unit: str, work: float, runners: Dict[str, Callable[[], float]], rounds: int) -> None:
    """Warm-up round, then `rounds` rounds alternating the order; `work` turns seconds into the unit."""
    names = list(runners)
    for name in names:
        runners[name]()
    samples: Dict[str, List[float]] = {n: [] for n in names}
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            secs = runners[name]()
            samples[name].append(work / secs if work else secs)
    for name in names:
        print(json.dumps({"bench": bench, "client": name, "unit": unit, "samples": samples[name]}), flush=True)


def bench_get(t: Target, n: int, rounds: int) -> None:
    lp = t.client()
    lp.users.get(JANE_ID)
    rs = requests.Session()
    rs.headers.update(t.headers)
    hx = httpx.Client(headers=t.headers, timeout=TIMEOUT)
    url = f"{t.users}/{JANE_ID}"

    def run_lp() -> float:
        return timed(lambda: [lp.users.get(JANE_ID) for _ in range(n)])

    def run_requests() -> float:
        def loop() -> None:
            for _ in range(n):
                r = rs.get(url, params=QUERY)
                r.raise_for_status()
                r.json()

        return timed(loop)

    def run_httpx() -> float:
        def loop() -> None:
            for _ in range(n):
                r = hx.get(url, params=QUERY)
                r.raise_for_status()
                orjson.loads(r.content)

        return timed(loop)

    alternate(
        f"py sync get x{n}",
        "calls/s",
        n,
        {"lpconfig": run_lp, "requests.Session": run_requests, "httpx+orjson": run_httpx},
        rounds,
    )
    lp.close()
    hx.close()


def bench_async(t: Target, in_flight: int, per_worker: int, rounds: int) -> None:
    url = f"{t.users}/{JANE_ID}"
    total = in_flight * per_worker

    async def main() -> None:
        lp = t.async_client()
        await lp.users.get(JANE_ID)
        conn = aiohttp.TCPConnector(limit=in_flight)
        aio = aiohttp.ClientSession(headers=t.headers, connector=conn)
        limits = httpx.Limits(max_connections=in_flight, max_keepalive_connections=in_flight)
        # httpx's default 5 s (connect and pool) timeouts fire with 200 tasks on a
        # loaded 2-core machine; lpconfig and aiohttp wait far longer by default.
        hx = httpx.AsyncClient(headers=t.headers, limits=limits, timeout=TIMEOUT)

        async def gather(worker: Callable[[], Awaitable[None]]) -> float:
            gc.collect()
            gc.disable()
            try:
                s = time.perf_counter()
                await asyncio.gather(*(worker() for _ in range(in_flight)))
                return time.perf_counter() - s
            finally:
                gc.enable()

        async def lp_worker() -> None:
            for _ in range(per_worker):
                await lp.users.get(JANE_ID)

        async def aio_worker() -> None:
            for _ in range(per_worker):
                async with aio.get(url, params=QUERY) as r:
                    r.raise_for_status()
                    orjson.loads(await r.read())

        async def hx_worker() -> None:
            for _ in range(per_worker):
                r = await hx.get(url, params=QUERY)
                r.raise_for_status()
                orjson.loads(r.content)

        workers: Dict[str, Callable[[], Awaitable[None]]] = {
            "lpconfig": lp_worker,
            "aiohttp+orjson": aio_worker,
            "httpx.AsyncClient+orjson": hx_worker,
        }
        names = list(workers)
        for name in names:
            await gather(workers[name])
        samples: Dict[str, List[float]] = {n: [] for n in names}
        for r in range(rounds):
            for name in names if r % 2 == 0 else reversed(names):
                samples[name].append(total / await gather(workers[name]))
        for name in names:
            print(
                json.dumps(
                    {"bench": f"py async get, {in_flight} in flight", "client": name, "unit": "calls/s",
                     "samples": samples[name]}
                ),
                flush=True,
            )
        await lp.close()
        await aio.close()
        await hx.aclose()

    asyncio.run(main())


def bench_list(t: Target, rounds: int) -> None:
    lp = t.client()
    hx = httpx.Client(headers=t.headers, timeout=TIMEOUT)
    expected = len(lp.users.list().value)

    def run_lp() -> float:
        got: List[Any] = []

        def once() -> None:
            got.append(lp.users.list().value)

        secs = timed(once)
        assert len(got[0]) == expected
        return secs

    def run_httpx() -> float:
        got: List[Any] = []

        def once() -> None:
            r = hx.get(t.users, params=QUERY)
            r.raise_for_status()
            got.append(orjson.loads(r.content))

        secs = timed(once)
        assert len(got[0]) == expected
        return secs

    alternate(
        f"py users.list() of {expected} users",
        "s",
        0,
        {"lpconfig": run_lp, "httpx+orjson": run_httpx},
        rounds,
    )
    lp.close()
    hx.close()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--account", default="demo")
    ap.add_argument("--user", default="admin")
    ap.add_argument("--password", default="demo-password-1")
    ap.add_argument("--only", choices=["get", "async", "list"], action="append")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--gets", type=int, default=2000)
    ap.add_argument("--in-flight", type=int, default=200)
    ap.add_argument("--per-worker", type=int, default=20)
    args = ap.parse_args()
    print(f"# lpconfig {lpconfig.__version__}, Python {sys.version.split()[0]}", file=sys.stderr)
    t = Target(args.url, args.account, args.user, args.password)
    only = args.only or ["get", "async", "list"]
    benches: Dict[str, Callable[[], None]] = {
        "get": lambda: bench_get(t, args.gets, args.rounds),
        "async": lambda: bench_async(t, args.in_flight, args.per_worker, args.rounds),
        "list": lambda: bench_list(t, args.rounds),
    }
    for name, run in benches.items():
        if name in only:
            # One failed benchmark leaves a note, not a hole in the others.
            try:
                run()
            except Exception as e:  # noqa: BLE001 - reported in the table
                print(json.dumps({"note": f"py {name}: failed with {type(e).__name__}: {e}"}), flush=True)


if __name__ == "__main__":
    main()
