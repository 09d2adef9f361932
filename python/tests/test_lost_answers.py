"""Writes whose answer is lost after the server applied them (``apply_then_*``
faults): the call reports success, the account holds the change exactly once,
and the request log shows the lost answer followed by a re-read, not a blind
re-send (docs/retries.md, decision D22)."""

from __future__ import annotations

import json
from typing import Any, Dict, List, Tuple

import pytest
from demo_data import SAM_ID, new_agent

import lpconfig
from lpconfig.testing import Emulator

#: Each lost-answer action and the status the client sees (0 = connection reset).
ACTIONS: List[Tuple[Dict[str, Any], int]] = [
    ({"type": "apply_then_status", "status": 503}, 503),
    ({"type": "apply_then_status", "status": 500, "retry_after": "0"}, 500),
    ({"type": "apply_then_reset"}, 0),
    ({"type": "apply_then_malformed"}, 200),
]
IDS = ["503", "500", "reset", "malformed"]


def lose_next(emu: Emulator, method: str, path: str, action: Dict[str, Any]) -> None:
    emu.add_fault_json(json.dumps({"method": method, "path": path, "count": 1, "action": action}))


def wire(emu: Emulator) -> List[Tuple[str, int]]:
    return [(r.method, r.status) for r in emu.request_log() if "/le-users/" in r.path]


def live_logins(client: lpconfig.Client, login: str) -> int:
    return sum(
        1
        for u in client.users.list(include_deleted=True).value
        if not u.deleted and (u.login_name or "").lower() == login.lower()
    )


@pytest.mark.parametrize(("action", "seen"), ACTIONS, ids=IDS)
def test_create_single_and_batch(
    emu: Emulator, client: lpconfig.Client, action: Dict[str, Any], seen: int
) -> None:
    emu.clear_request_log()
    lose_next(emu, "POST", "*/le-users/users", action)
    made = client.users.create(new_agent("lost.one"))
    assert made.value.login_name == "lost.one" and made.value.id is not None
    assert wire(emu) == [("POST", seen), ("GET", 200)], "one POST, then a re-read; never a second POST"
    assert live_logins(client, "lost.one") == 1

    emu.clear_request_log()
    lose_next(emu, "POST", "*/le-users/users", action)
    batch = client.users.create_many([new_agent(f"lost.batch.{i}") for i in range(3)])
    assert [u.login_name for u in batch.value] == [f"lost.batch.{i}" for i in range(3)]
    assert wire(emu) == [("POST", seen), ("GET", 200)]
    for i in range(3):
        assert live_logins(client, f"lost.batch.{i}") == 1


@pytest.mark.parametrize(("action", "seen"), ACTIONS, ids=IDS)
def test_update_single_and_batch(
    emu: Emulator, client: lpconfig.Client, action: Dict[str, Any], seen: int
) -> None:
    sam = client.users.get(SAM_ID)
    user = sam.value
    user.full_name = "Samuel Lee"
    user.max_chats = 7
    emu.clear_request_log()
    lose_next(emu, "PUT", f"*/users/{SAM_ID}", action)
    done = client.users.update(user, sam.if_match)
    assert done.value.max_chats == 7
    log = wire(emu)
    assert log[0] == ("PUT", seen) and log[-1] == ("GET", 200), log
    assert client.users.get(SAM_ID).value.max_chats == 7

    listed = client.users.list()
    some = [u for u in listed.value if (u.login_name or "").startswith(("jane", "sam", "kim"))][:2]
    for u in some:
        u.full_name = "Batch Name"
        u.max_chats = 9
    emu.clear_request_log()
    lose_next(emu, "PUT", "*/le-users/users", action)
    updated = client.users.update_many(some, listed.if_match)
    assert len(updated.value) == len(some)
    assert wire(emu)[0] == ("PUT", seen)
    for u in some:
        assert u.id is not None and client.users.get(u.id).value.max_chats == 9


@pytest.mark.parametrize(("action", "seen"), ACTIONS, ids=IDS)
def test_delete_single_and_batch(
    emu: Emulator, client: lpconfig.Client, action: Dict[str, Any], seen: int
) -> None:
    made = client.users.create_many([new_agent(f"gone.{i}") for i in range(3)])
    ids = [u.id for u in made.value if u.id is not None]
    emu.clear_request_log()
    lose_next(emu, "DELETE", f"*/users/{ids[0]}", action)
    gone = client.users.delete(ids[0], lpconfig.ANY)
    assert gone.value is not None and gone.value.deleted is True
    log = wire(emu)
    assert log[0] == ("DELETE", seen) and log[-1] == ("GET", 200), log

    emu.clear_request_log()
    lose_next(emu, "DELETE", "*/le-users/users", action)
    rest = client.users.delete_many(ids[1:], lpconfig.ANY)
    assert len(rest.value) == 2
    assert wire(emu)[0] == ("DELETE", seen)
    tombstones = {u.id: u.deleted for u in client.users.list(include_deleted=True).value}
    assert all(tombstones[i] is True for i in ids)
