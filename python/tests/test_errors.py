"""Exception types and attributes, driven by the emulator's fault injection."""

from __future__ import annotations

from typing import Any, Callable, List, Tuple, Type

import pytest
from demo_data import JANE_ID, new_agent

import lpconfig
from lpconfig.testing import Emulator

USER_PATH = "*/le-users/users/*"


@pytest.mark.parametrize(
    ("status", "cls", "base", "attempts"),
    [
        (400, lpconfig.InvalidError, ValueError, 1),
        (403, lpconfig.ForbiddenError, lpconfig.LpError, 1),
        (404, lpconfig.NotFoundError, LookupError, 1),
        (409, lpconfig.ConflictError, lpconfig.LpError, 1),
        (429, lpconfig.RateLimitedError, lpconfig.LpError, 4),
        (500, lpconfig.ServerError, lpconfig.LpError, 4),
        (503, lpconfig.ServerError, lpconfig.LpError, 4),
    ],
)
def test_status_maps_to_exception(
    emu: Emulator,
    client: lpconfig.Client,
    status: int,
    cls: Type[lpconfig.LpError],
    base: Type[Exception],
    attempts: int,
) -> None:
    emu.add_fault(USER_PATH, status=status, method="GET")
    with pytest.raises(cls) as info:
        client.users.get(JANE_ID)
    e = info.value
    assert isinstance(e, base) and isinstance(e, lpconfig.LpError)
    assert (e.status, e.method, e.attempts) == (status, "GET", attempts)
    assert e.url is not None and f"/users/{JANE_ID}" in e.url
    assert e.code == cls.code and e.code.startswith("ERR_")
    assert str(status) in str(e) and "GET" in str(e)
    gets = [r for r in emu.request_log() if r.method == "GET" and r.path.endswith(f"/users/{JANE_ID}")]
    assert len(gets) == attempts


def test_401_after_one_relogin_is_an_auth_error(emu: Emulator, client: lpconfig.Client) -> None:
    client.login()
    emu.add_fault(USER_PATH, status=401, method="GET")
    with pytest.raises(lpconfig.AuthError) as info:
        client.users.get(JANE_ID)
    assert info.value.status == 401 and info.value.code == "ERR_AUTH"
    logins = [r for r in emu.request_log() if r.path.endswith("/login")]
    assert len(logins) == 2  # the first login and one re-login


def test_transient_503_is_retried_to_success(emu: Emulator, client: lpconfig.Client) -> None:
    emu.add_fault(USER_PATH, status=503, method="GET", times=2)
    assert client.users.get(JANE_ID).value.login_name == "jane.doe"
    statuses = [r.status for r in emu.request_log() if r.path.endswith(f"/users/{JANE_ID}")]
    assert statuses == [503, 503, 200]


def test_real_404_and_409(client: lpconfig.Client) -> None:
    with pytest.raises(lpconfig.NotFoundError) as nf:
        client.users.get(1)
    assert nf.value.status == 404 and isinstance(nf.value, LookupError)
    jane = client.users.get(JANE_ID)
    client.users.create(new_agent("bump.revision"))
    with pytest.raises(lpconfig.ConflictError):
        client.users.update(jane.value, jane.if_match)


def test_server_validation_is_invalid_with_field(client: lpconfig.Client) -> None:
    bad = new_agent("no.email")
    bad.email = None
    with pytest.raises(lpconfig.InvalidError) as info:
        client.users.create(bad)
    assert info.value.status == 400 and info.value.field == "email"


def test_connection_reset_is_a_transport_error(emu: Emulator, client: lpconfig.Client) -> None:
    emu.add_fault(USER_PATH, reset=True, method="GET")
    with pytest.raises(lpconfig.TransportError) as info:
        client.users.get(JANE_ID)
    assert isinstance(info.value, ConnectionError) and info.value.status is None
    assert info.value.attempts == 4


def test_malformed_body_is_a_decode_error(emu: Emulator, client: lpconfig.Client) -> None:
    emu.add_fault(USER_PATH, malformed_body=True, method="GET")
    with pytest.raises(lpconfig.DecodeError) as info:
        client.users.get(JANE_ID)
    assert info.value.code == "ERR_DECODE"


