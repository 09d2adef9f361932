'use strict';
// Skills, profiles and LOBs, read and written.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { NotFoundError, ConflictError, InvalidError } = require('..');
const { DEMO, useEmulator } = require('./helpers');

const ctx = useEmulator();

test('skills: list, get, findByName, listIfModified', async () => {
  const skills = ctx.client.skills;
  const all = await skills.list();
  assert.deepEqual(all.value.map((s) => s.name).sort(), ['Billing', 'Sales', 'Technical Support', 'VIP']);
  assert.equal((await skills.get(DEMO.skillVip)).value.name, 'VIP');
  assert.equal((await skills.findByName('Sales')).id, DEMO.skillSales);
  assert.equal(await skills.findByName('sales'), null, 'names are exact');
  assert.equal((await skills.listIfModified(all.revision)).notModified, true);
  await assert.rejects(skills.get(42), NotFoundError);
});

test('profiles carry their role', async () => {
  const all = await ctx.client.profiles.list();
  const agent = all.value.find((p) => p.id === DEMO.agentProfile);
  assert.equal(agent.roleTypeId, 2);
  assert.equal((await ctx.client.profiles.get(DEMO.adminProfile)).value.roleTypeId, 1);
});

test('lobs', async () => {
  const all = await ctx.client.lobs.list();
  assert.deepEqual(all.value.map((l) => l.name).sort(), ['Business', 'Retail']);
  assert.equal((await ctx.client.lobs.findByName('Retail')).id, DEMO.lobRetail);
});

test('skills, profiles and lobs are written under revisions', async () => {
  const skills = ctx.client.skills;
  const made = await skills.create({ name: 'Returns', lobIds: [DEMO.lobRetail] });
  assert.deepEqual(made.value.lobIds, [DEMO.lobRetail]);
  const updated = await skills.update({ ...made.value, description: 'Refunds' }, made.revision);
  assert.equal((await skills.get(made.value.id)).value.description, 'Refunds');
  await assert.rejects(skills.update({ ...made.value, description: 'Stale' }, made.revision), ConflictError);
  const gone = await skills.delete(made.value.id, updated.revision);
  assert.equal(gone.value.deleted, true);
  await assert.rejects(skills.delete(DEMO.skillBilling, 'any'), InvalidError, 'users still hold it');

  const profile = await ctx.client.profiles.create({ name: 'Night Agents', roleTypeId: 2 });
  assert.equal(profile.value.roleTypeName, 'Agent');

  const before = (await ctx.client.lobs.list()).value.length;
  await assert.rejects(ctx.client.lobs.createMany([{ name: 'Wholesale' }, { name: 'Retail' }]), ConflictError);
  assert.equal((await ctx.client.lobs.list()).value.length, before, 'an atomic batch');
  const lobs = await ctx.client.lobs.createMany([{ name: 'Wholesale' }, { name: 'Public Sector' }]);
  await ctx.client.lobs.deleteMany(lobs.value.map((l) => l.id), lobs.revision);
});
