"""Smoke test of the uniffi-generated Python bindings: a second check of the
FFI surface (the pyo3 package stays the Python product).

Runs against a `lpconfig-emulator --port 0` subprocess and prints
`uniffi-python: N passed, N failed`.

    python3 checks/python_smoke.py [TARGET_DIR]   # default ../../target/debug
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
TARGET = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "target" / "debug"
sys.path.insert(0, str(HERE / "generated" / "python"))
lp = importlib.import_module("lpconfig_ffi")

PASSWORD = "demo-password-1"
SUPPORT = 1001
PROFILE_AGENT = 2359273712


class Emulator:
    """The emulator binary; the URL is the last word of its first stdout line."""

    def __init__(self, *faults: str) -> None:
        cmd = [str(TARGET / "lpconfig-emulator"), "--port", "0", "--seed", "demo"]
        for f in faults:
            cmd += ["--fault", f]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        self.url = self.proc.stdout.readline().split()[-1]

    def client(self, password: str = PASSWORD) -> lp.Client:
        creds = lp.Credentials.PASSWORD(username="admin", password=lp.Secret(password))
        return lp.Client(
            lp.ClientConfig(account="demo", credentials=creds, csds_url=self.url, retry_delays_ms=[10])
        )

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


async def test_list_and_catalogs(emu: Emulator) -> None:
    c = emu.client()
    users = await c.users().list()
    assert len(users.value) >= 20 and users.revision is not None
    assert any(u.login_name == "admin" for u in users.value)
    skills = await c.skills().list()
    assert any(s.name == "VIP" for s in skills.value), skills
    tree = await c.agent_groups().tree()
    assert tree[0].group.id == -1 and {n.group.name for n in tree[0].children} >= {"Support", "Sales"}


async def test_user_round_trip(emu: Emulator) -> None:
    users = emu.client().users()
    made = await users.create(
        lp.User(
            login_name="py.uniffi",
            nickname="Py",
            email="py.uniffi@example.com",
            full_name="Py Uniffi",
            is_enabled=True,
            max_chats=2,
            profile_ids=[PROFILE_AGENT],
            password=lp.Secret("Py-uniffi-pass-1"),
            member_of=lp.GroupLink(agent_group_id=SUPPORT),
            extra_json='{"pyExtra":1}',
        )
    )
    uid = made.value.id
    read = await users.get(uid)
    assert read.value.login_name == "py.uniffi" and read.value.member_of.agent_group_id == SUPPORT
    read.value.nickname = "Pyy"
    await users.update(read.value, lp.IfMatch.REVISION(revision=read.revision))
    assert (await users.get(uid)).value.nickname == "Pyy"
    await users.delete(uid, lp.IfMatch.ANY())
    assert all(u.id != uid for u in (await users.list()).value)


async def test_group_round_trip(emu: Emulator) -> None:
    groups = emu.client().agent_groups()
    made = await groups.create(lp.AgentGroup(name="Py Team", parent_group_id=SUPPORT, is_enabled=True))
    gid = made.value.id
    assert any(g.id == gid for g in await groups.children(SUPPORT))
    await groups.delete(gid, lp.IfMatch.ANY())
    assert all(g.id != gid for g in (await groups.list()).value)


async def test_not_found_error(emu: Emulator) -> None:
    try:
        await emu.client().users().get(987654321)
    except lp.LpError.NotFound as e:
        assert e.status == 404 and e.method == "GET" and e.code() == "ERR_NOT_FOUND", repr(e)
        assert "/users/987654321" in e.url
    else:
        raise AssertionError("expected LpError.NotFound")


async def test_config_error_and_no_secrets(emu: Emulator) -> None:
    try:
        lp.Client(lp.ClientConfig(account="bad id!", credentials=lp.Credentials.BEARER(token=lp.Secret("t"))))
    except lp.LpError.Config as e:
        assert e.field == "account" and e.status is None
    else:
        raise AssertionError("expected LpError.Config")
    wrong = "Wr0ng-Py-Secret"
    try:
        await emu.client(password=wrong).users().list()
    except lp.LpError.Auth as e:
        text = f"{e} {e!r} {traceback.format_exc()}"
        assert wrong not in text, text
    else:
        raise AssertionError("expected LpError.Auth")
    creds = lp.Credentials.API_KEY(
        app_key="k", secret=lp.Secret("SEC-1"), access_token="t", access_token_secret=lp.Secret("TS-2")
    )
    user = lp.User(login_name="x", password=lp.Secret("PW-3"))
    text = f"{creds!r} {user!r} {user} {lp.Secret('PW-4')}"
    for s in ("SEC-1", "TS-2", "PW-3", "PW-4"):
        assert s not in text, text


async def test_modify_callback(emu: Emulator) -> None:
    users = emu.client().users().allow_masked_blank(True)
    jane = await users.find_by_login_name("jane.doe")

    class Describe(lp.UserChange):
        def apply(self, user: lp.User) -> lp.User:
            user.description = "changed from Python"
            return user

    await users.modify([jane.id], Describe())
    assert (await users.get(jane.id)).value.description == "changed from Python"


async def test_calls_do_not_block_the_loop() -> None:
    emu = Emulator('{"method":"GET","path":"*/users","action":{"type":"latency","ms":300}}')
    try:
        c = emu.client()
        await c.login()
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.02)

        t = asyncio.create_task(ticker())
        a, b = await asyncio.gather(c.users().list(), c.users().list(select="id"))
        done_at = ticks
        t.cancel()
        assert len(a.value) == len(b.value)
        assert done_at >= 3, f"the event loop ran only {done_at} ticks while the calls were pending"
    finally:
        emu.close()


async def main() -> int:
    emu = Emulator()
    passed = failed = 0
    try:
        for name, fn in list(globals().items()):
            if not name.startswith("test_"):
                continue
            try:
                await (fn(emu) if fn.__code__.co_argcount else fn())
                passed += 1
                print(f"ok   {name}")
            except Exception:  # noqa: BLE001 - report every failure and go on
                failed += 1
                print(f"FAIL {name}\n{traceback.format_exc()}")
    finally:
        emu.close()
    print(f"uniffi-python: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
