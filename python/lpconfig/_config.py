"""Credentials and retry settings (the values only; the core checks them)."""

from __future__ import annotations

import json
import os
from typing import Any, Callable, Dict, Iterable, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

__all__ = [
    "ApiKey",
    "AppKeyLogin",
    "Bearer",
    "ClientCredentials",
    "Credentials",
    "Password",
    "RetryEvent",
    "RetryPolicy",
]


class _Credentials:
    __slots__ = ()
    _kind = ""
    _public: Tuple[str, ...] = ()
    _secret: Tuple[str, ...] = ()

    #: Field names in constructor order (``__slots__`` order is not kept by linters).
    _order: Tuple[str, ...] = ()

    def _names(self) -> Tuple[str, ...]:
        return self._order

    def _native(self) -> Tuple[str, list[str]]:
        return self._kind, [getattr(self, n) for n in self._names()]

    def __repr__(self) -> str:
        shown = [f"{n}={getattr(self, n)!r}" if n in self._public else f"{n}=***" for n in self._names()]
        return f"{type(self).__name__}({', '.join(shown)})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, n) == getattr(other, n) for n in self._names())

    __hash__ = None  # type: ignore[assignment]


class Password(_Credentials):
    """Login Service user login: a bearer session, refreshed, re-login on 401."""

    __slots__ = ("password", "username")
    _kind = "password"
    _order = ("username", "password")
    _public = ("username",)

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self.password = password


class AppKeyLogin(_Credentials):
    """Login Service application login of a bot user with an API key."""

    __slots__ = ("access_token", "access_token_secret", "app_key", "secret", "username")
    _kind = "app_key_login"
    _order = ("username", "app_key", "secret", "access_token", "access_token_secret")
    _public = ("username", "app_key")

    def __init__(
        self, username: str, app_key: str, secret: str, access_token: str, access_token_secret: str
    ) -> None:
        self.username = username
        self.app_key = app_key
        self.secret = secret
        self.access_token = access_token
        self.access_token_secret = access_token_secret


class ApiKey(_Credentials):
    """An API key: every request signed with OAuth 1.0a, no login."""

    __slots__ = ("access_token", "access_token_secret", "app_key", "secret")
    _kind = "api_key"
    _order = ("app_key", "secret", "access_token", "access_token_secret")
    _public = ("app_key",)

    def __init__(self, app_key: str, secret: str, access_token: str, access_token_secret: str) -> None:
        self.app_key = app_key
        self.secret = secret
        self.access_token = access_token
        self.access_token_secret = access_token_secret


class Bearer(_Credentials):
    """A bearer token obtained elsewhere; no login, so a 401 is final."""

    __slots__ = ("token",)
    _kind = "bearer"
    _order = ("token",)

    def __init__(self, token: str) -> None:
        self.token = token


class ClientCredentials(_Credentials):
    """OAuth 2.0 client credentials: a token from Sentinel, renewed before it
    expires; on a 401 one new token and one replay."""

    __slots__ = ("client_id", "client_secret", "scope")
    _kind = "client_credentials"
    _order = ("client_id", "client_secret", "scope")
    _public = ("client_id", "scope")

    def __init__(self, client_id: str, client_secret: str, scope: Optional[str] = None) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.scope = scope

    def _native(self) -> Tuple[str, list[str]]:
        values = [self.client_id, self.client_secret]
        return self._kind, values if self.scope is None else [*values, self.scope]


#: Any of the credential kinds.
Credentials = Union[Password, AppKeyLogin, ApiKey, Bearer, ClientCredentials]


