'use strict';
// OAuth 2.0 client credentials (Sentinel) through the Node binding.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { inspect } = require('node:util');
const lp = require('..');
const { useEmulator, FAST_RETRY } = require('./helpers');

const ctx = useEmulator();

// The demo seed's app clients (crates/lpconfig-emulator/seeds/demo.toml): public test data.
const APP = ['demo-app-client', 'd3m0-cl13nt-s3cr3t-0001'];
const READER = ['demo-reader-client', 'd3m0-r3ad3r-s3cr3t-0002'];

function client(credentials) {
  return new lp.Client(ctx.emu.clientOptions({ credentials, retry: FAST_RETRY }));
}

test('one token serves many calls', async () => {
  ctx.emu.clearRequestLog();
  const c = client(lp.Credentials.clientCredentials(...APP));
  assert.match(inspect(c), /clientCredentials/);
  assert.equal((await c.users.list()).value.length, 20);
  await c.agentGroups.list();
  const tokens = ctx.emu.requestLog().filter((r) => r.path.endsWith('/app/token'));
  assert.deepEqual(
    tokens.map((r) => [r.method, r.path]),
    [['POST', '/sentinel/api/account/demo/app/token']],
  );
  await c.close();
});

test('a wrong secret is an AuthError that never shows the secret', async () => {
  const c = client(lp.Credentials.clientCredentials(APP[0], 'Wr0ng-Client-Secret'));
  assert.ok(!inspect(c, { showHidden: true, depth: 10 }).includes('Wr0ng-Client-Secret'));
  await assert.rejects(c.users.list(), (e) => {
    assert.ok(e instanceof lp.AuthError, e.message);
    assert.equal(e.status, 401);
    for (const text of [e.message, e.stack, inspect(e, { showHidden: true, depth: 10 }), JSON.stringify(e)]) {
      assert.ok(!String(text).includes('Wr0ng-Client-Secret'), text);
    }
    return true;
  });
});

test('a token without users.write is Forbidden', async () => {
  const c = client(lp.Credentials.clientCredentials(...READER));
  const before = (await c.lobs.list()).value.length;
  await assert.rejects(c.agentGroups.create({ name: 'Nope', parentGroupId: -1 }), lp.ForbiddenError);
  assert.equal((await c.lobs.list()).value.length, before);
});

test('fromEnv reads LP_CLIENT_ID and LP_CLIENT_SECRET', () => {
  const c = lp.Client.fromEnv({}, { LP_ACCOUNT: 'demo', LP_CLIENT_ID: APP[0], LP_CLIENT_SECRET: APP[1] });
  assert.match(inspect(c), /clientCredentials/);
});
