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
 * Client options from the environment (the same variables as the Python
 * package): `LP_ACCOUNT`, then `LP_APP_KEY`, `LP_SECRET`, `LP_ACCESS_TOKEN`,
 * `LP_ACCESS_TOKEN_SECRET` (an API key; with `LP_USERNAME` too, an app-key
 * login), or else `LP_USERNAME` and `LP_PASSWORD`; `LP_CSDS_URL` optionally.
 * Errors name the missing variable, never a value.
 */
function optionsFromEnv(env, configError) {
  const need = (name) => {
    const v = env[name];
    if (v === undefined || v === '') throw configError(name, 'environment variable is not set');
    return v;
  };
  const options = { account: need('LP_ACCOUNT') };
  if (env.LP_CSDS_URL) options.csdsUrl = env.LP_CSDS_URL;
  if (env.LP_APP_KEY) {
    const key = [need('LP_APP_KEY'), need('LP_SECRET'), need('LP_ACCESS_TOKEN'), need('LP_ACCESS_TOKEN_SECRET')];
    options.credentials = env.LP_USERNAME
      ? Credentials.appKeyLogin(env.LP_USERNAME, ...key)
      : Credentials.apiKey(...key);
  } else {
    options.credentials = Credentials.password(need('LP_USERNAME'), need('LP_PASSWORD'));
  }
  return options;
}

module.exports = { Credentials, optionsFromEnv };
