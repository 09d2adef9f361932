'use strict';
// The error taxonomy of design.md: `LpError` and one subclass per kind, so
// both `err.code === 'ERR_NOT_FOUND'` and `err instanceof NotFoundError` work.
// The addon rejects with a tagged JSON payload; `fromNative` rebuilds the class.

const PAYLOAD_PREFIX = 'LPCONFIG_ERROR:';

/** Base class of every lpconfig failure. */
class LpError extends Error {
  constructor(message, details = {}) {
    super(message);
    this.name = new.target.name;
    this.code = new.target.code ?? details.code ?? 'ERR_LPCONFIG';
    this.status = details.status ?? undefined;
    this.method = details.method ?? undefined;
    this.url = details.url ?? undefined;
    this.attempts = details.attempts ?? 0;
    this.field = details.field ?? undefined;
    this.detail = details.detail ?? message;
    this.internalCode = details.internalCode ?? undefined;
    this.body = details.body ?? undefined;
    this.batch = details.batch ?? undefined;
  }
}

const KINDS = {
  ERR_CONFIG: 'ConfigError',
  ERR_AUTH: 'AuthError',
  ERR_FORBIDDEN: 'ForbiddenError',
  ERR_NOT_FOUND: 'NotFoundError',
  ERR_CONFLICT: 'ConflictError',
  ERR_INVALID: 'InvalidError',
  ERR_RATE_LIMITED: 'RateLimitedError',
  ERR_SERVER: 'ServerError',
  ERR_TRANSPORT: 'TransportError',
  ERR_DECODE: 'DecodeError',
};

const classes = { LpError };
const byCode = {};
for (const [code, name] of Object.entries(KINDS)) {
  // A named class per kind (the name shows in stacks and `util.inspect`).
  const cls = { [name]: class extends LpError {} }[name];
  Object.defineProperty(cls, 'code', { value: code });
  classes[name] = cls;
  byCode[code] = cls;
}

/** The `LpError` for a native rejection, or the error unchanged when it is not one. */
function fromNative(err) {
  const message = err && typeof err.message === 'string' ? err.message : '';
  if (!message.startsWith(PAYLOAD_PREFIX)) return err;
  let payload;
  try {
    payload = JSON.parse(message.slice(PAYLOAD_PREFIX.length));
  } catch {
    return err;
  }
  const Cls = byCode[payload.code] ?? LpError;
  const out = new Cls(payload.message, payload);
  Error.captureStackTrace?.(out, fromNative);
  return out;
}

/** A `ConfigError` raised in JS before any native call (wrong argument type). */
function configError(field, message) {
  return new classes.ConfigError(`configuration error: ${field}: ${message}`, { field, detail: message });
}

module.exports = { ...classes, fromNative, configError };