def test_bad_settings_are_config_errors_before_any_io(emu: Emulator) -> None:
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client("bad id!", lpconfig.Password("a", "b"), csds_url=emu.url)
    assert info.value.field == "account" and isinstance(info.value, ValueError)
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client("demo", lpconfig.Password("a", ""))
    assert info.value.field == "credentials.password"
    with pytest.raises(lpconfig.ConfigError):
        lpconfig.Client("demo", lpconfig.Bearer("t"), csds_url="http://example.com")
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client("demo", lpconfig.Bearer("t"), request_timeout=-1)
    assert info.value.field == "request_timeout"
    assert emu.request_log() == []


def test_bad_entity_input_is_a_config_error(client: lpconfig.Client) -> None:
    with pytest.raises(lpconfig.ConfigError) as info:
        client.users.create({"loginName": "x", "maxChats": "many"})
    assert info.value.field == "maxChats"
    with pytest.raises(TypeError):
        client.users.create({"loginName": object()})
    with pytest.raises(TypeError):
        client.users.update(new_agent("x.y"), "latest")  # type: ignore[arg-type]


async def test_async_errors_have_the_same_types(emu: Emulator, aclient: lpconfig.AsyncClient) -> None:
    emu.add_fault(USER_PATH, status=404, method="GET")
    with pytest.raises(lpconfig.NotFoundError) as info:
        await aclient.users.get(JANE_ID)
    assert info.value.status == 404 and info.value.method == "GET"
    emu.clear_faults()
    emu.add_fault(USER_PATH, status=429, method="GET")
    with pytest.raises(lpconfig.RateLimitedError) as rl:
        await aclient.users.get(JANE_ID)
    assert rl.value.attempts == 4


def test_wrong_types_and_ranges_name_the_parameter_and_never_echo_values() -> None:
    secret = "Sup3r-Secret-Value"
    make: Any = lpconfig.Client
    password: Any = lpconfig.Password
    bearer = lpconfig.Bearer(secret)
    cases: List[Tuple[Callable[[], object], Type[Exception], str]] = [
        (lambda: make(123, lpconfig.Password("a", "b")), TypeError, "account"),
        (lambda: make("demo", password("a", 1234)), TypeError, "credentials.password"),
        (lambda: make("demo", (secret,)), TypeError, "credentials"),
        (lambda: make("demo", bearer, batch_size="10"), TypeError, "batch_size"),
        (lambda: make("demo", bearer, batch_size=-1), lpconfig.ConfigError, "batch_size"),
        (lambda: make("demo", bearer, connect_timeout="5"), TypeError, "connect_timeout"),
        (lambda: make("demo", bearer, csds_ttl=-2.5), lpconfig.ConfigError, "csds_ttl"),
        (lambda: make("demo", bearer, retry=3), TypeError, "retry"),
        (lambda: make("demo", bearer, force_read_write=1), TypeError, "force_read_write"),
        (lambda: make("demo", bearer, on_retry="print"), TypeError, "on_retry"),
    ]
    for build, kind, name in cases:
        with pytest.raises(kind) as info:
            build()
        assert name in str(info.value), (name, str(info.value))
        if isinstance(info.value, lpconfig.ConfigError):
            assert info.value.field == name
        assert secret not in str(info.value) and "1234" not in str(info.value)


def _said(e: BaseException) -> str:
    """The message and its notes (pyo3 names the argument in a note, shown in tracebacks)."""
    return " ".join([str(e), *getattr(e, "__notes__", [])])


def test_wrong_argument_types_of_calls_name_the_parameter(client: lpconfig.Client) -> None:
    users: Any = client.users
    calls: List[Tuple[Callable[[], object], str]] = [
        (lambda: users.get("12"), "id"),
        (lambda: users.add_skills(5, [1]), "user_ids"),
        (lambda: users.reset_password(JANE_ID, 98761234), "new_password"),
        (lambda: users.create(12), "user"),
    ]
    for call, name in calls:
        with pytest.raises(TypeError) as info:
            call()
        assert name in _said(info.value) and "98761234" not in _said(info.value), _said(info.value)
