"""The shared sync scenarios of the repository's ``tests/sync/*.json`` (format:
``tests/README.md``), run through the Python API against the emulator: the same input
must give the same plan summary and final state as in every other language."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
from sync_state import group_paths, users_as_columns

import lpconfig
from lpconfig.testing import Emulator

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "tests" / "sync").glob("*.json"))


def test_scenarios_are_found() -> None:
    assert len(SCENARIOS) >= 4, SCENARIOS


def _options(o: Dict[str, Any]) -> Dict[str, Any]:
    prune = o.get("prune", "off")
    return {
        "prune": None if prune == "off" else prune,
        "allow_masked_blank": o.get("allow_masked_blank", False),
        "protected": o.get("protected_logins", []),
        "initial_password": o.get("initial_password"),
        "create_missing_catalog_entries": o.get("create_missing_catalog_entries", False),
    }


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario(path: Path, emu: Emulator, client: lpconfig.Client) -> None:
    s = json.loads(path.read_text())
    assert s["account"] == "demo"
    client.login()
    emu.clear_request_log()
    read_errors: List[str] = s.get("expect_errors", [])
    # Python reads the rows and checks their names in one call: it expects the union.
    all_errors = read_errors + s.get("expect_errors_after_names", [])
    if all_errors:
        with pytest.raises(lpconfig.SyncInputError) as caught:
            client.sync.plan(s["rows"], groups=s.get("groups"), **_options(s["options"]))
        got = [str(e) for e in caught.value.errors]
        for want in all_errors:
            assert any(want in g for g in got), (want, got)
        if read_errors and not s.get("expect_errors_after_names"):
            assert len(got) == len(read_errors), got
            assert emu.request_log() == [], "nothing contacted"
        assert [r for r in emu.request_log() if r.method != "GET"] == [], "nothing written"
        return

    plan = client.sync.plan(s["rows"], groups=s.get("groups"), **_options(s["options"]))
    summary = plan.summary()
    for key, want in s["expect_plan"]["summary"].items():
        assert getattr(summary, key) == want, (key, summary, plan.to_json())
    for want in s["expect_plan"].get("warnings_contain", []):
        assert any(want in w for w in plan.warnings), (want, plan.warnings)

    report = client.sync.apply(plan)
    assert report.outcome == "done", report
    assert all(c.applied for c in report.changes)
    assert len(report.changes) == len(plan)
    assert report.verified is True, report.leftover.to_json() if report.leftover else None

    users = users_as_columns(client)
    for login, want in s.get("expect_users", {}).items():
        if want is None:
            assert login not in users, f"{login} should not exist"
            continue
        assert login in users, f"{login} missing"
        for key, value in want.items():
            assert users[login][key] == value, (login, key, users[login])
    paths = set(group_paths(client).values())
    for p in s.get("expect_groups", []):
        assert p in paths, (p, sorted(paths))
