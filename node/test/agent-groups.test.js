'use strict';
// Every method and helper of `client.agentGroups`.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { ConflictError, InvalidError } = require('..');
const { DEMO, useEmulator, requests, uniqueName } = require('./helpers');

const ctx = useEmulator();
const groups = () => ctx.client.agentGroups;

async function created(parent = DEMO.mainGroup) {
  return (await groups().create({ name: uniqueName('Group'), parentGroupId: parent, isEnabled: true })).value;
}

test('list, get and the conditional reads', async () => {
  const all = await groups().list();
  const names = all.value.map((g) => g.name);
  for (const n of ['Main Group', 'Support', 'Billing', 'Tech', 'Sales']) assert.ok(names.includes(n), n);
  const billing = await groups().get(DEMO.billing);
  assert.equal(billing.value.name, 'Billing');
  assert.equal(billing.value.parentGroupId, DEMO.support);
  assert.deepEqual(await groups().listIfModified(all.revision), { notModified: true, revision: all.revision });
  assert.equal((await groups().getIfModified(DEMO.billing, billing.revision)).notModified, true);
  const changed = await groups().getIfModified(DEMO.billing, 1);
  assert.equal(changed.notModified, false);
  assert.equal(changed.value.name, 'Billing');
  const some = await groups().list({ select: 'id,name' });
  assert.ok(some.value.every((g) => g.description === undefined));
});

test('create and createMany', async () => {
  const g = await created(DEMO.support);
  assert.ok(Number.isSafeInteger(g.id));
  assert.equal((await groups().get(g.id)).value.parentGroupId, DEMO.support);
  const names = [uniqueName('Batch'), uniqueName('Batch')];
  const many = await groups().createMany(names.map((name) => ({ name, parentGroupId: DEMO.mainGroup, isEnabled: true })));
  assert.deepEqual(many.value.map((x) => x.name), names);
  await assert.rejects(groups().create({ name: names[0], parentGroupId: -1, isEnabled: true }), (e) => e instanceof ConflictError || e instanceof InvalidError);
});

test('update and updateMany', async () => {
  const g = await created();
  const read = await groups().get(g.id);
  await groups().update({ ...read.value, description: 'first' }, read.revision);
  assert.equal((await groups().get(g.id)).value.description, 'first');
  await assert.rejects(groups().update({ ...read.value, description: 'stale' }, read.revision), ConflictError);
  const h = await created();
  await groups().updateMany(
    [
      { ...g, description: 'g2' },
      { ...h, description: 'h2' },
    ],
    'any',
  );
  assert.equal((await groups().get(g.id)).value.description, 'g2');
  assert.equal((await groups().get(h.id)).value.description, 'h2');
  const put = requests(ctx.emu, '/agentGroups', 'PUT').at(-1);
  assert.equal(put.headers['if-match'], '-1');
});

test('delete and deleteMany', async () => {
  const g = await created();
  await groups().delete(g.id, 'any');
  const all = await groups().list({ includeDeleted: true });
  assert.equal(all.value.find((x) => x.id === g.id).deleted, true);
  const a = await created();
  const b = await created();
  await groups().deleteMany([a.id, b.id], 'any');
  const live = await groups().list();
  assert.ok(!live.value.some((x) => [a.id, b.id].includes(x.id) && !x.deleted));
});

test('tree nests the hierarchy under the Main Group', async () => {
  const tree = await groups().tree();
  const main = tree.find((n) => n.group.id === DEMO.mainGroup);
  assert.ok(main, 'Main Group is a root');
  const support = main.children.find((n) => n.group.name === 'Support');
  const names = support.children.map((n) => n.group.name);
  for (const n of ['Billing', 'Tech']) assert.ok(names.includes(n), n);
  assert.deepEqual(names, [...names].sort(), 'children are ordered by name');
  const billing = support.children.find((n) => n.group.name === 'Billing');
  assert.equal(billing.group.id, DEMO.billing);
});

test('children, members and managers', async () => {
  const kids = (await groups().children(DEMO.tech)).map((g) => g.name);
  assert.deepEqual(kids, []);
  const sub = await created(DEMO.tech);
  assert.deepEqual((await groups().children(DEMO.tech)).map((g) => g.id), [sub.id]);
  const members = (await groups().members(DEMO.sales)).map((u) => u.loginName).sort();
  assert.deepEqual(members, ['liam.brown', 'mia.garcia', 'yuki.tanaka']);
  const managers = (await groups().managers(DEMO.tech)).map((u) => u.loginName);
  assert.deepEqual(managers, ['tom.lead']);
});
