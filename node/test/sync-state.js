'use strict';
// The account as staff-file values (group paths, role/skill/LOB names), to
// compare with what a sync was asked to make true.

async function groupPaths(client) {
  const groups = new Map((await client.agentGroups.list()).value.map((g) => [g.id, g]));
  const root = [...groups.values()].find((g) => g.parentGroupId == null)?.id ?? -1;
  const path = (id) => {
    const parts = [];
    let cur = id;
    while (cur != null && groups.has(cur) && parts.length < 64) {
      if (cur === root && parts.length) break;
      const g = groups.get(cur);
      parts.push(g.name ?? String(cur));
      cur = g.parentGroupId !== g.id ? g.parentGroupId : null;
    }
    return parts.reverse().join('/');
  };
  return new Map([...groups.keys()].map((id) => [id, path(id)]));
}

async function usersAsColumns(client) {
  const paths = await groupPaths(client);
  const names = async (cat) => new Map((await cat.list()).value.map((x) => [x.id, x.name]));
  const [skills, profiles, lobs] = await Promise.all([names(client.skills), names(client.profiles), names(client.lobs)]);
  const sorted = (ids, m) => (ids ?? []).map((i) => String(m.get(i) ?? i)).sort();
  const out = {};
  for (const u of (await client.users.list()).value) {
    if (u.loginName == null || u.deleted) continue;
    const group = u.memberOf?.agentGroupId ?? null;
    out[u.loginName] = {
      login_name: u.loginName,
      email: u.email ?? null,
      nickname: u.nickname ?? null,
      description: u.description ?? null,
      mobile_number: u.mobileNumber ?? null,
      picture_url: u.pictureUrl ?? null,
      enabled: u.isEnabled ?? null,
      max_chats: u.maxChats ?? null,
      max_async_chats: u.maxAsyncChats ?? null,
      group: group == null ? null : (paths.get(group) ?? String(group)),
      roles: sorted(u.profileIds, profiles),
      skills: sorted(u.skillIds, skills),
      lobs: sorted(u.lobIds, lobs),
      manager_of: (u.managerOf ?? [])
        .filter((m) => m.agentGroupId != null)
        .map((m) => paths.get(m.agentGroupId) ?? String(m.agentGroupId))
        .sort(),
    };
  }
  return out;
}

module.exports = { groupPaths, usersAsColumns };
