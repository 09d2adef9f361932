"""No secret in repr, str(exc) or logs; core events reach the ``lpconfig`` logger."""

from __future__ import annotations

import logging

import pytest
from demo_data import DEMO_PASSWORD, JANE_ID

import lpconfig
from lpconfig.testing import Emulator


def test_client_repr_hides_credentials(emu: Emulator) -> None:
    client = emu.client()
    assert DEMO_PASSWORD not in repr(client) and "admin" in repr(client)
    k = emu.api_key()
    signed = emu.client(credentials=k)
    assert k.secret not in repr(signed) and k.access_token_secret not in repr(signed)


def test_auth_error_text_has_no_password(emu: Emulator) -> None:
    with pytest.raises(lpconfig.AuthError) as info:
        emu.client(credentials=lpconfig.Password("admin", "Wr0ng-Secret-Value")).login()
    e = info.value
    for text in (str(e), repr(e), str(e.args), e.body or "", e.url or ""):
        assert "Wr0ng-Secret-Value" not in text


def test_debug_logs_carry_events_but_no_secrets(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="lpconfig")
    emu.add_fault("*/le-users/users/*", status=503, method="GET", times=1)
    with emu.client() as client:
        client.users.get(JANE_ID)
        client.users.reset_password(JANE_ID, "Reset-Passw0rd-7")
        emu.expire_sessions()
        client.users.get(JANE_ID)
    bearers = {
        (r.header("authorization") or "").removeprefix("Bearer ")
        for r in emu.request_log()
        if (r.header("authorization") or "").startswith("Bearer ")
    }
    assert bearers
    retries = [r for r in caplog.records if r.name == "lpconfig.retry"]
    assert retries and retries[0].levelno == logging.WARNING and "503" in retries[0].getMessage()
    assert any(r.name.startswith("lpconfig.") and r.levelno == logging.DEBUG for r in caplog.records)
    text = caplog.text
    for secret in [DEMO_PASSWORD, "Reset-Passw0rd-7", *bearers]:
        assert secret not in text


def test_disabled_level_drops_events(emu: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="lpconfig")
    emu.add_fault("*/le-users/users/*", status=503, method="GET", times=1)
    with emu.client() as client:
        client.users.get(JANE_ID)
    assert not [r for r in caplog.records if r.name.startswith("lpconfig")]


def test_on_retry_sees_every_retry(emu: Emulator) -> None:
    events: list[lpconfig.RetryEvent] = []
    policy = lpconfig.RetryPolicy(server_delays=(0.001, 0.002, 0.003))
    emu.add_fault("*/users", status=503, times=2)
    with emu.client(retry=policy, on_retry=events.append) as client:
        assert len(client.users.list().value) == 20
    assert [(e.attempt, e.status, e.method) for e in events] == [(1, 503, "GET"), (2, 503, "GET")]
    assert events[0].delay == pytest.approx(0.001) and "/users" in events[0].url
    assert events[0].reason == "status 503"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
async def test_on_retry_works_for_async_and_a_raising_hook_does_not_fail_the_call(emu: Emulator) -> None:
    def boom(_: lpconfig.RetryEvent) -> None:
        raise RuntimeError("hook failed")

    emu.add_fault("*/users", status=503, times=1)
    async with emu.async_client(on_retry=boom) as client:
        assert len((await client.users.list()).value) == 20
    with pytest.raises(TypeError, match="on_retry"):
        emu.client(on_retry="print")
