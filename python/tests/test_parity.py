"""The Python surface matches the core's (``lpconfig::surface``): every setting
is a keyword of both clients, every method exists on the sync and asyncio
sub-clients, every error kind has its exception class."""

from __future__ import annotations

import inspect
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest

import lpconfig
import lpconfig.errors
from lpconfig import _native


def _surface() -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(_native.surface())
    return data


def test_every_core_setting_is_a_keyword_of_both_clients() -> None:
    settings = _surface()["settings"]
    assert "batch_size" in settings and "credentials" in settings
    for cls in (lpconfig.Client, lpconfig.AsyncClient):
        params = inspect.signature(cls.__init__).parameters
        missing = [s for s in settings if s not in params]
        assert not missing, f"{cls.__name__} lacks {missing}"


def test_every_core_method_exists_sync_and_async() -> None:
    s = _surface()
    pairs: List[Any] = [
        ("client", lpconfig.Client, lpconfig.AsyncClient),
        ("users", lpconfig.Users, lpconfig.AsyncUsers),
        ("agentGroups", lpconfig.AgentGroups, lpconfig.AsyncAgentGroups),
        ("catalog", lpconfig.Catalog, lpconfig.AsyncCatalog),
    ]
    for key, sync_cls, async_cls in pairs:
        for name in s[key]:
            assert callable(getattr(sync_cls, name, None)), f"{sync_cls.__name__}.{name}"
            method = getattr(async_cls, name, None)
            assert callable(method), f"{async_cls.__name__}.{name}"
            if name != "allow_masked_blank":
                assert inspect.iscoroutinefunction(method), f"{async_cls.__name__}.{name} is not async"


def test_every_error_kind_has_its_exception_class() -> None:
    codes = _surface()["errorCodes"]
    classes = {
        getattr(lpconfig.errors, n).code: getattr(lpconfig.errors, n)
        for n in lpconfig.errors.__all__
        if isinstance(getattr(lpconfig.errors, n), type)
        and issubclass(getattr(lpconfig.errors, n), lpconfig.LpError)
    }
    assert len(codes) == 10
    for code in codes:
        assert code in classes, f"no exception class for {code}"
        assert getattr(lpconfig, classes[code].__name__) is classes[code]


# A sample per core setting, in Python's spelling; each must change what the
# built core client holds. A new setting without a sample fails here.
_CA = str(Path(__file__).resolve().parents[2] / "tests" / "tls" / "ca.pem")
_SAMPLES: Dict[str, Any] = {
    "account": "other",
    "credentials": lpconfig.Password("u", "Pw-Secret-1"),
    "csds_url": "http://127.0.0.1:9",
    "api_version": "3.0",
    "connect_timeout": 0.007,
    "request_timeout": 0.008,
    "retry": lpconfig.RetryPolicy(rate_limit_retries=0),
    "retry_delays": [0.001],
    "refresh_interval": 0.009,
    "csds_ttl": 0.01,
    "force_read_write": True,
    "method_override": True,
    "batch_size": 3,
    "ca_bundle": _CA,
    "proxy": "http://user:Proxy-Secret-1@127.0.0.1:3128",
    "legacy": True,
}


def _effective(client: Any) -> Dict[str, Any]:
    data: Dict[str, Any] = json.loads(_native.effective_settings(client._native))
    return data


@pytest.mark.parametrize("cls", [lpconfig.Client, lpconfig.AsyncClient])
def test_every_core_setting_reaches_the_core(cls: Any) -> None:
    base = _effective(cls("demo", lpconfig.Bearer("t")))
    for name in _surface()["spelled"]["python"]:
        assert name in _SAMPLES, f"no Python sample for the core setting {name}"
        args: Dict[str, Any] = {"account": "demo", "credentials": lpconfig.Bearer("t"), name: _SAMPLES[name]}
        got = _effective(cls(**args))
        assert got[name] != base[name], f"{name} did not reach the core"
        assert "Secret-1" not in json.dumps(got)
    with pytest.raises(lpconfig.ConfigError) as info:
        cls("demo", lpconfig.Bearer("t"), retry=lpconfig.RetryPolicy.none(), retry_delays=[1])
    assert info.value.field == "retry_delays"


def test_from_env_honours_every_variable_of_the_core_rule() -> None:
    surface = _surface()
    env = {"LP_ACCOUNT": "demo", "LP_USERNAME": "u", "LP_PASSWORD": "p"}
    values = {
        "LP_CSDS_URL": ("http://127.0.0.1:9", "http://127.0.0.1:9/"),
        "LP_TIMEOUT": ("2.5", 2.5),
        "LP_CONNECT_TIMEOUT": ("250ms", 0.25),
        "LP_RETRY_DELAYS": ("10ms,20ms", [0.01, 0.02]),
        "LP_CA_BUNDLE": (_CA, _CA),
        "SSL_CERT_FILE": (_CA, _CA),
        "LP_PROXY": ("none", "none"),
    }
    assert set(values) == set(surface["env"]) - {"LP_ACCOUNT"}
    for var, (text, want) in values.items():
        setting = surface["env"][var]
        for cls in (lpconfig.Client, lpconfig.AsyncClient):
            got = _effective(cls.from_env({**env, var: text}))
            assert got[setting] == want, (var, got[setting])
    with pytest.raises(lpconfig.ConfigError) as info:
        lpconfig.Client.from_env({**env, "LP_TIMEOUT": "soon"})
    assert info.value.field == "LP_TIMEOUT"
    # Keyword arguments win; an explicit retry policy replaces LP_RETRY_DELAYS.
    c = lpconfig.Client.from_env(
        {**env, "LP_TIMEOUT": "2", "LP_RETRY_DELAYS": "1"},
        request_timeout=3,
        retry=lpconfig.RetryPolicy.none(),
    )
    got = _effective(c)
    assert got["request_timeout"] == 3 and got["retry_delays"] == []
