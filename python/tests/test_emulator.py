"""lpconfig.testing.Emulator: lifecycle, faults, request log, bulk data."""

from __future__ import annotations

import pytest
from demo_data import JANE_ID

import lpconfig
from lpconfig.testing import Emulator


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
