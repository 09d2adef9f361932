'use strict';
// `Emulator` of `lpconfig/testing`: the Rust emulator (local LiveEngage)
// running inside this process, so automation can be tested without an account.
// Its native half is the separate `lpconfig-emulator` package (a dev
// dependency of the user's project), so the production addon does not carry
// the emulator's server (docs/packaging/node.md).

const { configError } = require('./errors');
const { Credentials } = require('./credentials');

let nativeEmulator;

/** The `lpconfig-emulator` addon, loaded on the first `Emulator.start()`. */
function loadNative() {
  if (nativeEmulator) return nativeEmulator;
  // The installed package first, then this repository's layout (node/emulator).
  for (const id of ['lpconfig-emulator', '../emulator']) {
    try {
      nativeEmulator = require(id).NativeEmulator;
      return nativeEmulator;
    } catch (e) {
      // Only "not installed" moves on; a package that is there but fails to load says why.
      if (e.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes(id)) throw e;
    }
  }
  throw configError('lpconfig-emulator', 'lpconfig/testing needs this package: npm install --save-dev lpconfig-emulator');
}

const ACTIONS = { status: 'status', latency: 'latency', reset: 'reset', malformedBody: 'malformed_body' };

/** A fault rule in the emulator's JSON format. */
function toRule(rule) {
  if (rule === null || typeof rule !== 'object' || typeof rule.path !== 'string') {
    throw configError('rule', "must be an object like { path: '*/users', action: { type: 'status', status: 503 } }");
  }
  const a = rule.action ?? {};
  const type = ACTIONS[a.type];
  if (!type) throw configError('rule.action.type', "must be 'status', 'latency', 'reset' or 'malformedBody'");
  const action = { type };
  if (type === 'status') {
    Object.assign(action, { status: a.status, body: a.body, retry_after: a.retryAfter });
  } else if (type === 'latency') {
    action.ms = a.ms;
  }
  return { path: rule.path, method: rule.method, count: rule.times, action };
}

class Emulator {
  #native;
  #seed;

  /** @internal Use `Emulator.start()`. */
  constructor(handle) {
    this.#native = handle;
    this.#seed = JSON.parse(handle.seedCredentials());
  }

  /** Starts an emulator on 127.0.0.1 with the demo seed (account `demo`). */
  static async start(options = {}) {
    const { faults = [], ...rest } = options;
    const handle = await loadNative().start(JSON.stringify({ ...rest, faults: faults.map(toRule) }));
    return new Emulator(handle);
  }

  /** `http://127.0.0.1:PORT`: pass it as the client's `csdsUrl`. */
  get url() {
    return this.#native.url;
  }

  /** The seeded account id (`demo`). */
  get account() {
    return this.#native.account;
  }

  /** Seeded credentials of this kind, ready for `new Client({ credentials })`. */
  credentials(type = 'password') {
    const c = this.#seed[type];
    if (!c) throw configError('type', "the seed has no credentials of this type ('password', 'apiKey', 'appKeyLogin')");
    if (type === 'password') return Credentials.password(c.username, c.password);
    if (type === 'apiKey') return Credentials.apiKey(c.appKey, c.secret, c.accessToken, c.accessTokenSecret);
    return Credentials.appKeyLogin(c.username, c.appKey, c.secret, c.accessToken, c.accessTokenSecret);
  }

  /** The seeded credential values of this kind as a plain object (secrets included: a test tool). */
  seedCredentials(type = 'password') {
    const c = this.#seed[type];
    if (!c) throw configError('type', "the seed has no credentials of this type ('password', 'apiKey', 'appKeyLogin')");
    return { ...c };
  }

  /** Options for a `Client` of this emulator; `extra` wins. */
  clientOptions(extra = {}) {
    return { account: this.account, csdsUrl: this.url, credentials: this.credentials('password'), ...extra };
  }

  /** Makes matching requests fail, stall, reset or return garbage. */
  addFault(rule) {
    this.#native.addFault(JSON.stringify(toRule(rule)));
  }

  /** Removes every fault rule. */
  clearFaults() {
    this.#native.clearFaults();
  }

  /** Every request so far, in completion order (headers verbatim: this is a test tool). */
  requestLog() {
    return JSON.parse(this.#native.requestLog());
  }

  /** Forgets the request log. */
  clearRequestLog() {
    this.#native.clearRequestLog();
  }

  /** Ends every login session: their bearers get 401 from then on. */
  expireSessions() {
    this.#native.expireSessions();
  }

  /** How many login sessions are open. */
  sessionCount() {
    return this.#native.sessionCount();
  }

  /** Stops the emulator; safe to call twice. */
  async stop() {
    await this.#native.stop();
  }
}

module.exports = { Emulator };
