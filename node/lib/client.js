'use strict';
// `Client`: the entry point. Every call returns a Promise; the work runs on
// the addon's tokio runtime, so the event loop never waits on the network.

const { inspect } = require('node:util');
const native = require('./native');
const { sync, call } = require('./args');
const { configError } = require('./errors');
const { optionsFromEnv } = require('./credentials');
const { Users } = require('./users');
const { AgentGroups } = require('./agent-groups');
const { Catalog } = require('./catalog');
const { Sync } = require('./sync');

class Client {
  // The native client keeps the credentials (as core `Secret`s); nothing here
  // holds them, so neither inspection nor serialization can show them.
  #native;

  /** Checks the options and builds the client; no I/O happens until a call. */
  constructor(options) {
    if (options === null || typeof options !== 'object') {
      throw configError('options', 'must be an object such as { account, credentials }');
    }
    this.#native = sync(() => new native.NativeClient(JSON.stringify(options)));
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

  /** A client from `LP_*` environment variables; `overrides` win over them. */
  static fromEnv(overrides = {}, env = process.env) {
    return new Client({ ...optionsFromEnv(env), ...overrides });
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

module.exports = { Client };
