'use strict';
// The shared sync scenarios of the repository's tests/sync/*.json (format:
// tests/README.md) through the Node API: the same input must give the same plan
// summary and final state as in every other language.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { Client, SyncInputError } = require('..');
const { Emulator } = require('../testing');
const { FAST_RETRY } = require('./helpers');
const { groupPaths, usersAsColumns } = require('./sync-state');

const DIR = path.join(__dirname, '..', '..', 'tests', 'sync');
const FILES = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

const SUMMARY_KEYS = {
  groups_to_create: 'groupsToCreate',
  groups_to_move: 'groupsToMove',
  groups_to_update: 'groupsToUpdate',
  users_to_create: 'usersToCreate',
  users_to_update: 'usersToUpdate',
  users_to_disable: 'usersToDisable',
  users_to_delete: 'usersToDelete',
  unchanged: 'unchanged',
  skills_to_create: 'skillsToCreate',
  lobs_to_create: 'lobsToCreate',
};

function options(o) {
  return {
    prune: o.prune ?? 'off',
    protected: o.protected_logins ?? [],
    allowMaskedBlank: o.allow_masked_blank ?? false,
    initialPassword: o.initial_password ?? undefined,
    createMissingCatalogEntries: o.create_missing_catalog_entries ?? false,
  };
}

test('scenarios are found', () => {
  assert.ok(FILES.length >= 4, FILES.join(', '));
});

for (const file of FILES) {
  test(`scenario ${file}`, async () => {
    const s = JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
    assert.equal(s.account, 'demo');
    const emu = await Emulator.start();
    const client = new Client(emu.clientOptions({ retry: FAST_RETRY }));
    try {
      await client.login();
      emu.clearRequestLog();
      const readErrors = s.expect_errors ?? [];
      // Node reads the rows and checks their names in one call: it expects the union.
      const all = [...readErrors, ...(s.expect_errors_after_names ?? [])];
      if (all.length) {
        const err = await client.sync.plan(s.rows, { ...options(s.options), groups: s.groups }).then(
          () => assert.fail('expected the rows to be refused'),
          (e) => e,
        );
        assert.ok(err instanceof SyncInputError, String(err));
        const got = err.errors.map((e) => `${e.path}:${e.line}:${e.column}: ${e.message}`);
        for (const want of all) assert.ok(got.some((g) => g.includes(want)), `${want} in ${got.join('\n')}`);
        if (readErrors.length && !s.expect_errors_after_names) {
          assert.equal(got.length, readErrors.length);
          assert.deepEqual(emu.requestLog(), [], 'nothing contacted');
        }
        assert.deepEqual(emu.requestLog().filter((r) => r.method !== 'GET'), [], 'nothing written');
        return;
      }
      const plan = await client.sync.plan(s.rows, { ...options(s.options), groups: s.groups });
      for (const [k, v] of Object.entries(s.expect_plan.summary)) {
        assert.equal(plan.summary[SUMMARY_KEYS[k]], v, `${k}: ${JSON.stringify(plan.summary)}`);
      }
      for (const w of s.expect_plan.warnings_contain ?? []) {
        assert.ok(plan.warnings.some((x) => x.includes(w)), `${w} in ${plan.warnings}`);
      }
      const report = await client.sync.apply(plan);
      assert.equal(report.outcome, 'done');
      assert.ok(report.changes.every((c) => c.status === 'applied'));
      assert.equal(report.changes.length, plan.length);
      assert.equal(report.verified, true, JSON.stringify(report.leftover));

      const users = await usersAsColumns(client);
      for (const [login, want] of Object.entries(s.expect_users ?? {})) {
        if (want === null) {
          assert.ok(!(login in users), `${login} should not exist`);
          continue;
        }
        assert.ok(login in users, `${login} missing`);
        for (const [k, v] of Object.entries(want)) assert.deepEqual(users[login][k], v, `${login}.${k}`);
      }
      const paths = new Set((await groupPaths(client)).values());
      for (const p of s.expect_groups ?? []) assert.ok(paths.has(p), `group ${p}`);
    } finally {
      await client.close().catch(() => {});
      await emu.stop();
    }
  });
}
