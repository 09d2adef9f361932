"""``client.sync`` against the emulator: plans from records and files, the plan's
shape and JSON form, apply with progress, typed input errors, stale plans, secrets."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import List

import pytest
from sync_state import group_paths, users_as_columns

import lpconfig
from lpconfig.sync import Plan, SyncPlanFormatError, SyncProgress, SyncStaleError
from lpconfig.testing import Emulator

ROWS = [
    {"login_name": "aisha.bello", "full_name": "Aisha Bello", "email": "aisha.bello@example.com",
     "roles": "Agent", "group": "Support/Billing/Refunds", "skills": ["Billing"], "max_chats": 4},
    {"login_name": "JANE.DOE", "skills": "Billing;VIP", "max_chats": 5},
]  # fmt: skip


def test_plan_then_apply_records(emu: Emulator, client: lpconfig.Client) -> None:
    plan = client.sync.plan(ROWS, allow_masked_blank=True)
    assert len(plan) == 3 and plan
    s = plan.summary()
    assert (s.groups_to_create, s.users_to_create, s.users_to_update, s.changes) == (1, 1, 1, 3)
    assert str(s).startswith("Plan: 1 group to create")
    assert [(c.kind, c.name) for c in plan.changes] == [
        ("create_group", "Support/Billing/Refunds"),
        ("create_user", "aisha.bello"),
        ("update_user", "jane.doe"),
    ]
    jane = plan.changes[2]
    assert jane.at == "rows:2"
    assert {f.field for f in jane.fields} >= {"skills", "max_chats"}

    seen: List[SyncProgress] = []
    report = client.sync.apply(plan, on_progress=seen.append)
    assert report.ok and report.outcome == "done" and report.verified is True
    assert report.applied.users_created == 1 and report.applied.groups_created == 1
    # The plan's changes are the report's: same kinds, names and order.
    assert [(c.kind, c.name, c.at) for c in report.changes] == [(c.kind, c.name, c.at) for c in plan.changes]
    assert seen and seen[0].phase == "checking" and seen[-1].done == seen[-1].total == 3
    assert all(p.elapsed >= 0 for p in seen)

    users = users_as_columns(client)
    assert users["aisha.bello"]["group"] == "Support/Billing/Refunds"
    assert users["aisha.bello"]["skills"] == ["Billing"] and users["aisha.bello"]["max_chats"] == 4
    assert users["jane.doe"]["skills"] == ["Billing", "VIP"] and users["jane.doe"]["max_chats"] == 5
    assert "Support/Billing/Refunds" in group_paths(client).values()
    # Applied once: a new plan is empty.
    again = client.sync.plan(ROWS, allow_masked_blank=True)
    assert len(again) == 0 and not again
    assert str(again.summary()).startswith("No changes")


def test_plan_from_csv_file_and_prune(tmp_path: Path, client: lpconfig.Client) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text(
        "login_name,full_name,email\n"
        "jane.doe,Jane Doe,jane.doe@example.com\n"
        "new.person,New Person,new.person@example.com\n"
    )
    plan = client.sync.plan(staff, prune="disable", protected=["Maria.Ops"], allow_masked_blank=True)
    assert plan.summary().users_to_create == 1
    disabled = [c.name for c in plan.changes if c.kind == "disable_user"]
    assert "maria.ops" not in disabled and "tom.lead" in disabled  # protected, case-insensitively
    assert [c.at for c in plan.changes if c.kind == "create_user"] == [f"{staff}:3"]
    report = client.sync.apply(plan)
    assert report.ok
    users = users_as_columns(client)
    assert users["new.person"]["email"] == "new.person@example.com"
    by_lower = {k.lower(): u for k, u in users.items()}
    assert all(by_lower[login]["enabled"] is False for login in disabled), (disabled, users)
    assert users["maria.ops"]["enabled"] is True


def test_bad_rows_raise_every_error_with_position(emu: Emulator, client: lpconfig.Client) -> None:
    client.login()
    emu.clear_request_log()
    rows = [
        {"login_name": "a", "max_chats": "lots"},
        {"email": "x@y"},
        {"login_name": "b", "enabled": "maybe"},
    ]
    with pytest.raises(lpconfig.SyncInputError) as caught:
        client.sync.plan(rows)
    e = caught.value
    assert isinstance(e, ValueError) and isinstance(e, lpconfig.LpError)
    assert [(p.line, p.column) for p in e.errors] == [(1, 0), (2, 0), (3, 0)]
    assert "max_chats" in e.errors[0].message and str(e.errors[1]).startswith("rows:2:0:")
    assert emu.request_log() == []  # nothing contacted


def test_bad_csv_names_line_and_column(tmp_path: Path, client: lpconfig.Client) -> None:
    staff = tmp_path / "staff.csv"
    staff.write_text("login_name,max_chats\nana,3\nbob,lots\n")
    with pytest.raises(lpconfig.SyncInputError) as caught:
        client.sync.plan(str(staff))
    (problem,) = caught.value.errors
    assert (problem.path.endswith("staff.csv"), problem.line, problem.column) == (True, 3, 2)


def test_unknown_option_value_and_source_type(client: lpconfig.Client) -> None:
    with pytest.raises(lpconfig.SyncError):
        client.sync.plan(ROWS, prune="everything")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        client.sync.plan({"login_name": "a"})  # type: ignore[dict-item]


def test_json_round_trip_and_apply_of_saved_plan(client: lpconfig.Client) -> None:
    plan = client.sync.plan(ROWS, allow_masked_blank=True, initial_password="Init-Passw0rd-1")
    text = plan.to_json()
    assert "Init-Passw0rd-1" not in text and '"format": "lpconfig-sync-plan"' in text
    back = Plan.from_json(text)
    assert len(back) == len(plan) and back.summary() == plan.summary() and back.changes == plan.changes
    report = client.sync.apply(back)
    assert report.outcome == "done" and report.verified is None  # a saved plan cannot re-plan
    # No password in the saved plan: apply generated one, reported but never shown in repr.
    assert set(report.initial_passwords) == {"aisha.bello"}
    assert report.initial_passwords["aisha.bello"] not in repr(report)
    with pytest.raises(SyncPlanFormatError):
        Plan.from_json('{"format": "something-else", "version": 1}')


def test_initial_password_is_used_and_never_shown(client: lpconfig.Client) -> None:
    plan = client.sync.plan(ROWS, allow_masked_blank=True, initial_password="Init-Passw0rd-1")
    assert "Init-Passw0rd-1" not in repr(plan) + plan.to_json() + repr(plan.changes)
    report = client.sync.apply(plan)
    assert report.initial_passwords == {"aisha.bello": "Init-Passw0rd-1"}
    assert "Init-Passw0rd-1" not in repr(report)


def test_stale_plan_is_refused_and_nothing_applied(client: lpconfig.Client) -> None:
    plan = client.sync.plan(ROWS, allow_masked_blank=True)
    client.sync.apply(
        client.sync.plan([{"login_name": "someone.else", "full_name": "Some One", "email": "s@example.com"}])
    )
    with pytest.raises(SyncStaleError, match="make a new plan"):
        client.sync.apply(plan)
    assert "aisha.bello" not in users_as_columns(client)


async def test_async_plan_and_apply(aclient: lpconfig.AsyncClient, client: lpconfig.Client) -> None:
    plan = await aclient.sync.plan(ROWS, allow_masked_blank=True)
    assert len(plan) == 3
    threads: List[threading.Thread] = []
    seen: List[SyncProgress] = []

    def progress(p: SyncProgress) -> None:
        threads.append(threading.current_thread())
        seen.append(p)

    report = await aclient.sync.apply(plan, on_progress=progress)
    assert report.ok and report.verified is True
    assert seen and seen[-1].done == 3
    assert set(threads) == {threading.current_thread()}  # the callback runs on the event loop
    assert users_as_columns(client)["aisha.bello"]["group"] == "Support/Billing/Refunds"
