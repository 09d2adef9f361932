"""The groups section of ``client.sync.plan`` (``groups=``): renames, re-parenting and
new groups from records or a file, and its input errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sync_state import group_paths, users_as_columns

import lpconfig
from lpconfig.testing import Emulator


def test_groups_file_renames_and_creates(tmp_path: Path, client: lpconfig.Client) -> None:
    groups = tmp_path / "groups.csv"
    groups.write_text("id,name,parent,description\n1002,Invoices,,\n,Night,Sales,Late shift\n")
    rows = [{"login_name": "priya.shah", "group": "Sales/Night"}]
    plan = client.sync.plan(rows, groups=groups, allow_masked_blank=True)
    s = plan.summary()
    assert (s.groups_to_create, s.groups_to_update, s.users_to_update) == (1, 1, 1)
    assert ("update_group", "Support/Billing") in [(c.kind, c.name) for c in plan.changes]
    report = client.sync.apply(plan)
    assert report.ok and report.verified is True and report.applied.groups_updated == 1
    paths = set(group_paths(client).values())
    assert {"Support/Invoices", "Sales/Night"} <= paths and "Support/Billing" not in paths
    assert users_as_columns(client)["priya.shah"]["group"] == "Sales/Night"


def test_bad_group_records_name_the_row_and_nothing_is_contacted(
    emu: Emulator, client: lpconfig.Client
) -> None:
    client.login()
    emu.clear_request_log()
    with pytest.raises(lpconfig.SyncInputError) as caught:
        client.sync.plan(
            [{"login_name": "jane.doe"}],
            groups=[{"name": "A/B"}, {"id": "x", "name": "C"}, {"colour": "red", "name": "D"}],
        )
    got = [str(e) for e in caught.value.errors]
    assert [e.path for e in caught.value.errors] == ["groups"] * 3, got
    assert [e.line for e in caught.value.errors] == [1, 2, 3], got
    assert "contains '/'" in got[0] and "id" in got[1] and "colour" in got[2]
    assert emu.request_log() == []


def test_groups_must_be_a_path_or_records(client: lpconfig.Client) -> None:
    with pytest.raises(TypeError, match="groups must be"):
        client.sync.plan([{"login_name": "jane.doe"}], groups={"name": "x"})  # type: ignore[dict-item]
