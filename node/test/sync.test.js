'use strict';
// `client.sync` against the emulator: plan shape and JSON form, apply with
// progress, typed input errors, stale plans, secrets kept out of output.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { inspect } = require('node:util');
const { Client, Plan, SyncInputError, SyncStaleError, SyncPlanFormatError, LpError } = require('..');
const { Emulator } = require('../testing');
const { FAST_RETRY } = require('./helpers');
const { groupPaths, usersAsColumns } = require('./sync-state');

const ROWS = [
  {
    login_name: 'aisha.bello',
    full_name: 'Aisha Bello',
    email: 'aisha.bello@example.com',
    roles: 'Agent',
    group: 'Support/Billing/Refunds',
    skills: ['Billing'],
    max_chats: 4,
  },
  { login_name: 'JANE.DOE', skills: 'Billing;VIP', max_chats: 5 },
];

async function withAccount(fn) {
  const emu = await Emulator.start();
  const client = new Client(emu.clientOptions({ retry: FAST_RETRY }));
  try {
    await fn(emu, client);
  } finally {
    await client.close().catch(() => {});
    await emu.stop();
  }
}

test('plan then apply rows, with progress', () =>
  withAccount(async (_emu, client) => {
    const plan = await client.sync.plan(ROWS, { allowMaskedBlank: true });
    assert.equal(plan.length, 3);
    assert.equal(plan.summary.groupsToCreate, 1);
    assert.match(plan.summary.text, /^Plan: 1 group to create/);
    assert.deepEqual(
      plan.changes.map((c) => [c.kind, c.name]),
      [
        ['create_group', 'Support/Billing/Refunds'],
        ['create_user', 'aisha.bello'],
        ['update_user', 'jane.doe'],
      ],
    );
    assert.ok(plan.changes[2].fields.some((f) => f.field === 'max_chats'));
    const seen = [];
    const report = await client.sync.apply(plan, { onProgress: (p) => seen.push(p) });
    assert.equal(report.outcome, 'done');
    assert.equal(report.verified, true);
    assert.ok(report.ok);
    assert.equal(report.applied.usersCreated, 1);
    // The plan's changes are the report's: same kinds, names and order.
    assert.deepEqual(
      report.changes.map((c) => [c.kind, c.name, c.at]),
      plan.changes.map((c) => [c.kind, c.name, c.at]),
    );
    assert.ok(seen.length > 0);
    assert.equal(seen[0].phase, 'checking');
    assert.equal(seen.at(-1).done, 3);
    assert.equal(typeof seen[0].elapsed, 'number');
    const users = await usersAsColumns(client);
    assert.equal(users['aisha.bello'].group, 'Support/Billing/Refunds');
    assert.deepEqual(users['jane.doe'].skills, ['Billing', 'VIP']);
    assert.ok([...(await groupPaths(client)).values()].includes('Support/Billing/Refunds'));
    assert.equal((await client.sync.plan(ROWS, { allowMaskedBlank: true })).length, 0);
  }));

test('bad rows reject with every problem, nothing contacted', () =>
  withAccount(async (emu, client) => {
    await client.login();
    emu.clearRequestLog();
    const rows = [{ login_name: 'a', max_chats: 'lots' }, { email: 'x@y' }];
    const err = await client.sync.plan(rows).then(
      () => assert.fail('expected a rejection'),
      (e) => e,
    );
    assert.ok(err instanceof SyncInputError && err instanceof LpError);
    assert.equal(err.code, 'ERR_INVALID');
    assert.deepEqual(
      err.errors.map((e) => [e.path, e.line, e.column]),
      [
        ['rows', 1, 0],
        ['rows', 2, 0],
      ],
    );
    assert.deepEqual(emu.requestLog(), []);
  }));

test('plan from a CSV file; saved plan round trip; passwords never shown', () =>
  withAccount(async (_emu, client) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lpconfig-sync-'));
    const file = path.join(dir, 'staff.csv');
    fs.writeFileSync(file, 'login_name,full_name,email\nnew.person,New Person,new.person@example.com\n');
    const plan = await client.sync.plan(file, { initialPassword: 'Init-Passw0rd-1' });
    assert.equal(plan.summary.usersToCreate, 1);
    const text = JSON.stringify(plan);
    assert.ok(!text.includes('Init-Passw0rd-1'));
    assert.ok(!inspect(plan).includes('Init-Passw0rd-1'));
    const back = Plan.fromJSON(text);
    assert.equal(back.length, plan.length);
    assert.deepEqual(back.changes, plan.changes);
    const report = await client.sync.apply(back);
    assert.equal(report.outcome, 'done');
    assert.equal(report.verified, null);
    const pw = report.initialPasswords['new.person'];
    assert.equal(typeof pw, 'string');
    assert.ok(!JSON.stringify(report).includes(pw) && !inspect(report).includes(pw));
    assert.equal((await usersAsColumns(client))['new.person'].email, 'new.person@example.com');
    assert.throws(() => Plan.fromJSON('{"format":"other","version":1}'), SyncPlanFormatError);
    fs.rmSync(dir, { recursive: true });
  }));

test('a stale plan is refused and nothing applied', () =>
  withAccount(async (_emu, client) => {
    const plan = await client.sync.plan(ROWS, { allowMaskedBlank: true });
    await client.sync.apply(await client.sync.plan([{ login_name: 'someone.else', full_name: 'Some One', email: 's@example.com' }]));
    await assert.rejects(client.sync.apply(plan), SyncStaleError);
    assert.ok(!('aisha.bello' in (await usersAsColumns(client))));
  }));
