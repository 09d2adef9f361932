"""Every method of ``client.users`` (sync), asserting on the emulator's state."""

from __future__ import annotations

import pytest
from demo_data import (
    ADMIN_ID,
    BILLING,
    DEMO_PASSWORD,
    JANE_ID,
    SAM_ID,
    SKILL_BILLING,
    SKILL_TECH,
    SKILL_VIP,
    TECH,
    new_agent,
)

import lpconfig
from lpconfig.testing import Emulator


def test_list_returns_typed_users_with_a_revision(client: lpconfig.Client) -> None:
    users = client.users.list()
    assert len(users.value) == 20 and isinstance(users.revision, int)
    assert all(isinstance(u, lpconfig.User) for u in users.value)
    assert users.value[0].login_name == "admin" and users.value[0].id == ADMIN_ID


def test_list_with_select_and_if_modified(client: lpconfig.Client) -> None:
    some = client.users.list(select="id,loginName")
    assert some.value[0].email is None and some.value[0].login_name == "admin"
    assert client.users.list_if_modified(some.revision or 0) == lpconfig.NotModified(some.revision)
    changed = client.users.list_if_modified((some.revision or 0) - 1)
    assert isinstance(changed, lpconfig.Versioned) and len(changed.value) == 20


def test_get_and_get_if_modified(client: lpconfig.Client) -> None:
    jane = client.users.get(JANE_ID)
    assert jane.value.login_name == "jane.doe"
    assert jane.value.member_of is not None and jane.value.member_of.agent_group_id == BILLING
    assert isinstance(client.users.get_if_modified(JANE_ID, jane.revision or 0), lpconfig.NotModified)
    assert isinstance(client.users.get_if_modified(JANE_ID, 1), lpconfig.Versioned)


def test_create_then_read_back(client: lpconfig.Client) -> None:
    created = client.users.create(new_agent("new.agent"))
    assert created.value.id is not None
    again = client.users.get(created.value.id).value
    assert again.login_name == "new.agent" and again.member_of is not None
    assert again.password is None  # write-only, never returned


def test_create_accepts_a_wire_dict(client: lpconfig.Client) -> None:
    created = client.users.create(new_agent("dict.agent").to_dict()).value
    assert client.users.find_by_login_name("dict.agent") == created


def test_create_many_update_many_delete_many(client: lpconfig.Client) -> None:
    made = client.users.create_many([new_agent(f"batch.{i}") for i in range(3)])
    ids = [u.id for u in made.value if u.id is not None]
    assert len(ids) == 3
    for u in made.value:
        u.nickname = "Renamed"
    updated = client.users.update_many(made.value, made.revision or lpconfig.ANY)
    assert {u.nickname for u in updated.value} == {"Renamed"}
    assert client.users.get(ids[0]).value.nickname == "Renamed"
    deleted = client.users.delete_many(ids, lpconfig.ANY)
    assert len(deleted.value) == 3
    live = {u.id for u in client.users.list().value}
    assert live.isdisjoint(ids)
    with_deleted = {u.id: u.deleted for u in client.users.list(include_deleted=True).value}
    assert all(with_deleted[i] for i in ids)


def test_update_with_revision_and_delete(client: lpconfig.Client) -> None:
    jane = client.users.get(JANE_ID)
    jane.value.max_chats = 7
    jane.value.full_name = "Jane Q. Doe"
    updated = client.users.update(jane.value, jane.if_match)
    assert updated.value.max_chats == 7
    assert client.users.get(JANE_ID).value.max_chats == 7
    client.users.delete(JANE_ID, updated.if_match)
    assert client.users.find_by_login_name("jane.doe") is None


def test_update_with_stale_revision_is_a_conflict(client: lpconfig.Client) -> None:
    jane = client.users.get(JANE_ID)
    client.users.create(new_agent("moves.revision"))
    jane.value.max_chats = 9
    with pytest.raises(lpconfig.ConflictError) as e:
        client.users.update(jane.value, jane.if_match)
    assert e.value.status in (409, 412) and e.value.code == "ERR_CONFLICT"
    assert client.users.get(JANE_ID).value.max_chats != 9


