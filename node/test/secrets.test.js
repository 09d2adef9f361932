'use strict';
// No secret in util.inspect, JSON, error messages or stack traces.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { inspect, format } = require('node:util');
const lp = require('..');
const { DEMO, useEmulator, FAST_RETRY } = require('./helpers');

const ctx = useEmulator();

const SECRETS = ['Pw-7f3a9-secret', 'Sec-b81c2-secret', 'Tks-44d0e-secret', 'Bear-90aa1-secret'];

function assertClean(text, what) {
  for (const s of SECRETS) assert.ok(!text.includes(s), `${what} shows ${s}: ${text}`);
}

test('inspecting or serializing a client shows no credentials', () => {
  const all = [
    lp.Credentials.password('jane', SECRETS[0]),
    lp.Credentials.apiKey('key', SECRETS[1], 'tok', SECRETS[2]),
    lp.Credentials.appKeyLogin('bot', 'key', SECRETS[1], 'tok', SECRETS[2]),
    lp.Credentials.bearer(SECRETS[3]),
    lp.Credentials.clientCredentials('app-client', SECRETS[1], 'scope-1'),
  ];
  for (const credentials of all) {
    const client = new lp.Client({ account: 'demo', credentials });
    assertClean(inspect(client, { showHidden: true, depth: 10 }), 'inspect');
    assertClean(format('%o %j', client, client), 'format');
    assertClean(JSON.stringify(client), 'JSON');
    assertClean(inspect(client.users, { showHidden: true, depth: 10 }), 'inspect(users)');
    assert.match(inspect(client), new RegExp(credentials.type));
  }
});

test('every credential kind redacts its secrets however it is shown', () => {
  const all = [
    lp.Credentials.password('jane', SECRETS[0]),
    lp.Credentials.apiKey('key', SECRETS[1], SECRETS[3], SECRETS[2]),
    lp.Credentials.appKeyLogin('bot', 'key', SECRETS[1], SECRETS[3], SECRETS[2]),
    lp.Credentials.bearer(SECRETS[3]),
    lp.Credentials.clientCredentials('app-client', SECRETS[1], 'scope-1'),
  ];
  // Every kind the class can make (its static factories) is in the list.
  const factories = Object.getOwnPropertyNames(lp.Credentials).filter((n) => typeof lp.Credentials[n] === 'function');
  assert.deepEqual(all.map((c) => c.type).sort(), factories.sort());
  for (const c of all) {
    assert.ok(c instanceof lp.Credentials);
    const shown = [
      inspect(c),
      inspect(c, { showHidden: true, depth: 10, getters: true }),
      inspect({ nested: [c] }, { depth: 10 }),
      format('%s %o %O %j', c, c, c, c),
      JSON.stringify(c),
      JSON.stringify({ credentials: c }),
      String(c),
      `${c}`,
      c + '',
      c.toString(),
      Object.keys(c).join(','),
      JSON.stringify(Object.getOwnPropertyDescriptors(c)),
    ];
    for (const text of shown) assertClean(text, `${c.type} credentials`);
    assert.match(String(c), /\[redacted\]/);
    assert.equal(JSON.parse(JSON.stringify(c)).type, c.type);
    assert.ok(Object.isFrozen(c));
  }
  assert.equal(all[0].username, 'jane');
  assert.equal(all[1].appKey, 'key');
  assert.equal(all[0].password, undefined);
});

test('credentials with a wrong-typed secret are refused without echoing it', () => {
  assert.throws(() => lp.Credentials.apiKey('key', 55501234, 'tok', 'ts'), (e) => {
    assert.ok(e instanceof lp.ConfigError);
    assert.equal(e.field, 'credentials.secret');
    assert.ok(!e.message.includes('55501234'));
    return true;
  });
});

test('client options from the environment hold a redacting Credentials', () => {
  const client = lp.Client.fromEnv({}, { LP_ACCOUNT: 'demo', LP_USERNAME: 'admin', LP_PASSWORD: SECRETS[0] });
  assertClean(inspect(client, { showHidden: true, depth: 10 }), 'fromEnv client');
});

test('a refused login shows no password in the error', async () => {
  const client = new lp.Client(
    ctx.emu.clientOptions({ credentials: lp.Credentials.password('admin', SECRETS[0]), retry: FAST_RETRY }),
  );
  await assert.rejects(client.users.list(), (e) => {
    assert.ok(e instanceof lp.AuthError, e.message);
    for (const text of [e.message, e.stack, inspect(e, { showHidden: true, depth: 10 }), JSON.stringify(e)]) {
      assertClean(String(text), 'auth error');
    }
    return true;
  });
});

test('wrong-typed or rejected secrets are not echoed', async () => {
  const bad = { type: 'password', username: 'admin', password: 7731 };
  assert.throws(() => new lp.Client({ account: 'demo', credentials: bad }), (e) => {
    assert.equal(e.field, 'credentials.password');
    assert.ok(!e.message.includes('7731'));
    return true;
  });
  await assert.rejects(ctx.client.users.resetPassword(DEMO.userId(6), 98761234), (e) => {
    assert.ok(e instanceof lp.ConfigError);
    assert.ok(!e.message.includes('98761234') && !e.stack.includes('98761234'));
    return true;
  });
  // A password the server refuses (too short): the error names the problem, not the value.
  await assert.rejects(ctx.client.users.resetPassword(DEMO.userId(6), 'Pw-7f3'), (e) => {
    assert.ok(e instanceof lp.LpError);
    for (const text of [e.message, e.stack, inspect(e)]) assert.ok(!text.includes('Pw-7f3'), text);
    return true;
  });
});

test('a created user with a password never echoes it back', async () => {
  const created = await ctx.client.users.create({
    loginName: `secret.${process.pid}`,
    fullName: 'Secret Keeper',
    nickname: 'S',
    isEnabled: true,
    maxChats: 0,
    email: 's@example.com',
    passwordSh: SECRETS[0],
    profileIds: [DEMO.adminProfile],
  });
  assertClean(JSON.stringify(created), 'create result');
  assertClean(JSON.stringify(await ctx.client.users.get(created.value.id)), 'read back');
});
