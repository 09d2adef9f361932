'use strict';
// Every error kind, forced with the emulator's fault rules: class, code and
// the attributes of design.md's table.

const { test, afterEach } = require('node:test');
const assert = require('node:assert/strict');
const lp = require('..');
const { DEMO, useEmulator, requests } = require('./helpers');

const ctx = useEmulator();
const ID = DEMO.userId(5);
const PATH = `*/users/${ID}`;

afterEach(() => ctx.emu.clearFaults());

function fault(status, extra = {}) {
  ctx.emu.addFault({ path: PATH, method: 'GET', action: { type: 'status', status, ...extra } });
}

/** Asserts the class hierarchy and the shared attributes. */
function check(Cls, code, status) {
  return (e) => {
    assert.ok(e instanceof Cls, `${e?.name} is not ${Cls.name}: ${e?.message}`);
    assert.ok(e instanceof lp.LpError && e instanceof Error);
    assert.equal(e.name, Cls.name);
    assert.equal(e.code, code);
    assert.equal(e.status, status);
    if (status !== undefined) {
      assert.equal(e.method, 'GET');
      assert.match(e.url, new RegExp(`/users/${ID}`));
    }
    return true;
  };
}

test('400 → InvalidError with the server field', async () => {
  fault(400, { body: JSON.stringify({ message: 'loginName is bad', field: 'loginName', internalCode: 33 }) });
  await assert.rejects(ctx.client.users.get(ID), (e) => {
    check(lp.InvalidError, 'ERR_INVALID', 400)(e);
    assert.equal(e.field, 'loginName');
    assert.equal(e.internalCode, 33);
    assert.equal(e.attempts, 1);
    assert.match(e.message, /loginName is bad/);
    return true;
  });
});

test('401 after one re-login → AuthError', async () => {
  fault(401);
  const logins = requests(ctx.emu, '/login', 'POST').length;
  await assert.rejects(ctx.client.users.get(ID), check(lp.AuthError, 'ERR_AUTH', 401));
  assert.equal(requests(ctx.emu, '/login', 'POST').length, logins + 1, 'exactly one re-login');
});

test('403 → ForbiddenError', async () => {
  fault(403);
  await assert.rejects(ctx.client.users.get(ID), check(lp.ForbiddenError, 'ERR_FORBIDDEN', 403));
});

test('404 → NotFoundError (from the server and from a fault)', async () => {
  await assert.rejects(ctx.client.users.get(987654), (e) => e instanceof lp.NotFoundError && e.status === 404);
  fault(404);
  await assert.rejects(ctx.client.users.get(ID), check(lp.NotFoundError, 'ERR_NOT_FOUND', 404));
});

test('409 → ConflictError', async () => {
  fault(409);
  await assert.rejects(ctx.client.users.get(ID), check(lp.ConflictError, 'ERR_CONFLICT', 409));
});

test('429 after the retries → RateLimitedError', async () => {
  fault(429, { retryAfter: '0' });
  ctx.emu.clearRequestLog();
  await assert.rejects(ctx.client.users.get(ID), (e) => {
    check(lp.RateLimitedError, 'ERR_RATE_LIMITED', 429)(e);
    assert.equal(e.attempts, 4);
    return true;
  });
  assert.equal(requests(ctx.emu, `/users/${ID}`, 'GET').length, 4);
});

test('5xx after the retries → ServerError; fewer failures are retried away', async () => {
  fault(503);
  await assert.rejects(ctx.client.users.get(ID), (e) => {
    check(lp.ServerError, 'ERR_SERVER', 503)(e);
    assert.equal(e.attempts, 4);
    return true;
  });
  ctx.emu.clearFaults();
  ctx.emu.addFault({ path: PATH, method: 'GET', times: 2, action: { type: 'status', status: 500 } });
  assert.equal((await ctx.client.users.get(ID)).value.loginName, 'jane.doe');
});

test('connection reset → TransportError', async () => {
  ctx.emu.addFault({ path: PATH, method: 'GET', action: { type: 'reset' } });
  await assert.rejects(ctx.client.users.get(ID), (e) => {
    assert.ok(e instanceof lp.TransportError && e instanceof lp.LpError);
    assert.equal(e.code, 'ERR_TRANSPORT');
    return true;
  });
});

test('malformed body → DecodeError', async () => {
  ctx.emu.addFault({ path: PATH, method: 'GET', action: { type: 'malformedBody' } });
  await assert.rejects(ctx.client.users.get(ID), (e) => e instanceof lp.DecodeError && e.code === 'ERR_DECODE');
});

test('bad options → ConfigError naming the field, before any I/O', () => {
  const before = ctx.emu.requestLog().length;
  const base = ctx.emu.clientOptions();
  assert.throws(() => new lp.Client({ ...base, account: 'bad id!' }), (e) => {
    assert.ok(e instanceof lp.ConfigError && e instanceof lp.LpError);
    assert.equal(e.code, 'ERR_CONFIG');
    assert.equal(e.field, 'account');
    assert.equal(e.attempts, 0);
    return true;
  });
  assert.throws(() => new lp.Client({ account: 'demo' }), (e) => e instanceof lp.ConfigError && e.field === 'credentials');
  assert.throws(() => new lp.Client({ ...base, credentials: { type: 'oauth2' } }), (e) => e.field === 'credentials.type');
  assert.throws(() => new lp.Client({ ...base, csdsUrl: 'http://example.com' }), lp.ConfigError);
  assert.throws(() => new lp.Client({ ...base, retry: 'sometimes' }), (e) => e.field === 'retry');
  assert.throws(() => new lp.Client({ ...base, batchSize: 0 }), (e) => e.field === 'batch_size');
  assert.throws(() => new lp.Client({ ...base, acount: 'x' }), lp.ConfigError);
  assert.throws(() => new lp.Client(null), lp.ConfigError);
  assert.equal(ctx.emu.requestLog().length, before);
});

test('error stacks point at the caller', async () => {
  async function myAutomation() {
    const user = await ctx.client.users.get(987654);
    return user;
  }
  await assert.rejects(myAutomation(), (e) => {
    assert.match(e.stack, /myAutomation/);
    return true;
  });
});
