"""Listed users build their wire dicts on first use (``_native.LazyUser``); every
way of reading, comparing, changing, copying or pickling one must see the same
user as an eagerly converted one."""

from __future__ import annotations

import copy
import pickle

import pytest
from demo_data import JANE_ID

import lpconfig
from lpconfig import _native


def _listed_jane(client: lpconfig.Client) -> lpconfig.StoredUser:
    return next(u for u in client.users.list().value if u.to_dict()["id"] == JANE_ID)


def test_listed_users_start_unconverted_and_convert_once(client: lpconfig.Client) -> None:
    users = client.users.list().value
    first = users[0]
    assert isinstance(first._lazy, _native.LazyUser)  # nothing converted by listing
    data = first._data
    assert first._data is data  # built once, then kept
    assert not hasattr(first, "_lazy")  # and the native user let go


def test_a_listed_user_equals_the_same_user_fetched_alone(client: lpconfig.Client) -> None:
    fetched = client.users.get(JANE_ID).value
    listed = next(u for u in client.users.list().value if u.id == JANE_ID)
    assert listed == fetched and fetched == listed
    assert repr(listed) == repr(fetched)
    assert listed.to_dict() == fetched.to_dict()
    assert listed.member_of == fetched.member_of and listed.skill_ids == fetched.skill_ids
    # Compared before any field of either was read.
    a, b = client.users.list().value, client.users.list().value
    assert a == b


def test_a_listed_user_can_be_changed_and_written_back(client: lpconfig.Client) -> None:
    listed = client.users.list()
    jane = next(u for u in listed.value if u.id == JANE_ID)
    jane.nickname = "JD"
    written = client.users.update(jane, listed.if_match).value
    assert written.nickname == "JD"
    assert client.users.get(JANE_ID).value.nickname == "JD"


def test_unread_listed_users_pickle_and_copy(client: lpconfig.Client) -> None:
    jane = _listed_jane(client)
    for users in (client.users.list().value, client.users.list(select="id,loginName").value):
        for user in users[:3]:
            # Neither has been read yet: the copies carry the wire dict, not the native user.
            clone = pickle.loads(pickle.dumps(user))
            assert type(clone) is type(user) and clone == user and not hasattr(clone, "_lazy")
            deep = copy.deepcopy(user)
            assert deep == user and deep._data is not user._data
    assert pickle.loads(pickle.dumps(jane)) == jane


def test_unknown_attributes_still_raise(client: lpconfig.Client) -> None:
    user = client.users.list().value[0]
    name = "no_such_field"
    with pytest.raises(AttributeError, match=name):
        getattr(user, name)
    blank = lpconfig.User()
    assert blank.to_dict() == {}


async def test_async_list_is_lazy_too(aclient: lpconfig.AsyncClient) -> None:
    users = (await aclient.users.list()).value
    assert isinstance(users[0]._lazy, _native.LazyUser)
    assert users[0].login_name == "admin"
    changed = await aclient.users.list_if_modified(0)
    assert isinstance(changed, lpconfig.Versioned) and changed.value[0].login_name == "admin"
