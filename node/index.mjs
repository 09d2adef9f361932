// ESM entry: the same objects as the CommonJS entry.
import lpconfig from './index.js';

export const {
  Client,
  Credentials,
  setLogHandler,
  Users,
  AgentGroups,
  Catalog,
  Sync,
  LpError,
  ConfigError,
  AuthError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  InvalidError,
  RateLimitedError,
  ServerError,
  TransportError,
  DecodeError,
  Plan,
  SyncError,
  SyncInputError,
  SyncStaleError,
  SyncPlanFormatError,
  SyncUnsupportedError,
  SyncOptionsError,
} = lpconfig;
export default lpconfig;
