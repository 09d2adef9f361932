'use strict';
// Every method and helper of `client.users`, checked by a second read or the
// emulator's request log.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { ConfigError, ConflictError, NotFoundError } = require('..');
const { DEMO, useEmulator, requests, uniqueName, newAgent } = require('./helpers');

const ctx = useEmulator();
const users = () => ctx.client.users;
/** The helpers re-send fullName, which the emulator masks (D14). */
const helpers = () => ctx.client.users.allowMaskedBlank(true);

async function created(extra) {
  return (await users().create(newAgent(uniqueName('u'), extra))).value;
}

test('list returns the seeded users with a revision', async () => {
  const all = await users().list();
  assert.ok(Number.isSafeInteger(all.revision));
  const names = all.value.map((u) => u.loginName);
  for (const n of ['admin', 'jane.doe', 'chloe.dubois']) assert.ok(names.includes(n), n);
  const jane = all.value.find((u) => u.loginName === 'jane.doe');
  assert.equal(jane.id, DEMO.userId(5));
  assert.deepEqual(jane.memberOf.agentGroupId, DEMO.billing);
  assert.deepEqual(jane.skillIds, [DEMO.skillBilling]);
  assert.equal(jane.passwordSh ?? null, null, 'passwords are never read back');
});

test('list with select and includeDeleted', async () => {
  const some = await users().list({ select: 'id,loginName' });
  const jane = some.value.find((u) => u.loginName === 'jane.doe');
  assert.equal(jane.email, undefined);
  const gone = await created();
  await users().delete(gone.id, 'any');
  const live = await users().list();
  assert.ok(!live.value.some((u) => u.id === gone.id && !u.deleted));
  const withDeleted = await users().list({ includeDeleted: true });
  assert.equal(withDeleted.value.find((u) => u.id === gone.id)?.deleted, true);
});

test('listIfModified: notModified is distinct from data', async () => {
  const { revision } = await users().list();
  const same = await users().listIfModified(revision);
  assert.deepEqual(same, { notModified: true, revision });
  await created();
  const changed = await users().listIfModified(revision);
  assert.equal(changed.notModified, false);
  assert.ok(Array.isArray(changed.value) && changed.value.length > 0);
  assert.ok(changed.revision > revision);
});

test('get and getIfModified', async () => {
  const jane = await users().get(DEMO.userId(5));
  assert.equal(jane.value.loginName, 'jane.doe');
  const same = await users().getIfModified(DEMO.userId(5), jane.revision);
  assert.equal(same.notModified, true);
  const older = await users().getIfModified(DEMO.userId(5), 1);
  assert.equal(older.notModified, false);
  assert.equal(older.value.loginName, 'jane.doe');
});

test('create sends the write-only password and returns the new user', async () => {
  const name = uniqueName('new');
  const r = await users().create(newAgent(name));
  assert.ok(Number.isSafeInteger(r.value.id));
  assert.equal(r.value.passwordSh ?? null, null);
  const again = await users().get(r.value.id);
  assert.equal(again.value.loginName, name);
  const post = requests(ctx.emu, '/users', 'POST').at(-1);
  assert.equal(JSON.parse(post.body).passwordSh, 'Str0ng-Passw0rd!');
});

test('createMany creates every user', async () => {
  const names = [uniqueName('m'), uniqueName('m')];
  const r = await users().createMany(names.map((n) => newAgent(n)));
  assert.deepEqual(r.value.map((u) => u.loginName), names);
  for (const u of r.value) assert.equal((await users().get(u.id)).value.loginName, u.loginName);
});

test('update replaces under If-Match and refuses a stale revision', async () => {
  const u = await created();
  const read = await users().get(u.id);
  const r = await users().update({ ...read.value, nickname: 'Renamed' }, read.revision);
  assert.equal(r.value.nickname, 'Renamed');
  assert.equal((await users().get(u.id)).value.nickname, 'Renamed');
  const put = requests(ctx.emu, `/users/${u.id}`, 'PUT').at(-1);
  assert.equal(put.headers['if-match'], String(read.revision));
  assert.equal(JSON.parse(put.body).passwordSh, null, 'password unchanged unless set');
  await assert.rejects(users().update({ ...read.value, nickname: 'Stale' }, read.revision), ConflictError);
  assert.equal((await users().get(u.id)).value.nickname, 'Renamed');
});

test('updateMany replaces several users', async () => {
  const a = await created();
  const b = await created();
  const r = await users().updateMany(
    [
      { ...a, nickname: 'A2' },
      { ...b, nickname: 'B2' },
    ],
    'any',
  );
  assert.equal(r.value.length, 2);
  assert.equal((await users().get(a.id)).value.nickname, 'A2');
  assert.equal((await users().get(b.id)).value.nickname, 'B2');
});

test('delete and deleteMany soft-delete', async () => {
  const a = await created();
  const r = await users().delete(a.id, 'any');
  assert.equal(r.value?.deleted ?? true, true);
  assert.equal(await users().findByLoginName(a.loginName), null);
  await assert.rejects(users().delete(a.id, 'any'), NotFoundError);
  const b = await created();
  const c = await created();
  const many = await users().deleteMany([b.id, c.id], 'any');
  assert.equal(many.value.length, 2);
  const all = await users().list({ includeDeleted: true });
  for (const id of [b.id, c.id]) assert.equal(all.value.find((u) => u.id === id).deleted, true);
});

