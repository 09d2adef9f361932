"""The Python surface matches the core's (``lpconfig::surface``): every setting
is a keyword of both clients, every method exists on the sync and asyncio
sub-clients, every error kind has its exception class."""

from __future__ import annotations

import inspect
import json
from typing import Any, Dict, List

import lpconfig
import lpconfig.errors
from lpconfig import _native


def _surface() -> Dict[str, List[str]]:
    data: Dict[str, List[str]] = json.loads(_native.surface())
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
