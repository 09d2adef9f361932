'use strict';
// The Node surface matches the core's (`lpconfig::surface`): every setting is
// an accepted option, every method exists, every error kind has its class.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const lp = require('..');
const native = require('../lib/native');
const { Users } = require('../lib/users');
const { AgentGroups } = require('../lib/agent-groups');
const { Catalog } = require('../lib/catalog');

const surface = JSON.parse(native.surface());
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
const CA = path.join(__dirname, '..', '..', 'tests', 'tls', 'ca.pem');

// A sample per setting, keyed by the core's spelling for Node (durations in
// ms, `<name>Ms`); each must change what the built core client holds. A new
// core setting without a sample fails here, as it should until Node exposes it.
const SAMPLES = {
  account: 'other',
  credentials: lp.Credentials.password('u', 'Pw-Secret-1'),
  csdsUrl: 'http://127.0.0.1:9',
  apiVersion: '3.0',
  connectTimeoutMs: 7,
  requestTimeoutMs: 8,
  retry: { serverDelaysMs: [1], rateLimitRetries: 1, rateLimitBaseMs: 1, retryTransport: false },
  retryDelaysMs: [1],
  refreshIntervalMs: 9,
  csdsTtlMs: 10,
  forceReadWrite: true,
  methodOverride: true,
  batchSize: 5,
  caBundle: CA,
  proxy: 'http://user:Proxy-Secret-1@127.0.0.1:3128',
  legacy: true,
};

test('every core setting is an accepted option that reaches the core', () => {
  assert.equal(surface.spelled.node.length, surface.settings.length);
  const bearer = { account: 'demo', credentials: lp.Credentials.bearer('t') };
  const base = new lp.Client(bearer).effectiveSettings();
  for (const option of surface.spelled.node) {
    assert.ok(option in SAMPLES, `no Node sample for the core setting ${option}`);
    const got = new lp.Client({ ...bearer, [option]: SAMPLES[option] }).effectiveSettings();
    assert.notDeepEqual(got[option], base[option], `${option} did not reach the core`);
    assert.ok(!JSON.stringify(got).includes('Secret-1'));
  }
  assert.throws(
    () => new lp.Client({ ...bearer, retry: 'none', retryDelaysMs: [1] }),
    (e) => e instanceof lp.ConfigError && e.field === 'retry_delays',
  );
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

test('fromEnv honours every variable of the core rule', () => {
  const env = { LP_ACCOUNT: 'demo', LP_USERNAME: 'u', LP_PASSWORD: 'p' };
  const values = {
    LP_CSDS_URL: ['http://127.0.0.1:9', 'http://127.0.0.1:9/'],
    LP_TIMEOUT: ['2.5', 2500],
    LP_CONNECT_TIMEOUT: ['250ms', 250],
    LP_RETRY_DELAYS: ['10ms,20ms', [10, 20]],
    LP_CA_BUNDLE: [CA, CA],
    SSL_CERT_FILE: [CA, CA],
    LP_PROXY: ['none', 'none'],
  };
  assert.deepEqual(Object.keys(values).sort(), Object.keys(surface.env).filter((k) => k !== 'LP_ACCOUNT').sort());
  for (const [name, [text, want]] of Object.entries(values)) {
    const setting = surface.spelled.node[surface.settings.indexOf(surface.env[name])];
    const got = lp.Client.fromEnv({}, { ...env, [name]: text }).effectiveSettings();
    assert.deepEqual(got[setting], want, name);
  }
  assert.throws(
    () => lp.Client.fromEnv({}, { ...env, LP_TIMEOUT: 'soon' }),
    (e) => e instanceof lp.ConfigError && e.field === 'LP_TIMEOUT',
  );
  // Overrides win; an explicit retry policy replaces LP_RETRY_DELAYS.
  const c = lp.Client.fromEnv({ requestTimeoutMs: 3000, retry: 'none' }, { ...env, LP_TIMEOUT: '2', LP_RETRY_DELAYS: '1' });
  const got = c.effectiveSettings();
  assert.equal(got.requestTimeoutMs, 3000);
  assert.deepEqual(got.retryDelaysMs, []);
});

test('index.d.ts declares every core setting in ClientOptions and EffectiveSettings', () => {
  const dts = require('node:fs').readFileSync(path.join(__dirname, '..', 'index.d.ts'), 'utf8');
  const body = (name) => {
    const m = dts.match(new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`));
    assert.ok(m, `no interface ${name} in index.d.ts`);
    return m[1];
  };
  const options = body('ClientOptions');
  const effective = body('EffectiveSettings');
  for (const option of surface.spelled.node) {
    assert.match(options, new RegExp(`\\n\\s+${option}\\??:`), `ClientOptions lacks ${option}`);
    assert.match(effective, new RegExp(`\\n\\s+${option}:`), `EffectiveSettings lacks ${option}`);
  }
  const bearer = { account: 'demo', credentials: lp.Credentials.bearer('t') };
  assert.deepEqual(Object.keys(new lp.Client(bearer).effectiveSettings()).sort(), [...surface.spelled.node].sort());
});