def test_reset_and_change_password_then_log_in(emu: Emulator, client: lpconfig.Client) -> None:
    client.users.reset_password(JANE_ID, "Reset-Passw0rd-1")
    with emu.client(credentials=lpconfig.Password("jane.doe", "Reset-Passw0rd-1")) as jane:
        jane.login()
        jane.users.change_password(JANE_ID, "Reset-Passw0rd-1", "Chang3d-Passw0rd-2")
    with emu.client(credentials=lpconfig.Password("jane.doe", "Chang3d-Passw0rd-2")) as jane:
        jane.login()
    with pytest.raises(lpconfig.AuthError):
        emu.client(credentials=lpconfig.Password("jane.doe", DEMO_PASSWORD)).login()


def test_find_and_query_helpers(client: lpconfig.Client) -> None:
    found = client.users.find_by_login_name("JANE.DOE")
    assert found is not None and found.id == JANE_ID
    assert client.users.find_by_login_name("nobody") is None
    assert {u.login_name for u in client.users.in_group(TECH)} >= {"priya.shah", "demo-bot"}
    assert {u.login_name for u in client.users.managing(BILLING)} == {"maria.ops"}
    assert {u.login_name for u in client.users.with_skill(SKILL_VIP)} == {
        "ana.silva",
        "emma.jones",
        "yuki.tanaka",
        "chloe.dubois",
    }


def test_masked_full_name_guard(client: lpconfig.Client) -> None:
    with pytest.raises(lpconfig.ConfigError) as e:
        client.users.add_skills([JANE_ID], [SKILL_TECH])
    assert e.value.field == "fullName"
    # The hint is spelled the Python way, never the Rust way.
    assert "client.users.allow_masked_blank()" in str(e.value) and "(true)" not in str(e.value)
    assert SKILL_TECH not in client.users.get(JANE_ID).value.skill_ids


def test_add_remove_skills_move_and_concurrency(client: lpconfig.Client) -> None:
    users = client.users.allow_masked_blank()
    users.add_skills([JANE_ID, ADMIN_ID + 600], [SKILL_TECH])
    assert SKILL_TECH in client.users.get(JANE_ID).value.skill_ids
    users.remove_skills([JANE_ID], [SKILL_BILLING])
    assert client.users.get(JANE_ID).value.skill_ids == [SKILL_TECH]
    users.move_to_group([JANE_ID], TECH)
    moved = client.users.get(JANE_ID).value
    assert moved.member_of is not None and moved.member_of.agent_group_id == TECH
    users.set_concurrency([JANE_ID], 5, None)
    after = client.users.get(JANE_ID).value
    assert after.max_chats == 5 and after.max_async_chats is None
    users.set_concurrency([JANE_ID], 6)
    assert client.users.get(JANE_ID).value.max_chats == 6
    assert client.users.get(JANE_ID).value.full_name == ""  # masked, kept on the server


def test_modify_runs_the_callback_and_writes_back(client: lpconfig.Client) -> None:
    def change(u: lpconfig.User) -> None:
        u.nickname = f"{u.nickname}!"

    out = client.users.allow_masked_blank().modify([JANE_ID], change)
    assert out.value[0].nickname == "Jane!"
    assert client.users.get(JANE_ID).value.nickname == "Jane!"


def test_modify_raises_the_callbacks_exception_and_writes_nothing(
    client: lpconfig.Client, emu: Emulator
) -> None:
    seen: list[int | None] = []

    def boom(u: lpconfig.User) -> lpconfig.User:
        seen.append(u.id)
        if len(seen) == 2:
            raise KeyError("from the callback")
        u.nickname = "changed"
        return u

    before = client.users.list().revision
    emu.clear_request_log()
    with pytest.raises(KeyError, match="from the callback"):
        client.users.allow_masked_blank().modify([JANE_ID, SAM_ID], boom)
    assert len(seen) == 2
    assert not [r for r in emu.request_log() if r.method == "PUT"], "nothing was written"
    assert client.users.list().revision == before
