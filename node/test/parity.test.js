'use strict';
// The Node surface matches the core's (`lpconfig::surface`): every setting is
// an accepted option, every method exists, every error kind has its class.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const lp = require('..');
const native = require('../lib/native');
const { Users } = require('../lib/users');
const { AgentGroups } = require('../lib/agent-groups');
const { Catalog } = require('../lib/catalog');

const surface = JSON.parse(native.surface());
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// A valid sample per setting (durations are given in ms, as `<name>Ms`). A new
// core setting without a sample fails here, as it should until Node exposes it.
const SAMPLES = {
  account: ['account', 'demo'],
  credentials: ['credentials', lp.Credentials.bearer('t')],
  csds_url: ['csdsUrl', 'http://127.0.0.1:9'],
  api_version: ['apiVersion', '4.0'],
  connect_timeout: ['connectTimeoutMs', 1000],
  request_timeout: ['requestTimeoutMs', 1000],
  retry: ['retry', { serverDelaysMs: [1], rateLimitRetries: 1, rateLimitBaseMs: 1, retryTransport: false }],
  refresh_interval: ['refreshIntervalMs', 1000],
  csds_ttl: ['csdsTtlMs', 1000],
  force_read_write: ['forceReadWrite', true],
  method_override: ['methodOverride', true],
  batch_size: ['batchSize', 5],
};

test('every core setting is an accepted option', () => {
  assert.ok(surface.settings.length >= 12);
  for (const name of surface.settings) {
    assert.ok(SAMPLES[name], `no Node option for the core setting ${name}`);
    const [option, value] = SAMPLES[name];
    const options = { account: 'demo', credentials: lp.Credentials.bearer('t'), [option]: value };
    assert.doesNotThrow(() => new lp.Client(options), `${option} (${name})`);
  }
  assert.throws(
    () => new lp.Client({ account: 'demo', credentials: lp.Credentials.bearer('t'), notASetting: 1 }),
    (e) => e instanceof lp.ConfigError,
  );
});

test('every core method exists', () => {
  const client = new lp.Client({ account: 'demo', credentials: lp.Credentials.bearer('t') });
  for (const [key, cls] of [['users', Users], ['agentGroups', AgentGroups], ['catalog', Catalog]]) {
    for (const name of surface[key]) {
      assert.equal(typeof cls.prototype[camel(name)], 'function', `${cls.name}.${camel(name)}`);
    }
  }
  for (const name of surface.client) assert.equal(typeof client[camel(name)], 'function', `Client.${name}`);
});

test('every error kind has its class and code', () => {
  assert.equal(surface.errorCodes.length, 10);
  const classes = Object.values(lp).filter((v) => typeof v === 'function' && v.prototype instanceof lp.LpError);
  for (const code of surface.errorCodes) {
    const cls = classes.find((c) => new c('x').code === code);
    assert.ok(cls, `no error class for ${code}`);
  }
});
