'use strict';
// Helper constructors for the tagged `credentials` objects of `new Client`.

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
});

/**
 * Client options from the environment, with the rules of the Python package
 * and the CLI: `LP_ACCOUNT`; then all four of `LP_APP_KEY`, `LP_SECRET`,
 * `LP_ACCESS_TOKEN`, `LP_ACCESS_TOKEN_SECRET` (an API key; with `LP_USERNAME`
 * too, an app-key login) or `LP_USERNAME` and `LP_PASSWORD`, never a mix;
 * `LP_CSDS_URL` optionally. Empty counts as unset. Errors never show a value.
 */
function optionsFromEnv(env, configError) {
  const get = (name) => (env[name] ? env[name] : undefined);
  const account = get('LP_ACCOUNT');
  if (account === undefined) throw configError('LP_ACCOUNT', 'is not set');
  const [username, password] = [get('LP_USERNAME'), get('LP_PASSWORD')];
  const keys = ['LP_APP_KEY', 'LP_SECRET', 'LP_ACCESS_TOKEN', 'LP_ACCESS_TOKEN_SECRET'].map(get);
  let credentials;
  if (password === undefined && keys.every((k) => k !== undefined)) {
    credentials = username ? Credentials.appKeyLogin(username, ...keys) : Credentials.apiKey(...keys);
  } else if (username && password && keys.every((k) => k === undefined)) {
    credentials = Credentials.password(username, password);
  } else if (username === undefined && password === undefined && keys.every((k) => k === undefined)) {
    throw configError(
      'credentials',
      'no credentials: set LP_USERNAME and LP_PASSWORD, or LP_APP_KEY, LP_SECRET, LP_ACCESS_TOKEN and LP_ACCESS_TOKEN_SECRET',
    );
  } else {
    throw configError(
      'credentials',
      'incomplete or mixed credentials: use LP_USERNAME + LP_PASSWORD, or all four API-key variables (plus LP_USERNAME for an app-key login)',
    );
  }
  const options = { account, credentials };
  const csdsUrl = get('LP_CSDS_URL');
  if (csdsUrl) options.csdsUrl = csdsUrl;
  return options;
}

module.exports = { Credentials, optionsFromEnv };
