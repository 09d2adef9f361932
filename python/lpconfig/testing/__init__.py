"""Test helpers: the LiveEngage emulator, run as a subprocess.

::

    from lpconfig.testing import Emulator

    with Emulator(seed="demo") as emu:
        client = lpconfig.Client(account=emu.account, credentials=emu.credentials(), csds_url=emu.url)
        emu.add_fault("*/users", status=503, times=1)

The emulator is its own install, kept out of the production package:
``pip install "lpconfig[testing]"`` brings the ``lpconfig-emulator`` program (or set
``LPCONFIG_EMULATOR`` to its path). A pytest fixture ``lp_emulator`` is registered
automatically when lpconfig is installed (plugin ``lpconfig.testing.pytest_plugin``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
import threading
import weakref
from types import TracebackType
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple, Type, Union

from .._async_client import AsyncClient
from .._client import Client
from .._config import ApiKey, AppKeyLogin, Password, RetryPolicy

__all__ = ["Emulator", "LoggedRequest", "emulator_path", "fast_retry"]


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


def _rule(text: str) -> Any:
    """A fault rule's JSON text as the object the control channel carries (ValueError if not JSON)."""
    return json.loads(text)


def _need(value: Optional[List[str]], what: str) -> List[str]:
    if value is None:
        raise RuntimeError(f"the emulator's seed has no {what}")
    return value


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


def emulator_path() -> str:
    """Where the ``lpconfig-emulator`` program is: ``$LPCONFIG_EMULATOR``, else the
    scripts directory of this Python (where ``pip install "lpconfig[testing]"`` puts
    it), else ``PATH``. Raises ``FileNotFoundError`` with the install hint."""
    given = os.environ.get("LPCONFIG_EMULATOR")
    if given:
        return given
    name = "lpconfig-emulator" + (".exe" if os.name == "nt" else "")
    dirs = [sysconfig.get_path("scripts"), sysconfig.get_path("scripts", f"{os.name}_user")]
    for d in dirs:
        candidate = os.path.join(d, name)
        if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which(name)
    if found:
        return found
    raise FileNotFoundError(
        "the lpconfig emulator is not installed: pip install 'lpconfig[testing]' "
        "(package lpconfig-emulator), or set LPCONFIG_EMULATOR to the program's path"
    )


