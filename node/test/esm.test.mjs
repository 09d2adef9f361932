// `import` works for both entries and yields the same objects as `require`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import lpDefault, { Client, NotFoundError, LpError, Credentials } from 'lpconfig';
import { Emulator } from 'lpconfig/testing';

const require = createRequire(import.meta.url);

test('ESM and CommonJS entries export the same classes', () => {
  const cjs = require('lpconfig');
  assert.equal(Client, cjs.Client);
  assert.equal(NotFoundError, cjs.NotFoundError);
  assert.equal(lpDefault.Client, Client);
  assert.equal(Emulator, require('lpconfig/testing').Emulator);
  assert.ok(new NotFoundError('x') instanceof LpError);
});

test('an ESM script can run against the emulator', async () => {
  const emu = await Emulator.start();
  try {
    const { username, password } = emu.seedCredentials();
    const client = new Client({ account: emu.account, csdsUrl: emu.url, credentials: Credentials.password(username, password) });
    const jane = await client.users.findByLoginName('jane.doe');
    assert.equal(jane?.loginName, 'jane.doe');
    await assert.rejects(client.users.get(1), NotFoundError);
    await client.close();
  } finally {
    await emu.stop();
  }
});
