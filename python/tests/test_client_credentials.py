"""OAuth 2.0 client credentials (Sentinel) through the Python binding."""

from __future__ import annotations

import pytest

import lpconfig
from lpconfig._config import from_env
from lpconfig.testing import Emulator

# The demo seed's app clients (crates/lpconfig-emulator/seeds/demo.toml): public test data.
APP = ("demo-app-client", "d3m0-cl13nt-s3cr3t-0001")
READER = ("demo-reader-client", "d3m0-r3ad3r-s3cr3t-0002")


def test_one_token_serves_many_calls(emu: Emulator) -> None:
    creds = lpconfig.ClientCredentials(*APP)
    with emu.client(credentials=creds) as client:
        assert len(client.users.list().value) == 20
        assert client.agent_groups.list().value
    tokens = [r for r in emu.request_log() if r.path.endswith("/app/token")]
    assert [(r.method, r.path, r.query) for r in tokens] == [
        ("POST", "/sentinel/api/account/demo/app/token", "v=1.0")
    ]
    assert "grant_type=client_credentials" in tokens[0].body
    calls = [r for r in emu.request_log() if "/le-users/" in r.path]
    assert all((r.header("authorization") or "").startswith("Bearer ey") for r in calls)


def test_repr_and_errors_hide_the_secret(emu: Emulator) -> None:
    creds = lpconfig.ClientCredentials(APP[0], "Wr0ng-Client-Secret", scope="users.read")
    assert (
        repr(creds) == "ClientCredentials(client_id='demo-app-client', client_secret=***, scope='users.read')"
    )
    client = emu.client(credentials=creds)
    assert "Wr0ng-Client-Secret" not in repr(client)
    with pytest.raises(lpconfig.AuthError) as info:
        client.users.list()
    e = info.value
    assert e.status == 401 and e.field == "client_id"
    for text in (str(e), repr(e), str(e.args), e.body or "", e.url or ""):
        assert "Wr0ng-Client-Secret" not in text


def test_missing_scope_is_forbidden(emu: Emulator) -> None:
    with emu.client(credentials=lpconfig.ClientCredentials(*READER)) as client:
        before = len(client.lobs.list().value)
        with pytest.raises(lpconfig.ForbiddenError):
            client.agent_groups.create(lpconfig.AgentGroup.new("Nope", -1))
        assert len(client.lobs.list().value) == before


def test_from_env_reads_client_credentials() -> None:
    account, creds, _ = from_env({"LP_ACCOUNT": "demo", "LP_CLIENT_ID": APP[0], "LP_CLIENT_SECRET": APP[1]})
    assert account == "demo"
    assert creds == lpconfig.ClientCredentials(APP[0], APP[1])
