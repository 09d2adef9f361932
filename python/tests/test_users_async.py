"""Every method of ``AsyncClient.users``, asserting on the emulator's state."""

from __future__ import annotations

import pytest
from demo_data import ADMIN_ID, BILLING, JANE_ID, SKILL_BILLING, SKILL_TECH, SKILL_VIP, TECH, new_agent

import lpconfig
from lpconfig.testing import Emulator


async def test_list_get_and_conditional_reads(aclient: lpconfig.AsyncClient) -> None:
    users = await aclient.users.list()
    assert len(users.value) == 20 and users.value[0].id == ADMIN_ID
    assert await aclient.users.list_if_modified(users.revision or 0) == lpconfig.NotModified(users.revision)
    selected = await aclient.users.list(select="id,loginName")
    assert selected.value[1].email is None
    jane = await aclient.users.get(JANE_ID)
    assert jane.value.login_name == "jane.doe"
    assert isinstance(await aclient.users.get_if_modified(JANE_ID, jane.revision or 0), lpconfig.NotModified)
    assert isinstance(await aclient.users.get_if_modified(JANE_ID, 1), lpconfig.Versioned)
    changed = await aclient.users.list_if_modified(1)
    assert isinstance(changed, lpconfig.Versioned) and len(changed.value) == 20


async def test_create_update_delete(aclient: lpconfig.AsyncClient) -> None:
    created = await aclient.users.create(new_agent("async.agent"))
    assert created.value.id is not None
    created.value.nickname = "Async"
    updated = await aclient.users.update(created.value, created.if_match)
    assert (await aclient.users.get(created.value.id)).value.nickname == "Async"
    await aclient.users.delete(created.value.id, updated.if_match)
    assert await aclient.users.find_by_login_name("async.agent") is None


async def test_batches(aclient: lpconfig.AsyncClient) -> None:
    made = await aclient.users.create_many([new_agent(f"abatch.{i}") for i in range(2)])
    ids = [u.id for u in made.value if u.id is not None]
    for u in made.value:
        u.max_chats = 4
    await aclient.users.update_many(made.value, lpconfig.ANY)
    assert {(await aclient.users.get(i)).value.max_chats for i in ids} == {4}
    await aclient.users.delete_many(ids, lpconfig.ANY)
    live = {u.id for u in (await aclient.users.list()).value}
    assert live.isdisjoint(ids)


async def test_passwords(emu: Emulator, aclient: lpconfig.AsyncClient) -> None:
    await aclient.users.reset_password(JANE_ID, "Reset-Passw0rd-1")
    async with emu.async_client(credentials=lpconfig.Password("jane.doe", "Reset-Passw0rd-1")) as jane:
        await jane.users.change_password(JANE_ID, "Reset-Passw0rd-1", "Chang3d-Passw0rd-2")
    async with emu.async_client(credentials=lpconfig.Password("jane.doe", "Chang3d-Passw0rd-2")) as jane:
        await jane.login()


async def test_query_helpers(aclient: lpconfig.AsyncClient) -> None:
    jane = await aclient.users.find_by_login_name("jane.doe")
    assert jane is not None and jane.id == JANE_ID
    assert "priya.shah" in {u.login_name for u in await aclient.users.in_group(TECH)}
    assert {u.login_name for u in await aclient.users.managing(BILLING)} == {"maria.ops"}
    assert len(await aclient.users.with_skill(SKILL_VIP)) == 4


async def test_read_modify_write_helpers(aclient: lpconfig.AsyncClient) -> None:
    with pytest.raises(lpconfig.ConfigError):
        await aclient.users.add_skills([JANE_ID], [SKILL_TECH])
    users = aclient.users.allow_masked_blank()
    await users.add_skills([JANE_ID], [SKILL_TECH])
    await users.remove_skills([JANE_ID], [SKILL_BILLING])
    assert (await aclient.users.get(JANE_ID)).value.skill_ids == [SKILL_TECH]
    await users.move_to_group([JANE_ID], TECH)
    await users.set_concurrency([JANE_ID], 2, 8)
    jane = (await aclient.users.get(JANE_ID)).value
    assert jane.member_of is not None and jane.member_of.agent_group_id == TECH
    assert (jane.max_chats, jane.max_async_chats) == (2, 8)

    def shout(u: lpconfig.User) -> lpconfig.User:
        u.nickname = "JANE"
        return u

    await users.modify([JANE_ID], shout)
    assert (await aclient.users.get(JANE_ID)).value.nickname == "JANE"
