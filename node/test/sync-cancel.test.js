'use strict';
// Cancelling `client.sync.apply` with an AbortSignal: the apply stops after its
// current batch and resolves with a report that says exactly what was applied;
// plus the groups section of `client.sync.plan` (`groups` option).

const test = require('node:test');
const assert = require('node:assert/strict');
const { Client, SyncInputError, SyncOptionsError } = require('..');
const { Emulator } = require('../testing');
const { FAST_RETRY } = require('./helpers');
const { groupPaths, usersAsColumns } = require('./sync-state');

const PEOPLE = [1, 2, 3, 4, 5].map((i) => ({ login_name: `temp.${i}`, full_name: `Temp ${i}`, email: `temp${i}@example.com` }));

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

const temps = async (client) => Object.keys(await usersAsColumns(client)).filter((l) => l.startsWith('temp.')).sort();
const creates = (emu) => emu.requestLog().filter((r) => r.method === 'POST' && r.path.endsWith('/users')).length;

test('an aborted signal stops the apply after the current batch; the report says what was applied', () =>
  withAccount(async (emu, client) => {
    const plan = await client.sync.plan(PEOPLE);
    emu.addFault({ path: '*/users', method: 'POST', action: { type: 'latency', ms: 150 } });
    const controller = new AbortController();
    const report = await client.sync.apply(plan, {
      batchSize: 1,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 1) controller.abort();
      },
    });
    assert.equal(report.outcome, 'cancelled');
    assert.equal(report.ok, false);
    const applied = report.changes.filter((c) => c.status === 'applied').map((c) => c.name);
    assert.ok(applied.length >= 1 && applied.length < PEOPLE.length, applied.join());
    assert.deepEqual(await temps(client), applied.sort());
    assert.equal(creates(emu), applied.length);
    assert.equal(report.applied.usersCreated, applied.length);
  }));

test('a signal aborted before apply applies nothing', () =>
  withAccount(async (emu, client) => {
    const plan = await client.sync.plan(PEOPLE);
    const report = await client.sync.apply(plan, { signal: AbortSignal.abort() });
    assert.equal(report.outcome, 'cancelled');
    assert.deepEqual(report.changes.filter((c) => c.status === 'applied'), []);
    assert.deepEqual(await temps(client), []);
    assert.equal(creates(emu), 0);
    await assert.rejects(client.sync.apply(plan, { signal: 'stop' }), SyncOptionsError);
  }));

test('the groups section renames, creates and names bad rows', () =>
  withAccount(async (emu, client) => {
    const groups = [
      { id: 1002, name: 'Invoices' },
      { name: 'Night', parent: 'Sales', description: 'Late shift' },
    ];
    const plan = await client.sync.plan([{ login_name: 'priya.shah', group: 'Sales/Night' }], {
      groups,
      allowMaskedBlank: true,
    });
    assert.deepEqual([plan.summary.groupsToCreate, plan.summary.groupsToUpdate], [1, 1]);
    const report = await client.sync.apply(plan);
    assert.equal(report.outcome, 'done');
    assert.equal(report.verified, true);
    const paths = new Set((await groupPaths(client)).values());
    assert.ok(paths.has('Support/Invoices') && paths.has('Sales/Night') && !paths.has('Support/Billing'));

    await client.login();
    emu.clearRequestLog();
    const err = await client.sync
      .plan([{ login_name: 'jane.doe' }], { groups: [{ name: 'A/B' }, { id: 'x', name: 'C' }] })
      .then(() => assert.fail('expected the groups to be refused'), (e) => e);
    assert.ok(err instanceof SyncInputError, String(err));
    assert.deepEqual(err.errors.map((e) => [e.path, e.line]), [['groups', 1], ['groups', 2]]);
    assert.deepEqual(emu.requestLog(), []);
    await assert.rejects(client.sync.plan([], { groups: 5 }), SyncOptionsError);
  }));
