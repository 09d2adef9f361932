'use strict';
// lpconfig: manage a LivePerson Conversational Cloud account's users and agent
// groups. CommonJS entry; `index.mjs` re-exports it for `import`.

const { Client, setLogHandler } = require('./lib/client');
const { Credentials } = require('./lib/credentials');
const errors = require('./lib/errors');
const syncApi = require('./lib/sync');
const { Users } = require('./lib/users');
const { AgentGroups } = require('./lib/agent-groups');
const { Catalog } = require('./lib/catalog');

module.exports = {
  Client,
  Credentials,
  setLogHandler,
  // Not constructed by callers (`client.users`, ...), but exported because
  // index.d.ts declares them as classes (`instanceof`, test/typings.test.js).
  Users,
  AgentGroups,
  Catalog,
  Sync: syncApi.Sync,
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
