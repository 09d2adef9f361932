"""lpconfig.testing.Emulator: lifecycle, faults, request log, bulk data."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest
from demo_data import JANE_ID

import lpconfig
from lpconfig.testing import Emulator, emulator_path


def test_start_stop_and_reuse() -> None:
    emu = Emulator()
    assert not emu.running
    with pytest.raises(RuntimeError):
        _ = emu.url
    with emu:
        assert emu.running and emu.url.startswith("http://127.0.0.1:") and emu.account == "demo"
        url = emu.url
    assert not emu.running
    with pytest.raises(lpconfig.TransportError):
        lpconfig.Client(
            "demo", lpconfig.Password("a", "b"), csds_url=url, retry=lpconfig.RetryPolicy.none()
        ).login()


def test_faults_from_json_and_validation(emu: Emulator, client: lpconfig.Client) -> None:
    emu.add_fault_json(
        '{"path":"*/users/*","method":"GET","count":1,"action":{"type":"status","status":404}}'
    )
    with pytest.raises(lpconfig.NotFoundError):
        client.users.get(JANE_ID)
    assert client.users.get(JANE_ID).value.id == JANE_ID
    with pytest.raises(ValueError):
        emu.add_fault("*", status=500, reset=True)
    with pytest.raises(ValueError):
        emu.add_fault_json("{}")
    emu.add_fault("*/users/*", status=500)
    emu.clear_faults()
    assert client.users.get(JANE_ID).value.id == JANE_ID


def test_request_log(emu: Emulator, client: lpconfig.Client) -> None:
    client.users.get(JANE_ID)
    log = emu.request_log()
    assert [r.path.rsplit("/", 1)[-1] for r in log][-1] == str(JANE_ID)
    last = log[-1]
    assert last.method == "GET" and last.status == 200 and last.query is not None and "v=4.0" in last.query
    assert (last.header("User-Agent") or "").find("python") >= 0
    emu.clear_request_log()
    assert emu.request_log() == []


def test_bulk_users(emu: Emulator, client: lpconfig.Client) -> None:
    emu.insert_bulk_users(500)
    users = client.users.list().value
    assert len(users) == 520
    assert sum(1 for u in users if (u.login_name or "").startswith("bulk.agent.")) == 500


def test_fixture_is_fresh_per_test(emu: Emulator) -> None:
    assert emu.request_log() == []


def test_a_bad_seed_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="seed"):
        Emulator(seed=str(tmp_path / "missing.toml")).start()


def test_a_missing_program_names_the_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("LPCONFIG_EMULATOR", str(tmp_path / "nowhere" / "lpconfig-emulator"))
    with pytest.raises(FileNotFoundError):
        Emulator().start()
    monkeypatch.delenv("LPCONFIG_EMULATOR")
    monkeypatch.setattr(sysconfig, "get_path", lambda *a, **k: str(tmp_path))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(FileNotFoundError, match=r"lpconfig\[testing\]"):
        emulator_path()


def test_the_emulator_dies_with_the_process_that_started_it() -> None:
    # The parent is killed outright (no atexit, no finalizers): its emulator must not linger.
    script = (
        "import os, signal\n"
        "from lpconfig.testing import Emulator\n"
        "emu = Emulator().start()\n"
        "print(emu._p.proc.pid, emu.url, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    pid_text, url = proc.stdout.split()
    pid = int(pid_text)
    deadline = time.monotonic() + 10
    while _alive(pid):
        assert time.monotonic() < deadline, f"emulator {pid} outlived its parent"
        time.sleep(0.02)
    with pytest.raises(lpconfig.TransportError):
        none = lpconfig.RetryPolicy.none()
        lpconfig.Client("demo", lpconfig.Password("a", "b"), csds_url=url, retry=none).login()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
