'use strict';
// `Credentials`: what `new Client({ credentials })` authenticates with. The
// values live in a private field, so `util.inspect`, `JSON.stringify`,
// `String(...)`, template strings and `console.log` show only the kind and
// the non-secret names (username, app key), never a password, secret or token.

const { inspect } = require('node:util');
const native = require('./native');
const { sync } = require('./args');
const { configError } = require('./errors');

const REDACTED = '[redacted]';

/** Which fields each kind takes, in constructor order, and which are shown. */
const KINDS = {
  password: { fields: ['username', 'password'], shown: ['username'] },
  apiKey: { fields: ['appKey', 'secret', 'accessToken', 'accessTokenSecret'], shown: ['appKey'] },
  appKeyLogin: {
    fields: ['username', 'appKey', 'secret', 'accessToken', 'accessTokenSecret'],
    shown: ['username', 'appKey'],
  },
  bearer: { fields: ['token'], shown: [] },
  clientCredentials: { fields: ['clientId', 'clientSecret', 'scope'], shown: ['clientId', 'scope'], optional: ['scope'] },
};

let wireOf;

class Credentials {
  #type;
  #values;

  /** Use the static constructors (`Credentials.password(...)`, ...). */
  constructor(type, values) {
    const kind = KINDS[type];
    if (kind === undefined) {
      throw configError(
        'credentials.type',
        "must be 'password', 'apiKey', 'appKeyLogin', 'bearer' or 'clientCredentials'",
      );
    }
    kind.fields.forEach((f, i) => {
      const optional = kind.optional !== undefined && kind.optional.includes(f) && values[i] === undefined;
      if (typeof values[i] !== 'string' && !optional) throw configError(`credentials.${f}`, 'must be a string');
    });
    this.#type = type;
    this.#values = Object.freeze(Object.fromEntries(kind.fields.map((f, i) => [f, values[i]])));
    Object.freeze(this);
  }

  /** Login Service user login. */
  static password(username, password) {
    return new Credentials('password', [username, password]);
  }

  /** API key: every request signed with OAuth 1.0a, no login. */
  static apiKey(appKey, secret, accessToken, accessTokenSecret) {
    return new Credentials('apiKey', [appKey, secret, accessToken, accessTokenSecret]);
  }

  /** Login Service application login of a bot user with an API key. */
  static appKeyLogin(username, appKey, secret, accessToken, accessTokenSecret) {
    return new Credentials('appKeyLogin', [username, appKey, secret, accessToken, accessTokenSecret]);
  }

  /** A bearer obtained elsewhere (no login, so a 401 is final). */
  static bearer(token) {
    return new Credentials('bearer', [token]);
  }

  /**
   * OAuth 2.0 client credentials: a token from Sentinel, renewed before it
   * expires; on a 401 one new token and one replay. `scope` is optional.
   */
  static clientCredentials(clientId, clientSecret, scope) {
    return new Credentials('clientCredentials', [clientId, clientSecret, scope]);
  }

  /** `'password'`, `'apiKey'`, `'appKeyLogin'`, `'bearer'` or `'clientCredentials'`. */
  get type() {
    return this.#type;
  }

  /** The login name (password and app-key login), else `undefined`. */
  get username() {
    return this.#values.username;
  }

  /** The app key (API key and app-key login), else `undefined`. */
  get appKey() {
    return this.#values.appKey;
  }

  /** `{ type, username?, appKey?, <secret>: '[redacted]' }`. */
  toJSON() {
    const { fields, shown } = KINDS[this.#type];
    const out = { type: this.#type };
    for (const f of fields) {
      if (this.#values[f] === undefined) continue;
      out[f] = shown.includes(f) ? this.#values[f] : REDACTED;
    }
    return out;
  }

  /** `Credentials.password(username='jane', password=[redacted])`. */
  toString() {
    const parts = Object.entries(this.toJSON())
      .filter(([k]) => k !== 'type')
      .map(([k, v]) => (v === REDACTED ? `${k}=${v}` : `${k}=${JSON.stringify(v)}`));
    return `Credentials.${this.#type}(${parts.join(', ')})`;
  }

  [Symbol.toPrimitive]() {
    return this.toString();
  }

  get [Symbol.toStringTag]() {
    return 'Credentials';
  }

  [inspect.custom]() {
    return this.toString();
  }

  static {
    // Package-internal: the values the addon needs, as its tagged object.
    wireOf = (c) => {
      const wire = { type: c.#type };
      for (const [k, v] of Object.entries(c.#values)) if (v !== undefined) wire[k] = v;
      return wire;
    };
  }
}

/**
 * The tagged object the addon reads, from a `Credentials` or (as before it
 * was a class) a plain `{ type, ...fields }` object; anything else is passed
 * on for the addon to reject with a `ConfigError`.
 */
function toWire(credentials) {
  return credentials instanceof Credentials ? wireOf(credentials) : credentials;
}

/**
 * Client options from the environment, by the core's one rule (the same in
 * every language): `LP_ACCOUNT`; then all four of `LP_APP_KEY`, `LP_SECRET`,
 * `LP_ACCESS_TOKEN`, `LP_ACCESS_TOKEN_SECRET` (an API key; with `LP_USERNAME`
 * too, an app-key login), `LP_USERNAME` and `LP_PASSWORD`, or `LP_CLIENT_ID`
 * and `LP_CLIENT_SECRET` (OAuth 2.0 client credentials), never a mix;
 * `LP_CSDS_URL` optionally. Empty counts as unset. Errors never show a value.
 * The credentials come back as a `Credentials` instance.
 */
function optionsFromEnv(env) {
  const lp = {};
  for (const [k, v] of Object.entries(env)) {
    // The LP_* variables and SSL_CERT_FILE (a CA bundle when LP_CA_BUNDLE is unset).
    if ((k.startsWith('LP_') || k === 'SSL_CERT_FILE') && typeof v === 'string') lp[k] = v;
  }
  const options = JSON.parse(sync(() => native.settingsFromEnv(JSON.stringify(lp))));
  const { type, ...values } = options.credentials;
  options.credentials = new Credentials(
    type,
    KINDS[type].fields.map((f) => values[f]),
  );
  return options;
}

module.exports = { Credentials, optionsFromEnv, toWire };