test('resetPassword and changePassword', async () => {
  const u = await created();
  const reset = await users().resetPassword(u.id, 'N3w-Passw0rd-1');
  assert.equal(reset.value.id, u.id);
  const put = requests(ctx.emu, `/users/${u.id}/resetPassword`, 'PUT').at(-1);
  assert.equal(JSON.parse(put.body).newPassword, 'N3w-Passw0rd-1');
  const changed = await users().changePassword(u.id, 'N3w-Passw0rd-1', 'N3w-Passw0rd-2');
  assert.equal(changed.value.id, u.id);
  assert.equal(requests(ctx.emu, `/users/${u.id}/changePassword`, 'PUT').length, 1);
  await assert.rejects(users().resetPassword(u.id, ''), (e) => e instanceof ConfigError && e.field === 'newPassword');
});

test('findByLoginName ignores case and returns null when absent', async () => {
  assert.equal((await users().findByLoginName('JANE.DOE')).id, DEMO.userId(5));
  assert.equal(await users().findByLoginName('nobody.here'), null);
});

test('inGroup, managing and withSkill', async () => {
  const sales = (await users().inGroup(DEMO.sales)).map((u) => u.loginName).sort();
  assert.deepEqual(sales, ['liam.brown', 'mia.garcia', 'yuki.tanaka']);
  const managers = (await users().managing(DEMO.billing)).map((u) => u.loginName);
  assert.deepEqual(managers, ['maria.ops']);
  const vip = (await users().withSkill(DEMO.skillVip)).map((u) => u.loginName).sort();
  assert.deepEqual(vip, ['ana.silva', 'chloe.dubois', 'emma.jones', 'yuki.tanaka']);
});

test('addSkills and removeSkills', async () => {
  const u = await created({ skillIds: [DEMO.skillBilling] });
  await helpers().addSkills([u.id], [DEMO.skillVip]);
  assert.deepEqual((await users().get(u.id)).value.skillIds.sort(), [DEMO.skillBilling, DEMO.skillVip].sort());
  await helpers().removeSkills([u.id], [DEMO.skillBilling]);
  assert.deepEqual((await users().get(u.id)).value.skillIds, [DEMO.skillVip]);
});

test('moveToGroup', async () => {
  const a = await created();
  const b = await created();
  await helpers().moveToGroup([a.id, b.id], DEMO.sales);
  for (const id of [a.id, b.id]) assert.equal((await users().get(id)).value.memberOf.agentGroupId, DEMO.sales);
});

test('setConcurrency: keep, set and inherit maxAsyncChats', async () => {
  const u = await created({ maxAsyncChats: 7 });
  await helpers().setConcurrency([u.id], 5);
  let now = (await users().get(u.id)).value;
  assert.equal(now.maxChats, 5);
  assert.equal(now.maxAsyncChats, 7);
  await helpers().setConcurrency([u.id], 4, 9);
  assert.equal((await users().get(u.id)).value.maxAsyncChats, 9);
  await helpers().setConcurrency([u.id], 4, null);
  now = (await users().get(u.id)).value;
  assert.equal(now.maxChats, 4);
  assert.equal(now.maxAsyncChats, null);
});

test('modify lays a patch over each user', async () => {
  const u = await created();
  const r = await helpers().modify([u.id], { nickname: 'Patched', description: 'via modify' });
  assert.equal(r.value[0].nickname, 'Patched');
  const now = (await users().get(u.id)).value;
  assert.equal(now.nickname, 'Patched');
  assert.equal(now.description, 'via modify');
  await assert.rejects(users().modify([u.id], () => {}), ConfigError);
});

test('modify runs a callback through the core, and a throw writes nothing', async () => {
  const u = await created();
  const r = await helpers().modify([u.id], (user) => {
    user.maxChats = (user.maxChats ?? 0) + 3;
  });
  assert.equal(r.value[0].maxChats, (u.maxChats ?? 0) + 3);
  const replaced = await helpers().modify([u.id], (user) => ({ ...user, nickname: 'Replaced' }));
  assert.equal(replaced.value[0].nickname, 'Replaced');
  const puts = requests(ctx.emu, '/users', 'PUT').length;
  const mine = new Error('refused by the callback');
  await assert.rejects(helpers().modify([u.id], () => { throw mine; }), (e) => e === mine);
  await assert.rejects(helpers().modify([u.id], async (x) => x), (e) => e instanceof ConfigError && e.field === 'change');
  await assert.rejects(helpers().modify([u.id], 'nickname'), (e) => e instanceof ConfigError && e.field === 'change');
  assert.equal(requests(ctx.emu, '/users', 'PUT').length, puts, 'nothing was written');
});

test('helpers refuse to blank a masked fullName unless allowed', async () => {
  const u = await created();
  const before = requests(ctx.emu, '/users', 'PUT').length;
  await assert.rejects(users().addSkills([u.id], [DEMO.skillVip]), (e) => {
    assert.ok(e instanceof ConfigError && e.field === 'fullName', String(e));
    // The hint is spelled the JS way, never the Rust way.
    assert.match(e.message, /client\.users\.allowMaskedBlank\(\)/);
    assert.ok(!e.message.includes('allow_masked_blank'), e.message);
    return true;
  });
  assert.equal(requests(ctx.emu, '/users', 'PUT').length, before, 'nothing was written');
});

test('ids are checked before any call', async () => {
  await assert.rejects(users().get('12'), ConfigError);
  await assert.rejects(users().get(2 ** 53), (e) => e instanceof ConfigError && e.field === 'id');
  await assert.rejects(users().update({}, 'latest'), (e) => e instanceof ConfigError && e.field === 'ifMatch');
});
