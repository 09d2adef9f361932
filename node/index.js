'use strict';
// lpconfig: manage a LivePerson Conversational Cloud account's users and agent
// groups. CommonJS entry; `index.mjs` re-exports it for `import`.

const { Client, setLogHandler } = require('./lib/client');
const { Credentials } = require('./lib/credentials');
const errors = require('./lib/errors');
const syncApi = require('./lib/sync');

module.exports = {
  Client,
  Credentials,
  setLogHandler,
  LpError: errors.LpError,
  ConfigError: errors.ConfigError,
  AuthError: errors.AuthError,
  ForbiddenError: errors.ForbiddenError,
  NotFoundError: errors.NotFoundError,
  ConflictError: errors.ConflictError,
  InvalidError: errors.InvalidError,
  RateLimitedError: errors.RateLimitedError,
  ServerError: errors.ServerError,
  TransportError: errors.TransportError,
  DecodeError: errors.DecodeError,
  Plan: syncApi.Plan,
  SyncError: syncApi.SyncError,
  SyncInputError: syncApi.SyncInputError,
  SyncStaleError: syncApi.SyncStaleError,
  SyncPlanFormatError: syncApi.SyncPlanFormatError,
  SyncUnsupportedError: syncApi.SyncUnsupportedError,
  SyncOptionsError: syncApi.SyncOptionsError,
};
