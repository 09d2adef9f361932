'use strict';
// Shared setup: one in-process emulator per test file and clients with
// millisecond retry delays (the documented 5/10/15 s would only slow tests).

const { before, after } = require('node:test');
const { Client } = require('..');
const { Emulator } = require('../testing');

/** Retries as documented, but with millisecond waits. */
const FAST_RETRY = { serverDelaysMs: [1, 1, 1], rateLimitBaseMs: 1 };

/** Demo seed ids (crates/lpconfig-emulator/src/store/demo.rs). */
const DEMO = {
  mainGroup: -1,
  support: 1001,
  billing: 1002,
  tech: 1003,
  sales: 1004,
  agentProfile: 2359273712,
  adminProfile: 2359273612,
  skillBilling: 2359235912,
  skillTech: 2359236012,
  skillSales: 2359236112,
  skillVip: 2359236212,
  lobRetail: 6549273612,
  firstUser: 4052816112,
  userId: (n) => 4052816112 + 100 * n,
};

/**
 * Starts an emulator before the file's tests and stops it after; returns a
 * holder whose `emu` and `client` are set once started.
 */
function useEmulator(clientExtra = {}) {
  const ctx = { emu: null, client: null };
  before(async () => {
    ctx.emu = await Emulator.start();
    ctx.client = new Client(ctx.emu.clientOptions({ retry: FAST_RETRY, ...clientExtra }));
  });
  after(async () => {
    await ctx.client?.close().catch(() => {});
    await ctx.emu?.stop();
  });
  return ctx;
}

/** Requests whose path ends with `suffix` (and method, when given). */
function requests(emu, suffix, method) {
  return emu.requestLog().filter((r) => r.path.endsWith(suffix) && (!method || r.method === method));
}

/** A unique login name per call, so tests never collide. */
let seq = 0;
function uniqueName(prefix) {
  seq += 1;
  return `${prefix}.${process.pid}.${seq}`;
}

/** A valid new agent. */
function newAgent(loginName, extra = {}) {
  return {
    loginName,
    fullName: 'Test Agent',
    nickname: 'Tester',
    email: `${loginName}@example.com`,
    passwordSh: 'Str0ng-Passw0rd!',
    isEnabled: true,
    maxChats: 2,
    profileIds: [DEMO.agentProfile],
    memberOf: { agentGroupId: DEMO.billing },
    ...extra,
  };
}

module.exports = { FAST_RETRY, DEMO, useEmulator, requests, uniqueName, newAgent };
