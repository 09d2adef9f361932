// ESM entry: the same objects as the CommonJS entry.
import lpconfig from './index.js';

export const {
  Client,
  Credentials,
  setLogHandler,
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
} = lpconfig;
export default lpconfig;
