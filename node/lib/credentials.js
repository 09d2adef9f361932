'use strict';
// Helper constructors for the tagged `credentials` objects of `new Client`.

const native = require('./native');
const { sync } = require('./args');

const Credentials = Object.freeze({
  /** Login Service user login. */
  password: (username, password) => ({ type: 'password', username, password }),
  /** API key: every request signed with OAuth 1.0a, no login. */
  apiKey: (appKey, secret, accessToken, accessTokenSecret) => ({
    type: 'apiKey',
    appKey,
    secret,
    accessToken,
    accessTokenSecret,
  }),
  /** Login Service application login of a bot user with an API key. */
  appKeyLogin: (username, appKey, secret, accessToken, accessTokenSecret) => ({
    type: 'appKeyLogin',
    username,
    appKey,
    secret,
    accessToken,
    accessTokenSecret,
  }),
  /** A bearer obtained elsewhere (no login, so a 401 is final). */
  bearer: (token) => ({ type: 'bearer', token }),
  /**
   * OAuth 2.0 client credentials: a token from Sentinel, renewed before it
   * expires; on a 401 one new token and one replay. `scope` is optional.
   */
  clientCredentials: (clientId, clientSecret, scope) =>
    scope === undefined
      ? { type: 'clientCredentials', clientId, clientSecret }
      : { type: 'clientCredentials', clientId, clientSecret, scope },
});

/**
 * Client options from the environment, by the core's one rule (the same in
 * every language): `LP_ACCOUNT`; then all four of `LP_APP_KEY`, `LP_SECRET`,
 * `LP_ACCESS_TOKEN`, `LP_ACCESS_TOKEN_SECRET` (an API key; with `LP_USERNAME`
 * too, an app-key login), `LP_USERNAME` and `LP_PASSWORD`, or `LP_CLIENT_ID`
 * and `LP_CLIENT_SECRET` (OAuth 2.0 client credentials), never a mix;
 * `LP_CSDS_URL` optionally. Empty counts as unset. Errors never show a value.
 */
function optionsFromEnv(env) {
  const lp = {};
  for (const [k, v] of Object.entries(env)) {
    if (k.startsWith('LP_') && typeof v === 'string') lp[k] = v;
  }
  return JSON.parse(sync(() => native.settingsFromEnv(JSON.stringify(lp))));
}

module.exports = { Credentials, optionsFromEnv };
