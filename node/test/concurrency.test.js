'use strict';
// Calls run off the event loop: it keeps ticking during a slow call, and
// hundreds of calls can be in flight at once.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { DEMO, useEmulator, requests } = require('./helpers');

const ctx = useEmulator();

test('the event loop keeps ticking during a slow call', async () => {
  await ctx.client.login();
  const id = DEMO.userId(7);
  ctx.emu.addFault({ path: `*/users/${id}`, method: 'GET', times: 1, action: { type: 'latency', ms: 400 } });
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 10);
  const pending = ctx.client.users.get(id);
  // Synchronous code right after the call runs before it settles.
  const settled = await Promise.race([pending.then(() => 'call'), new Promise((r) => setTimeout(() => r('timer'), 50))]);
  const user = await pending;
  clearInterval(timer);
  assert.equal(settled, 'timer', 'a 50 ms timer fires while the call is stalled');
  assert.equal(user.value.loginName, 'ana.silva');
  // A blocked loop would give 0 or 1 tick; 400 ms of stall allows ~40.
  assert.ok(ticks >= 10, `only ${ticks} ticks during a 400 ms call`);
});

test('500 concurrent calls all resolve with their own result', async () => {
  ctx.emu.clearRequestLog();
  const ids = Array.from({ length: 500 }, (_, i) => DEMO.userId(i % 20));
  const results = await Promise.all(ids.map((id) => ctx.client.users.get(id)));
  results.forEach((r, i) => assert.equal(r.value.id, ids[i]));
  const gets = ctx.emu.requestLog().filter((r) => r.method === 'GET' && /\/users\/\d+$/.test(r.path));
  assert.equal(gets.length, 500);
  assert.equal(requests(ctx.emu, '/login', 'POST').length, 0, 'one shared session, no extra logins');
});

test('concurrent writes and reads mix', async () => {
  const names = Array.from({ length: 50 }, (_, i) => `conc.${process.pid}.${i}`);
  const made = await Promise.all(
    names.map((loginName) =>
      ctx.client.users.create({
        loginName,
        fullName: 'Concurrent User',
        nickname: 'C',
        passwordSh: 'Str0ng-Passw0rd!',
        isEnabled: true,
        maxChats: 0,
        email: `${loginName}@example.com`,
        profileIds: [DEMO.adminProfile],
      }),
    ),
  );
  const all = await ctx.client.users.list();
  const found = new Set(all.value.map((u) => u.loginName));
  for (const n of names) assert.ok(found.has(n), n);
  assert.equal(new Set(made.map((m) => m.value.id)).size, 50);
});
