'use strict';
// Read access to skills, profiles and LOBs.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { NotFoundError } = require('..');
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
