"""Entities: attributes over the wire dict, to_dict/from_dict, equality, repr, extra."""

from __future__ import annotations

import pytest

import lpconfig
from lpconfig import AgentGroup, GroupLink, User


def test_user_new_has_the_fields_a_create_requires() -> None:
    u = User.new("jane.doe", "Jane Doe", "Jane", "jane@example.com", profile_ids=[7], member_of=1002)
    assert (u.login_name, u.full_name, u.nickname, u.email, u.is_enabled, u.max_chats) == (
        "jane.doe",
        "Jane Doe",
        "Jane",
        "jane@example.com",
        True,
        0,
    )
    assert u.profile_ids == [7] and u.member_of == GroupLink.to(1002)
    assert u.id is None and u.password is None


def test_snake_case_attributes_write_the_camel_case_wire_dict() -> None:
    u = User(login_name="a", full_name="A B", max_async_chats=None)
    u.skill_ids.append(7)
    u.member_of = GroupLink.to(1002)
    u.manager_of = [GroupLink.to(1), GroupLink.to(2)]
    d = u.to_dict()
    assert d["loginName"] == "a" and d["fullName"] == "A B" and d["maxAsyncChats"] is None
    assert d["skillIds"] == [7]
    assert d["memberOf"] == {"agentGroupId": 1002}
    assert [m.agent_group_id for m in u.manager_of] == [1, 2]
    assert u.member_of is not None and u.member_of.agent_group_id == 1002


def test_from_dict_round_trips_and_keeps_unknown_fields() -> None:
    skills = [1, 2]
    wire = {"id": 5, "loginName": "x", "newServerField": {"a": [1]}, "skillIds": skills}
    u = User.from_dict(wire)
    assert u.extra == {"newServerField": {"a": [1]}}
    assert u.to_dict() == wire
    skills.append(3)  # from_dict copied
    assert u.skill_ids == [1, 2]
    u.extra = {"other": 1}
    assert u.to_dict() == {"id": 5, "loginName": "x", "skillIds": [1, 2], "other": 1}
    with pytest.raises(ValueError):
        u.extra = {"loginName": "y"}


def test_equality_compares_wire_data_and_type() -> None:
    assert User(login_name="a", id=1) == User.from_dict({"id": 1, "loginName": "a"})
    assert User(login_name="a") != User(login_name="b")
    assert AgentGroup(id=1) != User(id=1)
    with pytest.raises(TypeError):
        hash(User(id=1))


def test_repr_is_readable_and_never_shows_passwords() -> None:
    u = User.new("jane.doe", "Jane Doe", "Jane", "jane@example.com", profile_ids=[7], password="S3cret-Pass!")
    u.old_password = "0ld-S3cret!"
    text = repr(u)
    assert text.startswith("User(") and "login_name='jane.doe'" in text
    assert "S3cret-Pass!" not in text and "0ld-S3cret!" not in text
    assert u.to_dict()["passwordSh"] == "S3cret-Pass!"  # still sent to the server


def test_unknown_constructor_field_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="no field 'loginname'"):
        User(loginname="x")


def test_agent_group_new() -> None:
    g = AgentGroup.new("Night shift", -1)
    assert (g.name, g.parent_group_id, g.is_enabled) == ("Night shift", -1, True)


def test_versioned_and_not_modified() -> None:
    v = lpconfig.Versioned(User(id=1), 42)
    assert v.if_match == 42
    assert lpconfig.Versioned(1, None).if_match is lpconfig.ANY
    assert not lpconfig.NotModified(3)
    assert lpconfig.NotModified(3) == lpconfig.NotModified(3)
    assert "revision=42" in repr(v)


def test_credentials_repr_hides_secrets() -> None:
    creds = [
        lpconfig.Password("admin", "PW-secret-1"),
        lpconfig.AppKeyLogin("bot", "key", "SEC-secret-2", "tok", "TS-secret-3"),
        lpconfig.ApiKey("key", "SEC-secret-4", "tok", "TS-secret-5"),
        lpconfig.Bearer("BEAR-secret-6"),
    ]
    text = repr(creds)
    for secret in (
        "PW-secret-1",
        "SEC-secret-2",
        "TS-secret-3",
        "SEC-secret-4",
        "TS-secret-5",
        "BEAR-secret-6",
    ):
        assert secret not in text
    assert "admin" in text