class RetryPolicy:
    """When and how long to wait before sending a request again (seconds).

    Unset fields keep LivePerson's documented policy: 5xx and transport failures
    retried after 5, 10 and 15 s; 429 retried 3 times from 1 s with backoff.
    Tests shrink the delays: ``RetryPolicy(server_delays=(0.001,) * 3, rate_limit_base=0.001)``.
    """

    __slots__ = ("rate_limit_base", "rate_limit_retries", "retry_transport", "server_delays")

    def __init__(
        self,
        *,
        server_delays: Optional[Sequence[float]] = None,
        rate_limit_retries: Optional[int] = None,
        rate_limit_base: Optional[float] = None,
        retry_transport: Optional[bool] = None,
    ) -> None:
        #: Waits before each retry of a 5xx or transport failure (their count is the number of retries).
        self.server_delays = None if server_delays is None else tuple(float(d) for d in server_delays)
        #: How many times a 429 is retried.
        self.rate_limit_retries = rate_limit_retries
        #: The first wait after a 429, doubled on each further 429.
        self.rate_limit_base = rate_limit_base
        #: Whether connect/timeout/reset failures are retried like 5xx.
        self.retry_transport = retry_transport

    @classmethod
    def documented(cls) -> RetryPolicy:
        """LivePerson's published policy (the default)."""
        return cls()

    @classmethod
    def none(cls) -> RetryPolicy:
        """Never retry."""
        return cls(server_delays=(), rate_limit_retries=0)

    def _native(self) -> dict[str, object]:
        return {
            "server_delays": None if self.server_delays is None else list(self.server_delays),
            "rate_limit_retries": self.rate_limit_retries,
            "rate_limit_base": self.rate_limit_base,
            "retry_transport": self.retry_transport,
        }

    def __repr__(self) -> str:
        fields = ", ".join(
            f"{n}={getattr(self, n)!r}" for n in self.__slots__ if getattr(self, n) is not None
        )
        return f"RetryPolicy({fields})"


class RetryEvent(NamedTuple):
    """One retry the client is about to make (passed to ``on_retry``)."""

    #: HTTP method of the request.
    method: str
    #: The request URL (never carries credentials).
    url: str
    #: The attempt that just failed (1 = the first send).
    attempt: int
    #: The status being retried (5xx or 429), ``None`` for a transport failure.
    status: Optional[int]
    #: ``"status 503"`` or ``"transport: <what failed>"``.
    reason: str
    #: Seconds until the next attempt.
    delay: float


def _retry_callback(
    on_retry: Callable[[RetryEvent], object],
) -> Callable[[str, str, int, Optional[int], str, float], None]:
    if not callable(on_retry):
        raise TypeError(f"on_retry must be a callable (RetryEvent) -> None, not {type(on_retry).__name__}")

    def hook(method: str, url: str, attempt: int, status: Optional[int], reason: str, delay: float) -> None:
        on_retry(RetryEvent(method, url, attempt, status, reason, delay))

    return hook


def _check_type(name: str, value: object, types: Tuple[type, ...], what: str) -> None:
    """``TypeError`` naming the parameter and the wrong type (never the value: it may be a secret)."""
    if value is None:
        return
    if isinstance(value, bool) and bool not in types:
        ok = False
    else:
        ok = isinstance(value, types)
    if not ok:
        raise TypeError(f"{name} must be {what}, not {type(value).__name__}")


def _check_range(name: str, value: Optional[float], minimum: float, what: str) -> None:
    """``ConfigError`` (a ``ValueError``) naming the field, for an out-of-range number."""
    if value is not None and not value >= minimum:
        from .errors import ConfigError

        raise ConfigError(f"{name}: must be {what}", field=name, code="ERR_CONFIG")


