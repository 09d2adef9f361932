'use strict';
// `Client`: the entry point. Every call returns a Promise; the work runs on
// the addon's tokio runtime, so the event loop never waits on the network.

const { inspect } = require('node:util');
const native = require('./native');
const { sync, call } = require('./args');
const { configError } = require('./errors');
const { optionsFromEnv, toWire } = require('./credentials');
const { Users } = require('./users');
const { AgentGroups } = require('./agent-groups');
const { Catalog } = require('./catalog');
const { Sync } = require('./sync');

/**
 * Wraps a user callback for the addon, which calls it with JSON text from its
 * own threads: parses the text, and turns an exception into a process warning
 * (it must not fail the API call that reported the event).
 */
function jsonCallback(name, fn) {
  return (text) => {
    try {
      fn(JSON.parse(text));
    } catch (e) {
      process.emitWarning(`lpconfig: the ${name} callback threw: ${e && e.message}`, 'LpconfigWarning');
    }
  };
}

/**
 * Sends the core's log events (`{ level, target, message }`) at `level` and
 * above (`'error'`, `'warn'`, `'info'` by default, `'debug'`, `'trace'`) to
 * `handler`; `setLogHandler(null)` stops. Retries are logged at `'warn'` by
 * target `lpconfig.retry`. No secret is ever part of a message.
 */
function setLogHandler(handler, options = {}) {
  if (handler !== null && typeof handler !== 'function') {
    throw configError('handler', 'must be a function (record) => void, or null');
  }
  const level = options && options.level;
  if (level !== undefined && typeof level !== 'string') throw configError('level', 'must be a string');
  sync(() => native.setLogHandler(handler === null ? undefined : jsonCallback('log handler', handler), level));
}

class Client {
  // The native client keeps the credentials (as core `Secret`s); nothing here
  // holds them, so neither inspection nor serialization can show them.
  #native;

  /** Checks the options and builds the client; no I/O happens until a call. */
  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw configError('options', 'must be an object such as { account, credentials }');
    }
    const { onRetry, ...rest } = options;
    if (onRetry !== undefined && typeof onRetry !== 'function') {
      throw configError('onRetry', 'must be a function (event) => void');
    }
    const wire = { ...rest, credentials: toWire(options.credentials) };
    const hook = onRetry === undefined ? undefined : jsonCallback('onRetry', onRetry);
    this.#native = sync(() => new native.NativeClient(JSON.stringify(wire), hook));
    const n = this.#native;
    Object.defineProperties(this, {
      users: { value: new Users(sync(() => n.users())), enumerable: true },
      agentGroups: { value: new AgentGroups(sync(() => n.agentGroups())), enumerable: true },
      skills: { value: new Catalog(sync(() => n.catalog('skills'))), enumerable: true },
      profiles: { value: new Catalog(sync(() => n.catalog('profiles'))), enumerable: true },
      lobs: { value: new Catalog(sync(() => n.catalog('lobs'))), enumerable: true },
      sync: { value: new Sync(sync(() => n.sync())), enumerable: true },
    });
  }

  /**
   * A client from `LP_*` environment variables (the core's rule, as in every
   * language); `overrides` win over them, and an explicit `retry` policy
   * replaces `LP_RETRY_DELAYS`.
   */
  static fromEnv(overrides = {}, env = process.env) {
    const fromEnv = optionsFromEnv(env);
    if (overrides && overrides.retry !== undefined) delete fromEnv.retryDelaysMs;
    return new Client({ ...fromEnv, ...overrides });
  }

  /** Every setting in force (Node's names, durations in ms); never a secret. */
  effectiveSettings() {
    return JSON.parse(this.#native.effectiveSettings());
  }

  /** The account id. */
  get account() {
    return this.#native.account;
  }

  /** Opens the Login Service session now (otherwise the first call does). */
  async login() {
    await call(this.#native.login().then(() => 'null'));
  }

  /** Logs out (when a session is open) and stops the refresh timer. */
  async close() {
    await call(this.#native.close().then(() => 'null'));
  }

  [inspect.custom](depth, options) {
    const shown = {
      account: this.#native.account,
      csdsUrl: this.#native.csdsUrl,
      credentials: `<${this.#native.credentialsType}>`,
    };
    return `Client ${inspect(shown, options)}`;
  }

  toJSON() {
    return { account: this.#native.account, csdsUrl: this.#native.csdsUrl };
  }
}

module.exports = { Client, setLogHandler };
