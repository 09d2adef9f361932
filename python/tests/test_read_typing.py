"""Reads are typed so that ``.id`` needs no ``None`` check: every read without
``select`` returns ``StoredUser``/``StoredAgentGroup`` (``id: int``). mypy
--strict checks the annotations below (an ``Optional[int]`` would not assign to
``int``); the asserts check the runtime classes."""

from __future__ import annotations

from typing import List

from demo_data import JANE_ID

import lpconfig


def test_sync_reads_are_stored_entities(client: lpconfig.Client) -> None:
    users = client.users.list().value
    ids: List[int] = [u.id for u in users]
    assert all(isinstance(u, lpconfig.StoredUser) for u in users) and len(ids) == 20
    one: int = client.users.get(JANE_ID).value.id
    assert one == JANE_ID
    found = client.users.find_by_login_name("jane.doe")
    assert found is not None and isinstance(found, lpconfig.StoredUser)
    gid: int = client.agent_groups.list().value[0].id
    assert isinstance(gid, int)
    # With ``select`` the server may leave ``id`` out: plain ``User``, Optional id.
    some = client.users.list(select="loginName").value
    assert not any(isinstance(u, lpconfig.StoredUser) for u in some)


async def test_async_reads_are_stored_entities(aclient: lpconfig.AsyncClient) -> None:
    users = (await aclient.users.list()).value
    ids: List[int] = [u.id for u in users]
    assert len(ids) == 20
    groups = (await aclient.agent_groups.list()).value
    assert all(isinstance(g, lpconfig.StoredAgentGroup) for g in groups)
    members: List[int] = [u.id for u in await aclient.agent_groups.members(groups[0].id)]
    assert isinstance(members, list)