def client_args(
    account: str,
    credentials: Credentials,
    *,
    csds_url: Optional[str],
    api_version: Optional[str],
    retry: Optional[RetryPolicy],
    connect_timeout: Optional[float],
    request_timeout: Optional[float],
    refresh_interval: Optional[float],
    csds_ttl: Optional[float],
    batch_size: Optional[int],
    force_read_write: bool,
    method_override: bool,
    retry_delays: Optional[Sequence[float]] = None,
    ca_bundle: Union[str, os.PathLike[str], None] = None,
    proxy: Optional[str] = None,
    legacy: bool = False,
    on_retry: Optional[Callable[[RetryEvent], object]] = None,
) -> dict[str, object]:
    """The settings in the form the native client takes."""
    if not isinstance(credentials, _Credentials):
        raise TypeError(
            "credentials must be lpconfig.Password, AppKeyLogin, ApiKey, Bearer or ClientCredentials, "
            f"not {type(credentials).__name__}"
        )
    for n in credentials._names():
        if n == "scope" and getattr(credentials, n) is None:
            continue  # ClientCredentials' optional scope
        if not isinstance(getattr(credentials, n), str):
            kind = type(getattr(credentials, n)).__name__
            raise TypeError(f"credentials.{n} must be a str, not {kind}")
    _check_type("account", account, (str,), "a str")
    for name, text in (("csds_url", csds_url), ("api_version", api_version)):
        _check_type(name, text, (str,), "a str")
    for name, secs in (
        ("connect_timeout", connect_timeout),
        ("request_timeout", request_timeout),
        ("refresh_interval", refresh_interval),
        ("csds_ttl", csds_ttl),
    ):
        _check_type(name, secs, (int, float), "a number of seconds")
        _check_range(name, secs, 0, "a number of seconds >= 0")
    _check_type("batch_size", batch_size, (int,), "an int")
    _check_range("batch_size", batch_size, 1, "at least 1")
    _check_type("retry", retry, (RetryPolicy,), "an lpconfig.RetryPolicy")
    _check_type("force_read_write", force_read_write, (bool,), "a bool")
    _check_type("method_override", method_override, (bool,), "a bool")
    _check_type("legacy", legacy, (bool,), "a bool")
    _check_type("proxy", proxy, (str,), "a str (a proxy URL, or 'none')")
    _check_type("ca_bundle", ca_bundle, (str, os.PathLike), "a path (str or os.PathLike)")
    delays: Optional[list[float]] = None
    if retry_delays is not None:
        if isinstance(retry_delays, (str, bytes)) or not isinstance(retry_delays, Iterable):
            raise TypeError(f"retry_delays must be a sequence of seconds, not {type(retry_delays).__name__}")
        delays = list(retry_delays)
        for d in delays:
            _check_type("retry_delays", d, (int, float), "a sequence of seconds")
            _check_range("retry_delays", d, 0, "seconds >= 0")
    return {
        "account": account,
        "credentials": credentials._native(),
        "csds_url": csds_url,
        "api_version": api_version,
        "retry": None if retry is None else retry._native(),
        "connect_timeout": connect_timeout,
        "request_timeout": request_timeout,
        "refresh_interval": refresh_interval,
        "csds_ttl": csds_ttl,
        "batch_size": batch_size,
        "force_read_write": force_read_write,
        "method_override": method_override,
        "retry_delays": delays,
        "ca_bundle": None if ca_bundle is None else os.fspath(ca_bundle),
        "proxy": proxy,
        "legacy": legacy,
        "on_retry": None if on_retry is None else _retry_callback(on_retry),
    }


def from_env(environ: Mapping[str, str]) -> Tuple[str, Credentials, Dict[str, Any]]:
    """``(account, credentials, options)`` from ``LP_*`` variables, by the core's
    rule (the same in every language): ``LP_ACCOUNT``; then all four of
    ``LP_APP_KEY``, ``LP_SECRET``, ``LP_ACCESS_TOKEN``, ``LP_ACCESS_TOKEN_SECRET``
    (an API key; with ``LP_USERNAME`` an app-key login) or ``LP_USERNAME`` and
    ``LP_PASSWORD``, or ``LP_CLIENT_ID`` and ``LP_CLIENT_SECRET`` (OAuth 2.0
    client credentials), never a mix. ``options`` holds the keyword arguments
    the other variables give: ``csds_url`` (``LP_CSDS_URL``), ``request_timeout``
    (``LP_TIMEOUT``), ``connect_timeout`` (``LP_CONNECT_TIMEOUT``),
    ``retry_delays`` (``LP_RETRY_DELAYS``), ``ca_bundle`` (``LP_CA_BUNDLE``, else
    ``SSL_CERT_FILE``) and ``proxy`` (``LP_PROXY``)."""
    from . import _native

    account, (kind, values), options = _native.settings_from_env(dict(environ))
    credentials: Credentials
    if kind == "password":
        credentials = Password(*values)
    elif kind == "app_key_login":
        credentials = AppKeyLogin(*values)
    elif kind == "client_credentials":
        credentials = ClientCredentials(*values)
    else:
        credentials = ApiKey(*values)
    parsed: Dict[str, Any] = json.loads(options)
    return account, credentials, parsed


def merge_env_options(env: Mapping[str, Any], given: Dict[str, Any]) -> Dict[str, Any]:
    """``given`` keyword arguments over the environment's; an explicit ``retry``
    policy replaces ``LP_RETRY_DELAYS`` (the two cannot be combined)."""
    merged = {k: v for k, v in env.items() if not (k == "retry_delays" and "retry" in given)}
    merged.update(given)
    return merged
