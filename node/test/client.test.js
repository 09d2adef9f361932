'use strict';
// The client itself: every kind of credentials, login, close (logout),
// session expiry, fromEnv, and the CommonJS surface.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const lp = require('..');
const { Client, Credentials } = lp;
const { FAST_RETRY, useEmulator, requests } = require('./helpers');

const ctx = useEmulator();

test('password credentials: login() opens a session, close() logs out', async () => {
  const client = new Client(ctx.emu.clientOptions({ retry: FAST_RETRY }));
  assert.equal(client.account, 'demo');
  ctx.emu.clearRequestLog();
  await client.login();
  const login = requests(ctx.emu, '/login', 'POST');
  assert.equal(login.length, 1);
  assert.equal(JSON.parse(login[0].body).username, 'admin');
  const sessions = ctx.emu.sessionCount();
  await client.close();
  const logout = requests(ctx.emu, '/logout', 'POST');
  assert.equal(logout.length, 1);
  assert.equal(logout[0].status, 200);
  assert.equal(ctx.emu.sessionCount(), sessions - 1);
});

test('apiKey credentials sign every request and never log in', async () => {
  const client = new Client(ctx.emu.clientOptions({ credentials: ctx.emu.credentials('apiKey') }));
  ctx.emu.clearRequestLog();
  const all = await client.users.list();
  assert.ok(all.value.length >= 20);
  const call = requests(ctx.emu, '/users', 'GET')[0];
  assert.match(call.headers.authorization, /^OAuth /);
  assert.equal(requests(ctx.emu, '/login').length, 0);
  await client.close();
  assert.equal(requests(ctx.emu, '/logout').length, 0);
});

test('appKeyLogin credentials log in as the bot', async () => {
  const client = new Client(ctx.emu.clientOptions({ credentials: ctx.emu.credentials('appKeyLogin') }));
  ctx.emu.clearRequestLog();
  await client.skills.list();
  const login = requests(ctx.emu, '/login', 'POST');
  assert.equal(login.length, 1);
  assert.equal(JSON.parse(login[0].body).username, 'demo-bot');
  await client.close();
});

