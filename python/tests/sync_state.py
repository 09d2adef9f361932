"""The account as staff-file values (group paths, role/skill/LOB names), to compare
with what a sync was asked to make true."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

import lpconfig


def group_paths(client: lpconfig.Client) -> Dict[int, str]:
    """Group id -> path below the root (``Support/Billing``); the root by its own name."""
    groups = {g.id: g for g in client.agent_groups.list().value if g.id is not None}
    root = next((g.id for g in groups.values() if g.parent_group_id is None), -1)

    def path(gid: int) -> str:
        parts: List[str] = []
        cur: Optional[int] = gid
        while cur is not None and cur in groups and len(parts) < 64:
            if cur == root and parts:
                break
            g = groups[cur]
            parts.append(g.name or str(cur))
            cur = g.parent_group_id if g.parent_group_id != g.id else None
        return "/".join(reversed(parts))

    return {gid: path(gid) for gid in groups}


def users_as_columns(client: lpconfig.Client) -> Dict[str, Dict[str, Any]]:
    """Every non-deleted user by login name, as staff-file column values."""
    paths = group_paths(client)
    skills = {s.id: s.name for s in client.skills.list().value}
    profiles = {p.id: p.name for p in client.profiles.list().value}
    lobs = {lob.id: lob.name for lob in client.lobs.list().value}
    out: Dict[str, Dict[str, Any]] = {}
    for u in client.users.list().value:
        if u.login_name is None or u.deleted:
            continue
        group = u.member_of.agent_group_id if u.member_of is not None else None
        out[u.login_name] = {
            "login_name": u.login_name,
            "email": u.email,
            "nickname": u.nickname,
            "description": u.description,
            "mobile_number": u.mobile_number,
            "picture_url": u.picture_url,
            "enabled": u.is_enabled,
            "max_chats": u.max_chats,
            "max_async_chats": u.max_async_chats,
            "group": paths.get(group, str(group)) if group is not None else None,
            "roles": sorted(str(profiles.get(i, i)) for i in u.profile_ids),
            "skills": sorted(str(skills.get(i, i)) for i in u.skill_ids),
            "lobs": sorted(str(lobs.get(i, i)) for i in u.lob_ids),
            "manager_of": sorted(
                paths.get(m.agent_group_id, str(m.agent_group_id))
                for m in u.manager_of
                if m.agent_group_id is not None
            ),
        }
    return out
