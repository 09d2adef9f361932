"""Test helpers: the Rust LiveEngage emulator, in-process.

::

    from lpconfig.testing import Emulator

    with Emulator(seed="demo") as emu:
        client = lpconfig.Client(account=emu.account, credentials=emu.credentials(), csds_url=emu.url)
        emu.add_fault("*/users", status=503, times=1)

A pytest fixture ``lp_emulator`` is registered automatically when the package is
installed (plugin ``lpconfig.testing.pytest_plugin``).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Type, Union

from .. import _native
from .._async_client import AsyncClient
from .._client import Client
from .._config import ApiKey, AppKeyLogin, Password, RetryPolicy

__all__ = ["Emulator", "LoggedRequest", "fast_retry"]


def fast_retry() -> RetryPolicy:
    """The documented retry schedule shrunk to milliseconds, for tests."""
    return RetryPolicy(server_delays=(0.001, 0.002, 0.003), rate_limit_base=0.001)


class LoggedRequest(NamedTuple):
    """One request the emulator saw, with the status it answered (0 = connection reset).

    Headers and bodies are verbatim (credentials included): keep them out of your logs.
    """

    method: str
    path: str
    query: Optional[str]
    headers: List[Tuple[str, str]]
    body: str
    status: int

    def header(self, name: str) -> Optional[str]:
        """The first header with this name (case-insensitive)."""
        lname = name.lower()
        return next((v for k, v in self.headers if k.lower() == lname), None)


def _fault_json(
    path: str,
    *,
    status: Optional[int],
    body: Optional[str],
    retry_after: Union[str, float, None],
    latency: Optional[float],
    reset: bool,
    malformed_body: bool,
    method: Optional[str],
    times: Optional[int],
) -> str:
    import json

    actions: List[Dict[str, Any]] = []
    if status is not None:
        action: Dict[str, Any] = {"type": "status", "status": status}
        if body is not None:
            action["body"] = body
        if retry_after is not None:
            action["retry_after"] = str(retry_after)
        actions.append(action)
    if latency is not None:
        actions.append({"type": "latency", "ms": round(latency * 1000)})
    if reset:
        actions.append({"type": "reset"})
    if malformed_body:
        actions.append({"type": "malformed_body"})
    if len(actions) != 1:
        raise ValueError("give exactly one of status=, latency=, reset=True, malformed_body=True")
    rule: Dict[str, Any] = {"path": path, "action": actions[0]}
    if method is not None:
        rule["method"] = method
    if times is not None:
        rule["count"] = times
    return json.dumps(rule)


class Emulator:
    """A local LiveEngage (CSDS, Login Service, OAuth1, users, agent groups,
    skills, profiles, LOBs) served on 127.0.0.1 from this process.

    ``seed`` is ``"demo"`` (20 users, a group tree, skills, profiles) or the path of
    a TOML/JSON seed file. ``faults`` are rules in the emulator's JSON format.
    """

    def __init__(self, seed: str = "demo", *, faults: Sequence[str] = (), port: int = 0) -> None:
        self._seed = seed
        self._faults = list(faults)
        self._port = port
        self._native: Optional[_native.NativeEmulator] = None

    def start(self) -> Emulator:
        """Starts serving (no-op when running)."""
        if self._native is None or not self._native.running:
            self._native = _native.NativeEmulator(self._seed, self._faults, self._port)
        return self

    def stop(self) -> None:
        """Stops serving and waits for open connections to finish (idempotent)."""
        if self._native is not None:
            self._native.stop()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        self.stop()

    @property
    def _n(self) -> _native.NativeEmulator:
        if self._native is None:
            raise RuntimeError("the emulator is not started: call start() or use it in a with block")
        return self._native

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: pass it as the client's ``csds_url``."""
        return self._n.url

    @property
    def account(self) -> str:
        """The seed's first account id (``demo``)."""
        return self._n.account

    @property
    def running(self) -> bool:
        """Whether it is serving."""
        return self._native is not None and self._native.running

    def credentials(self) -> Password:
        """The first password user of the seed (the demo administrator)."""
        return Password(*self._n.demo_user())

    def app_key_login(self) -> AppKeyLogin:
        """The first app-key login of the seed."""
        return AppKeyLogin(*self._n.demo_app_login())

    def api_key(self) -> ApiKey:
        """The first API key of the seed."""
        return ApiKey(*self._n.demo_api_key())

    def client(self, **options: Any) -> Client:
        """A ``Client`` for this emulator (demo administrator, millisecond retries unless given)."""
        options.setdefault("credentials", self.credentials())
        options.setdefault("retry", fast_retry())
        return Client(self.account, csds_url=self.url, **options)

    def async_client(self, **options: Any) -> AsyncClient:
        """An ``AsyncClient`` for this emulator, like ``client()``."""
        options.setdefault("credentials", self.credentials())
        options.setdefault("retry", fast_retry())
        return AsyncClient(self.account, csds_url=self.url, **options)

    def add_fault(
        self,
        path: str,
        *,
        status: Optional[int] = None,
        body: Optional[str] = None,
        retry_after: Union[str, float, None] = None,
        latency: Optional[float] = None,
        reset: bool = False,
        malformed_body: bool = False,
        method: Optional[str] = None,
        times: Optional[int] = None,
    ) -> None:
        """Makes matching requests fail: answer ``status`` (with ``body`` and
        ``retry_after``), wait ``latency`` seconds first, ``reset`` the connection, or
        send a ``malformed_body``. ``path`` is a glob (``*/users``); ``method``
        restricts it; ``times`` limits how many requests it hits."""
        self._n.add_fault(
            _fault_json(
                path,
                status=status,
                body=body,
                retry_after=retry_after,
                latency=latency,
                reset=reset,
                malformed_body=malformed_body,
                method=method,
                times=times,
            )
        )

    def add_fault_json(self, rule: str) -> None:
        """Adds a fault rule in the emulator's JSON format."""
        self._n.add_fault(rule)

    def clear_faults(self) -> None:
        """Removes every fault rule."""
        self._n.clear_faults()

    def request_log(self) -> List[LoggedRequest]:
        """Every request so far, in completion order."""
        return [LoggedRequest(**r) for r in self._n.request_log()]

    def clear_request_log(self) -> None:
        """Forgets the request log."""
        self._n.clear_request_log()

    def expire_sessions(self) -> None:
        """Ends every login session: their bearers get 401 from then on."""
        self._n.expire_sessions()

    def session_count(self) -> int:
        """Live login sessions."""
        return self._n.session_count()

    def refresh_count(self) -> int:
        """Successful session refreshes since start."""
        return self._n.refresh_count()

    def insert_bulk_users(self, n: int) -> None:
        """Adds ``n`` valid agents (``bulk.agent.<id>``) in one revision, for scale tests."""
        self._n.insert_bulk_users(n)

    def __repr__(self) -> str:
        where = self._native.url if self._native is not None and self._native.running else "stopped"
        return f"Emulator(seed={self._seed!r}, {where})"
