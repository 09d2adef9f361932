'use strict';
// onRetry, the log handler, and a closed client refusing calls.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const lp = require('..');
const { FAST_RETRY, useEmulator, requests } = require('./helpers');

const ctx = useEmulator();

test('onRetry sees every retry with its status and delay', async () => {
  const events = [];
  const client = new lp.Client(
    ctx.emu.clientOptions({ retry: { serverDelaysMs: [1, 2, 3] }, onRetry: (e) => events.push(e) }),
  );
  ctx.emu.addFault({ path: '*/users', times: 2, action: { type: 'status', status: 503 } });
  const users = await client.users.list();
  assert.ok(users.value.length >= 20);
  // Threadsafe calls land on the event loop after the promise; let them in.
  await new Promise((r) => setImmediate(r));
  assert.equal(events.length, 2);
  assert.deepEqual(events.map((e) => [e.attempt, e.status, e.delayMs, e.method]), [
    [1, 503, 1, 'GET'],
    [2, 503, 2, 'GET'],
  ]);
  assert.match(events[0].url, /\/users/);
  await client.close();
});

test('onRetry must be a function', () => {
  assert.throws(
    () => new lp.Client(ctx.emu.clientOptions({ onRetry: 'log' })),
    (e) => e instanceof lp.ConfigError && e.field === 'onRetry',
  );
});

test('the log handler receives the core events at its level, and null stops it', async () => {
  const records = [];
  lp.setLogHandler((r) => records.push(r), { level: 'debug' });
  try {
    const client = new lp.Client(ctx.emu.clientOptions({ retry: FAST_RETRY }));
    ctx.emu.addFault({ path: '*/agentGroups', times: 1, action: { type: 'status', status: 500 } });
    await client.agentGroups.list();
    await new Promise((r) => setImmediate(r));
    const retry = records.find((r) => r.target === 'lpconfig.retry');
    assert.ok(retry, JSON.stringify(records.slice(0, 5)));
    assert.equal(retry.level, 'warn');
    assert.match(retry.message, /retrying request/);
    assert.ok(records.some((r) => r.level === 'debug'), 'debug events reach the handler');
    await client.close();
  } finally {
    lp.setLogHandler(null);
  }
  const after = records.length;
  const client = new lp.Client(ctx.emu.clientOptions({ retry: FAST_RETRY }));
  await client.users.list();
  await new Promise((r) => setImmediate(r));
  assert.equal(records.length, after);
  assert.throws(() => lp.setLogHandler('x'), (e) => e instanceof lp.ConfigError && e.field === 'handler');
  assert.throws(() => lp.setLogHandler(() => {}, { level: 'loud' }), (e) => e.field === 'level');
});

test('a closed client refuses calls instead of logging in again', async () => {
  const client = new lp.Client(ctx.emu.clientOptions({ retry: FAST_RETRY }));
  await client.users.list();
  await client.close();
  ctx.emu.clearRequestLog();
  await assert.rejects(client.users.list(), (e) => {
    assert.ok(e instanceof lp.ConfigError, String(e));
    assert.equal(e.field, 'client');
    assert.match(e.message, /client is closed/);
    return true;
  });
  await assert.rejects(client.login(), /client is closed/);
  await client.close();
  assert.equal(requests(ctx.emu, '/login').length, 0);
});
