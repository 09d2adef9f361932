"""Every method of ``agent_groups`` (sync and async) and the read-only catalogs."""

from __future__ import annotations

import pytest
from demo_data import BILLING, LOB_RETAIL, MAIN_GROUP, PROFILE_AGENT, SALES, SKILL_BILLING, SUPPORT, TECH

import lpconfig


def test_list_get_and_conditional_reads(client: lpconfig.Client) -> None:
    groups = client.agent_groups.list()
    assert {g.name for g in groups.value} == {"Main Group", "Support", "Billing", "Tech", "Sales"}
    assert client.agent_groups.list_if_modified(groups.revision or 0) == lpconfig.NotModified(groups.revision)
    assert isinstance(client.agent_groups.list_if_modified(1), lpconfig.Versioned)
    billing = client.agent_groups.get(BILLING)
    assert (billing.value.name, billing.value.parent_group_id) == ("Billing", SUPPORT)
    assert isinstance(
        client.agent_groups.get_if_modified(BILLING, billing.revision or 0), lpconfig.NotModified
    )
    assert isinstance(client.agent_groups.get_if_modified(BILLING, 1), lpconfig.Versioned)
    assert client.agent_groups.get(MAIN_GROUP).value.parent_group_id is None


def test_create_update_delete(client: lpconfig.Client) -> None:
    made = client.agent_groups.create(lpconfig.AgentGroup.new("Night shift", SUPPORT))
    gid = made.value.id
    assert gid is not None
    made.value.description = "after hours"
    client.agent_groups.update(made.value, made.if_match)
    assert client.agent_groups.get(gid).value.description == "after hours"
    client.agent_groups.delete(gid, lpconfig.ANY)
    assert gid not in {g.id for g in client.agent_groups.list().value}


def test_batches_and_duplicate_name(client: lpconfig.Client) -> None:
    made = client.agent_groups.create_many([lpconfig.AgentGroup.new(f"Team {i}", SALES) for i in range(3)])
    ids = [g.id for g in made.value if g.id is not None]
    assert len(ids) == 3
    for g in made.value:
        g.is_enabled = False
    client.agent_groups.update_many(made.value, made.if_match)
    assert {client.agent_groups.get(i).value.is_enabled for i in ids} == {False}
    with pytest.raises((lpconfig.ConflictError, lpconfig.InvalidError)):
        client.agent_groups.create(lpconfig.AgentGroup.new("Team 0", SALES))
    client.agent_groups.delete_many(ids, lpconfig.ANY)
    assert {g.name for g in client.agent_groups.children(SALES)} == set()


def test_hierarchy_helpers(client: lpconfig.Client) -> None:
    (root,) = client.agent_groups.tree()
    assert root.group.id == MAIN_GROUP
    assert [n.group.name for n in root.children] == ["Sales", "Support"]
    support = root.children[1]
    assert [n.group.name for n in support.children] == ["Billing", "Tech"]
    assert len(root.walk()) == 5
    assert {g.id for g in client.agent_groups.children(SUPPORT)} == {BILLING, TECH}
    assert "jane.doe" in {u.login_name for u in client.agent_groups.members(BILLING)}
    assert {u.login_name for u in client.agent_groups.managers(SUPPORT)} == {"maria.ops"}


async def test_async_agent_groups(aclient: lpconfig.AsyncClient) -> None:
    groups = await aclient.agent_groups.list()
    assert len(groups.value) == 5
    assert isinstance(await aclient.agent_groups.list_if_modified(groups.revision or 0), lpconfig.NotModified)
    assert (await aclient.agent_groups.get(TECH)).value.name == "Tech"
    assert isinstance(await aclient.agent_groups.get_if_modified(TECH, 1), lpconfig.Versioned)
    made = await aclient.agent_groups.create(lpconfig.AgentGroup.new("Async team", MAIN_GROUP))
    more = await aclient.agent_groups.create_many([lpconfig.AgentGroup.new("Async two", MAIN_GROUP)])
    assert made.value.id is not None
    made.value.name = "Async team 1"
    await aclient.agent_groups.update(made.value, lpconfig.ANY)
    await aclient.agent_groups.update_many(more.value, lpconfig.ANY)
    names = {g.name for g in await aclient.agent_groups.children(MAIN_GROUP)}
    assert {"Async team 1", "Async two"} <= names
    await aclient.agent_groups.delete(made.value.id, lpconfig.ANY)
    await aclient.agent_groups.delete_many([g.id for g in more.value if g.id is not None], lpconfig.ANY)
    assert len((await aclient.agent_groups.list()).value) == 5
    tree = await aclient.agent_groups.tree()
    assert tree[0].group.name == "Main Group"
    assert len(await aclient.agent_groups.members(TECH)) >= 6
    assert {u.login_name for u in await aclient.agent_groups.managers(TECH)} == {"tom.lead"}


def test_catalogs(client: lpconfig.Client) -> None:
    skills = client.skills.list()
    assert {s.name for s in skills.value} == {"Billing", "Technical Support", "Sales", "VIP"}
    billing = client.skills.get(SKILL_BILLING).value
    assert billing.name == "Billing" and billing.lob_ids == [LOB_RETAIL]
    found = client.skills.find_by_name("VIP")
    assert found is not None and isinstance(found, lpconfig.Skill)
    assert client.skills.find_by_name("vip") is None
    assert isinstance(client.skills.list_if_modified(skills.revision or 0), lpconfig.NotModified)
    agent = client.profiles.get(PROFILE_AGENT).value
    assert (agent.name, agent.role_type_id) == ("Agent", 2)
    assert {p.role_type_id for p in client.profiles.list().value} >= {1, 2, 3, 4}
    assert {lob.name for lob in client.lobs.list().value} == {"Retail", "Business"}
    retail = client.lobs.find_by_name("Retail")
    assert retail is not None and retail.id == LOB_RETAIL
    assert isinstance(client.lobs.list_if_modified(1), lpconfig.Versioned)


async def test_async_catalogs(aclient: lpconfig.AsyncClient) -> None:
    skills = await aclient.skills.list()
    assert len(skills.value) == 4
    assert (await aclient.skills.get(SKILL_BILLING)).value.name == "Billing"
    assert await aclient.profiles.find_by_name("Agent") is not None
    assert isinstance(await aclient.lobs.list_if_modified(1), lpconfig.Versioned)
    assert len((await aclient.lobs.list()).value) == 2