class _Process:
    """One emulator process and its control pipe (``lpconfig_emulator::control``):
    a JSON command per line on its stdin, one answer line on its stdout. Closing
    stdin stops it, so it never outlives this interpreter."""

    def __init__(self, seed: str, port: int) -> None:
        self.owner = os.getpid()
        self._lock = threading.Lock()
        # Its stderr goes to a file, read only when it fails to start: a pipe nobody
        # drains could fill up and stall it.
        self._stderr = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen(
                [emulator_path(), "--port", str(port), "--seed", seed, "--control-stdin"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
        except BaseException:
            self._stderr.close()
            raise
        first = self._readline()
        if not first.startswith("lpconfig-emulator listening on "):
            try:
                self.proc.kill()
            except OSError:
                pass
            self.proc.wait()
            self._stderr.seek(0)
            message = self._stderr.read().decode("utf-8", "replace").strip() or first.strip()
            self.close()
            raise RuntimeError(f"the emulator did not start: {message}")
        self._readline()  # "account: ID"
        info = self.call("info")
        self.url: str = info["url"]
        self.account: str = info["account"]
        self.user: Optional[List[str]] = info["user"]
        self.app_login: Optional[List[str]] = info["app_login"]
        self.api_key: Optional[List[str]] = info["api_key"]

    def _readline(self) -> str:
        assert self.proc.stdout is not None
        return self.proc.stdout.readline()

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def call(self, op: str, **args: Any) -> Any:
        if os.getpid() != self.owner:
            raise RuntimeError("the emulator belongs to the parent process (this is a forked child)")
        with self._lock:
            assert self.proc.stdin is not None
            try:
                self.proc.stdin.write(json.dumps({"op": op, **args}) + "\n")
                self.proc.stdin.flush()
            except (OSError, ValueError):  # a closed pipe: stopped, or it died
                raise RuntimeError("the emulator is stopped") from None
            line = self._readline()
        if not line:
            raise RuntimeError("the emulator is stopped")
        answer = json.loads(line)
        if "error" in answer:
            raise ValueError(answer["error"])
        return answer["ok"]

    def close(self) -> None:
        """Closes the pipe (the emulator lets open connections finish and exits) and waits."""
        if os.getpid() != self.owner:
            return  # a forked child: the process is the parent's
        with self._lock:
            if self.proc.stdin is not None and not self.proc.stdin.closed:
                try:
                    self.proc.stdin.close()
                except OSError:
                    pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()
        self._stderr.close()


class Emulator:
    """A local LiveEngage (CSDS, Login Service, OAuth1, users, agent groups,
    skills, profiles, LOBs) served on 127.0.0.1 by an ``lpconfig-emulator``
    process that this object starts and stops.

    ``seed`` is ``"demo"`` (20 users, a group tree, skills, profiles) or the path of
    a TOML/JSON seed file. ``faults`` are rules in the emulator's JSON format.
    """

    def __init__(self, seed: str = "demo", *, faults: Sequence[str] = (), port: int = 0) -> None:
        self._seed = seed
        self._faults = list(faults)
        self._port = port
        self._process: Optional[_Process] = None
        self._finalizer: Optional[weakref.finalize[[], Emulator]] = None

    def start(self) -> Emulator:
        """Starts serving (no-op when running)."""
        if self._process is None or not self._process.alive:
            process = _Process(self._seed, self._port)
            try:
                for rule in self._faults:
                    process.call("add_fault", rule=_rule(rule))
            except BaseException:
                process.close()
                raise
            self._process = process
            self._finalizer = weakref.finalize(self, process.close)
        return self

    def stop(self) -> None:
        """Stops serving and waits for open connections to finish (idempotent)."""
        if self._finalizer is not None:
            self._finalizer()

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
    def _p(self) -> _Process:
        if self._process is None:
            raise RuntimeError("the emulator is not started: call start() or use it in a with block")
        return self._process

    def _call(self, op: str, **args: Any) -> Any:
        return self._p.call(op, **args)

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: pass it as the client's ``csds_url``."""
        return self._p.url

    @property
    def account(self) -> str:
        """The seed's first account id (``demo``)."""
        return self._p.account

    @property
    def running(self) -> bool:
        """Whether it is serving."""
        return self._process is not None and self._process.alive

    def credentials(self) -> Password:
        """The first password user of the seed (the demo administrator)."""
        return Password(*_need(self._p.user, "a password user"))

    def app_key_login(self) -> AppKeyLogin:
        """The first app-key login of the seed."""
        return AppKeyLogin(*_need(self._p.app_login, "an app-key login"))

    def api_key(self) -> ApiKey:
        """The first API key of the seed."""
        return ApiKey(*_need(self._p.api_key, "an API key"))

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
        self.add_fault_json(
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
        self._call("add_fault", rule=_rule(rule))

    def clear_faults(self) -> None:
        """Removes every fault rule."""
        self._call("clear_faults")

    def request_log(self) -> List[LoggedRequest]:
        """Every request so far, in completion order."""
        return [
            LoggedRequest(**{**r, "headers": [(k, v) for k, v in r["headers"]]})
            for r in self._call("request_log")
        ]

    def clear_request_log(self) -> None:
        """Forgets the request log."""
        self._call("clear_request_log")

    def expire_sessions(self) -> None:
        """Ends every login session: their bearers get 401 from then on."""
        self._call("expire_sessions")

    def session_count(self) -> int:
        """Live login sessions."""
        return int(self._call("session_count"))

    def refresh_count(self) -> int:
        """Successful session refreshes since start."""
        return int(self._call("refresh_count"))

    def insert_bulk_users(self, n: int) -> None:
        """Adds ``n`` valid agents (``bulk.agent.<id>``) in one revision, for scale tests."""
        self._call("insert_bulk_users", n=n)

    def __repr__(self) -> str:
        where = self._process.url if self._process is not None and self._process.alive else "stopped"
        return f"Emulator(seed={self._seed!r}, {where})"