test('bearer credentials use a token obtained elsewhere', async () => {
  const { username, password } = ctx.emu.seedCredentials('password');
  const res = await fetch(`${ctx.emu.url}/api/account/demo/login?v=1.3`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const { bearer } = await res.json();
  const client = new Client(ctx.emu.clientOptions({ credentials: Credentials.bearer(bearer) }));
  ctx.emu.clearRequestLog();
  assert.ok((await client.lobs.list()).value.length >= 2);
  assert.equal(requests(ctx.emu, '/lobs', 'GET')[0].headers.authorization, `Bearer ${bearer}`);
  assert.equal(requests(ctx.emu, '/login').length, 0);
});

test('an expired session is renewed by one new login', async () => {
  const client = new Client(ctx.emu.clientOptions({ retry: FAST_RETRY }));
  await client.login();
  ctx.emu.expireSessions();
  ctx.emu.clearRequestLog();
  assert.ok((await client.users.list()).value.length >= 20);
  assert.equal(requests(ctx.emu, '/login', 'POST').length, 1);
  await client.close();
});

test('Credentials helpers build redacting instances', () => {
  assert.deepEqual(Credentials.password('u', 'p').toJSON(), { type: 'password', username: 'u', password: '[redacted]' });
  assert.deepEqual(Credentials.apiKey('k', 's', 't', 'ts').toJSON(), {
    type: 'apiKey',
    appKey: 'k',
    secret: '[redacted]',
    accessToken: '[redacted]',
    accessTokenSecret: '[redacted]',
  });
  assert.equal(Credentials.appKeyLogin('bot', 'k', 's', 't', 'ts').type, 'appKeyLogin');
  assert.deepEqual(Credentials.bearer('b').toJSON(), { type: 'bearer', token: '[redacted]' });
});

test('fromEnv reads the LP_* variables', async () => {
  const { username, password } = ctx.emu.seedCredentials('password');
  const env = { LP_ACCOUNT: 'demo', LP_USERNAME: username, LP_PASSWORD: password, LP_CSDS_URL: ctx.emu.url };
  const client = Client.fromEnv({ retry: FAST_RETRY }, env);
  assert.equal(client.account, 'demo');
  assert.ok((await client.users.list()).value.length >= 20);
  await client.close();

  const key = ctx.emu.seedCredentials('apiKey');
  const keyEnv = {
    LP_ACCOUNT: 'demo',
    LP_CSDS_URL: ctx.emu.url,
    LP_APP_KEY: key.appKey,
    LP_SECRET: key.secret,
    LP_ACCESS_TOKEN: key.accessToken,
    LP_ACCESS_TOKEN_SECRET: key.accessTokenSecret,
  };
  ctx.emu.clearRequestLog();
  const signed = Client.fromEnv({}, keyEnv);
  await signed.skills.list();
  assert.match(requests(ctx.emu, '/skills', 'GET')[0].headers.authorization, /^OAuth /);
  assert.match(require('node:util').inspect(Client.fromEnv({}, { ...keyEnv, LP_USERNAME: 'demo-bot' })), /appKeyLogin/);

  assert.throws(() => Client.fromEnv({}, {}), (e) => e instanceof lp.ConfigError && e.field === 'LP_ACCOUNT');
  assert.throws(
    () => Client.fromEnv({}, { LP_ACCOUNT: 'demo', LP_USERNAME: 'x' }),
    (e) => e instanceof lp.ConfigError && e.field === 'credentials' && /incomplete/.test(e.message),
  );
  assert.throws(() => Client.fromEnv({}, { ...keyEnv, LP_SECRET: '' }), (e) => e.field === 'credentials');
  assert.throws(() => Client.fromEnv({}, { ...keyEnv, LP_PASSWORD: 'pw' }), /mixed/);
  assert.throws(() => Client.fromEnv({}, { LP_ACCOUNT: 'demo' }), /no credentials/);
});

test('the CommonJS entry exports the whole surface', () => {
  for (const name of [
    'Client',
    'Credentials',
    'LpError',
    'ConfigError',
    'AuthError',
    'ForbiddenError',
    'NotFoundError',
    'ConflictError',
    'InvalidError',
    'RateLimitedError',
    'ServerError',
    'TransportError',
    'DecodeError',
  ]) {
    assert.ok(lp[name], name);
  }
  assert.equal(typeof require('../testing').Emulator.start, 'function');
});

test('batchSize, apiVersion and requestTimeoutMs reach the core', async () => {
  const client = new Client(ctx.emu.clientOptions({ batchSize: 2, apiVersion: '6.0', retry: 'none', requestTimeoutMs: 800 }));
  ctx.emu.clearRequestLog();
  const names = Array.from({ length: 5 }, (_, i) => `batch.${process.pid}.${i}`);
  const made = await client.users.createMany(
    names.map((loginName) => ({
      loginName,
      fullName: 'Batch User',
      nickname: 'B',
      email: `${loginName}@example.com`,
      passwordSh: 'Str0ng-Passw0rd!',
      isEnabled: true,
      maxChats: 0,
      profileIds: [2359273612],
    })),
  );
  assert.deepEqual(made.value.map((u) => u.loginName), names);
  const posts = requests(ctx.emu, '/users', 'POST');
  assert.equal(posts.length, 3, 'five users in chunks of two');
  assert.ok(posts.every((r) => r.query.includes('v=6.0')));

  ctx.emu.addFault({ path: '*/skills', method: 'GET', times: 1, action: { type: 'latency', ms: 3000 } });
  await assert.rejects(client.skills.list(), (e) => e instanceof lp.TransportError && e.code === 'ERR_TRANSPORT');
  ctx.emu.clearFaults();
  await client.close();
});
