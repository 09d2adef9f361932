"""Process-level safety, each case in its own interpreter: exiting with clients
open, closed or busy never crashes; a fork never hangs; a closed client refuses
calls instead of logging in again."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from typing import List, Tuple

import pytest
from demo_data import JANE_ID

import lpconfig
from lpconfig.testing import Emulator

PRELUDE = """
import asyncio, logging, sys, threading
import lpconfig
from lpconfig.testing import Emulator, fast_retry
emu = Emulator(seed="demo").start()
def make(cls):
    return cls(emu.account, credentials=emu.credentials(), csds_url=emu.url, retry=fast_retry())
"""

# Each body ends with the interpreter exiting: clients closed or not, calls
# awaited one by one or gathered, and some still running when it exits.
BODIES = {
    "async-closed-sequential": """
async def main():
    async with make(lpconfig.AsyncClient) as c:
        for _ in range(3):
            await c.users.list()
asyncio.run(main())
""",
    "async-unclosed-sequential": """
async def main():
    c = make(lpconfig.AsyncClient)
    await c.users.list()
    await c.agent_groups.list()
asyncio.run(main())
""",
    "async-closed-gather": """
async def main():
    async with make(lpconfig.AsyncClient) as c:
        await asyncio.gather(*(c.users.list() for _ in range(8)))
asyncio.run(main())
""",
    "async-unclosed-gather": """
async def main():
    c = make(lpconfig.AsyncClient)
    await asyncio.gather(*(c.users.list() for _ in range(8)), c.skills.list())
asyncio.run(main())
""",
    "async-in-flight-at-exit": """
emu.add_fault("*/users", latency=0.05)
client = make(lpconfig.AsyncClient)   # a global: released only during finalization
async def main():
    for _ in range(6):
        asyncio.ensure_future(client.users.list())
    await asyncio.sleep(0.01)          # the calls are running in Rust; main returns
asyncio.run(main())
""",
    "async-in-flight-logging": """
logging.basicConfig(level=logging.DEBUG, stream=sys.stdout)
emu.add_fault("*/users", latency=0.03)
client = make(lpconfig.AsyncClient)
async def main():
    await client.agent_groups.list()
    tasks = [asyncio.ensure_future(client.users.list()) for _ in range(4)]
    await asyncio.sleep(0.02)
asyncio.run(main())
""",
    "async-loop-closed-under-a-call": """
emu.add_fault("*/users", latency=0.03)
client = make(lpconfig.AsyncClient)
async def start():
    return asyncio.ensure_future(client.users.list())
loop = asyncio.new_event_loop()
task = loop.run_until_complete(start())
loop.run_until_complete(asyncio.sleep(0.005))   # the call is running in Rust
loop.close()                       # the call finishes after its loop is gone
import time; time.sleep(0.06)
""",
    "sync-unclosed-thread-in-flight": """
emu.add_fault("*/users", latency=0.2)
client = make(lpconfig.Client)
client.agent_groups.list()
threading.Thread(target=client.users.list, daemon=True).start()
import time; time.sleep(0.02)      # exits while the daemon thread waits in Rust
""",
    "sync-closed": """
with make(lpconfig.Client) as c:
    c.users.list()
""",
    "mixed-unclosed-modify": """
client = make(lpconfig.AsyncClient)
async def main():
    ids = [u.id for u in (await client.users.list()).value[:3]]
    await client.users.allow_masked_blank().modify(ids, lambda u: u)
    asyncio.ensure_future(client.users.allow_masked_blank().modify(ids, lambda u: u))
    await asyncio.sleep(0)
asyncio.run(main())
""",
}

RUNS = 50


def _run(name: str) -> Tuple[str, int, str]:
    script = PRELUDE + textwrap.dedent(BODIES[name]) + "\nprint('script done')\n"
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    # A run that did not reach its end reports exit 1. The check looks at the
    # whole stdout: debug log lines of calls finishing after the script's last
    # line can push "script done" out of any fixed-size tail.
    rc = proc.returncode if proc.returncode != 0 or "script done" in proc.stdout else 1
    return name, rc, proc.stdout[-300:] + proc.stderr[-1500:]


def test_interpreter_exit_never_crashes() -> None:
    names = sorted(BODIES)
    cases = [names[i % len(names)] for i in range(RUNS)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_run, cases))
    failed: List[Tuple[str, int, str]] = [r for r in results if r[1] != 0]
    assert not failed, "\n\n".join(f"{n}: exit {rc}\n{out}" for n, rc, out in failed[:3])
    for _, _, out in results:
        assert "Fatal Python error" not in out and "panicked" not in out, out


FORK_SCRIPT = """
import asyncio, os, sys
import lpconfig
from lpconfig.testing import Emulator, fast_retry
emu = Emulator(seed="demo").start()
def make(cls):
    return cls(emu.account, credentials=emu.credentials(), csds_url=emu.url, retry=fast_retry())
parent = make(lpconfig.Client)
assert parent.users.list().value            # the runtime and a session exist now
pid = os.fork()
if pid == 0:
    code = 0
    try:
        parent.users.list()
        print("child: the parent's client ran", flush=True); code = 1
    except lpconfig.ConfigError as e:
        if e.field != "client" or "fork" not in str(e):
            print("child: wrong error", repr(e), flush=True); code = 1
    try:
        with make(lpconfig.Client) as fresh:      # a new client works in the child
            assert len(fresh.users.list().value) == 20
        async def main():
            async with make(lpconfig.AsyncClient) as c:
                return await asyncio.gather(c.users.list(), c.agent_groups.list())
        assert len(asyncio.run(main())[0].value) == 20
    except BaseException as e:
        print("child: new client failed", repr(e), flush=True); code = 1
    os._exit(code)
_, status = os.waitpid(pid, 0)
assert parent.users.list().value            # the parent is unaffected
parent.close()
sys.exit(os.waitstatus_to_exitcode(status))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_child_gets_a_clear_error_or_a_working_new_client() -> None:
    proc = subprocess.run([sys.executable, "-c", FORK_SCRIPT], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_closed_client_refuses_calls(emu: Emulator) -> None:
    client = emu.client()
    client.users.get(JANE_ID)
    client.close()
    logins = sum(1 for r in emu.request_log() if r.path.endswith("/login"))
    with pytest.raises(lpconfig.ConfigError, match="client is closed") as info:
        client.users.get(JANE_ID)
    assert info.value.field == "client"
    with pytest.raises(lpconfig.ConfigError, match="client is closed"):
        client.login()
    client.close()  # a second close is a no-op
    assert sum(1 for r in emu.request_log() if r.path.endswith("/login")) == logins


async def test_a_closed_async_client_refuses_calls(emu: Emulator) -> None:
    async with emu.async_client() as client:
        await client.users.get(JANE_ID)
    with pytest.raises(lpconfig.ConfigError, match="client is closed") as info:
        await client.users.list()
    assert info.value.field == "client"
