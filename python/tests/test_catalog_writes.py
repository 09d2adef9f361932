"""Skills, profiles and LOBs written through the Python binding."""

from __future__ import annotations

from typing import Any

import pytest

import lpconfig

LOB_RETAIL = 6549273612
SKILL_BILLING = 2359235912


def rev(v: lpconfig.Versioned[Any]) -> int:
    assert v.revision is not None
    return v.revision


def test_skill_create_update_delete(client: lpconfig.Client) -> None:
    made = client.skills.create(lpconfig.Skill(name="Returns", lob_ids=[LOB_RETAIL]))
    skill = made.value
    assert skill.id is not None and skill.lob_ids == [LOB_RETAIL]
    skill.description = "Refunds"
    updated = client.skills.update(skill, rev(made))
    assert client.skills.get(skill.id).value.description == "Refunds"
    skill.description = "Stale"
    with pytest.raises(lpconfig.ConflictError):
        client.skills.update(skill, rev(made))
    gone = client.skills.delete(skill.id, rev(updated))
    assert gone.value is not None and gone.value.deleted is True
    with pytest.raises(lpconfig.InvalidError):
        client.skills.delete(SKILL_BILLING, lpconfig.ANY)  # users still hold it


def test_batches_are_atomic(client: lpconfig.Client) -> None:
    before = len(client.lobs.list().value)
    with pytest.raises(lpconfig.ConflictError):
        client.lobs.create_many([{"name": "Wholesale"}, {"name": "Retail"}])
    assert len(client.lobs.list().value) == before, "nothing of a refused batch was written"
    made = client.lobs.create_many([{"name": "Wholesale"}, {"name": "Public Sector"}])
    ids = [lob.id for lob in made.value if lob.id is not None]
    assert len(ids) == 2
    client.lobs.delete_many(ids, rev(made))
    assert len([x for x in client.lobs.list().value if not x.deleted]) == before


async def test_async_profile_create(aclient: lpconfig.AsyncClient) -> None:
    made = await aclient.profiles.create({"name": "Night Agents", "roleTypeId": 2})
    assert made.value.role_type_name == "Agent"
    renamed = made.value
    renamed.name = "Night Shift Agents"
    await aclient.profiles.update(renamed, rev(made))
    assert (await aclient.profiles.find_by_name("Night Shift Agents")) is not None
