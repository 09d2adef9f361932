"""Sessions: context managers log out, login(), from_env, credential kinds."""

from __future__ import annotations

import pytest
from demo_data import JANE_ID

import lpconfig
from lpconfig.testing import Emulator


def _logouts(emu: Emulator) -> int:
    return sum(1 for r in emu.request_log() if r.path.endswith("/logout"))


def test_context_manager_logs_out(emu: Emulator) -> None:
    with emu.client() as client:
        client.users.get(JANE_ID)
        assert _logouts(emu) == 0 and emu.session_count() == 1
    assert _logouts(emu) == 1 and emu.session_count() == 0


def test_context_manager_logs_out_on_error_and_keeps_the_error(emu: Emulator) -> None:
    with pytest.raises(RuntimeError, match="mine"), emu.client() as client:
        client.login()
        emu.add_fault("*/logout", status=500)
        raise RuntimeError("mine")
    assert any(r.path.endswith("/logout") for r in emu.request_log())


async def test_async_context_manager_logs_out(emu: Emulator) -> None:
    async with emu.async_client() as client:
        await client.login()
        assert emu.session_count() == 1
    assert _logouts(emu) == 1 and emu.session_count() == 0


def test_expired_session_logs_in_again(emu: Emulator, client: lpconfig.Client) -> None:
    client.login()
    emu.expire_sessions()
    assert client.users.get(JANE_ID).value.login_name == "jane.doe"
    assert sum(1 for r in emu.request_log() if r.path.endswith("/login")) == 2


def test_api_key_and_app_key_login(emu: Emulator) -> None:
    with emu.client(credentials=emu.api_key()) as signed:
        assert len(signed.users.list().value) == 20
    auth = [r.header("authorization") or "" for r in emu.request_log() if "/le-users/users" in r.path]
    assert auth and auth[-1].startswith("OAuth ")
    with emu.client(credentials=emu.app_key_login()) as bot:
        bot.login()
        assert emu.session_count() == 1


def test_from_env(emu: Emulator) -> None:
    env = {
        "LP_ACCOUNT": emu.account,
        "LP_USERNAME": "admin",
        "LP_PASSWORD": "demo-password-1",
        "LP_CSDS_URL": emu.url,
    }
    with lpconfig.Client.from_env(env) as client:
        assert client.account == "demo"
        assert client.users.get(JANE_ID).value.login_name == "jane.doe"
    k = emu.api_key()
    env = {
        "LP_ACCOUNT": "demo",
        "LP_APP_KEY": k.app_key,
        "LP_SECRET": k.secret,
        "LP_ACCESS_TOKEN": k.access_token,
        "LP_ACCESS_TOKEN_SECRET": k.access_token_secret,
    }
    aclient = lpconfig.AsyncClient.from_env(env, csds_url=emu.url)
    assert "ApiKey(" in repr(aclient) and k.secret not in repr(aclient)
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client.from_env({"LP_ACCOUNT": "demo", "LP_USERNAME": "admin"})
    assert info.value.field == "credentials"
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client.from_env({})
    assert info.value.field == "LP_ACCOUNT"


def test_wrong_password_is_an_auth_error(emu: Emulator) -> None:
    with pytest.raises(lpconfig.AuthError) as info:
        emu.client(credentials=lpconfig.Password("admin", "not-the-password")).login()
    assert info.value.status == 401
