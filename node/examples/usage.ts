// A typed tour of the package; CI checks it with `tsc --strict --noEmit`
// (and `node --test` runs the same calls for real).
import {
  Client,
  ConflictError,
  Credentials,
  LpError,
  NotFoundError,
  type AgentGroup,
  type Fetched,
  type GroupNode,
  type User,
  type Versioned,
} from 'lpconfig';
import { Emulator } from 'lpconfig/testing';

export async function tour(): Promise<void> {
  const emu = await Emulator.start();
  const client = new Client({
    account: emu.account,
    csdsUrl: emu.url,
    credentials: Credentials.password('admin', 'demo-password-1'),
    retry: { serverDelaysMs: [10, 10, 10], rateLimitBaseMs: 10 },
  });
  try {
    const all: Versioned<User[]> = await client.users.list({ select: '$all' });
    const agents = all.value.filter((u) => (u.maxChats ?? 0) > 0);
    console.log(`${agents.length} agents at revision ${all.revision ?? '?'}`);

    const group: AgentGroup = (await client.agentGroups.create({ name: 'Billing', parentGroupId: -1 })).value;
    const jane: User = {
      loginName: 'jane.doe',
      fullName: 'Jane Doe',
      nickname: 'Jane',
      email: 'jane@example.com',
      passwordSh: 'Str0ng-Passw0rd',
      profileIds: [2],
      memberOf: { agentGroupId: group.id ?? -1 },
    };
    const created = await client.users.create(jane);
    const id = created.value.id ?? 0;
    await client.users.addSkills([id], [1]);
    await client.users.setConcurrency([id], 3, null);

    const again: Fetched<User> = await client.users.getIfModified(id, created.revision ?? 0);
    if (again.notModified) {
      console.log('unchanged since', again.revision);
    } else {
      console.log('now', again.value.maxChats);
    }

    const tree: GroupNode[] = await client.agentGroups.tree();
    const walk = (n: GroupNode, depth: number): void => {
      console.log(`${'  '.repeat(depth)}${n.group.name ?? ''}`);
      n.children.forEach((c) => walk(c, depth + 1));
    };
    tree.forEach((n) => walk(n, 0));

    try {
      await client.users.update({ ...created.value, nickname: 'J' }, 1);
    } catch (e) {
      if (e instanceof ConflictError) console.log('stale revision:', e.code, e.status);
      else throw e;
    }
    try {
      await client.users.get(123456789);
    } catch (e) {
      if (e instanceof NotFoundError) console.log(e.code, e.status, e.method, e.url);
      else if (e instanceof LpError) console.log(e.code, e.attempts, e.field);
    }
    const skill = await client.skills.findByName('Sales');
    console.log(skill?.id);
  } finally {
    await client.close();
    await emu.stop();
  }
}
