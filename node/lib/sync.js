'use strict';
// `client.sync`: HR sync through the engine (`lpconfig-sync`). Plans cross as
// native objects (they keep the rows' initial passwords, never shown); their
// contents, the report and errors cross as the engine's JSON forms.

const { inspect } = require('node:util');
const native = require('./native');
const errors = require('./errors');

const PAYLOAD_PREFIX = 'LPCONFIG_ERROR:';

/** Base of the errors of planning or applying a sync (API errors keep their own classes). */
class SyncError extends errors.LpError {}
/** The rows have problems: `errors` lists every one (`{path, line, column, message}`); nothing applied. */
class SyncInputError extends SyncError {
  constructor(message, details = {}) {
    super(message, details);
    this.errors = (details.errors ?? []).map(({ path, line, column, message: m }) => ({
      path,
      line,
      column,
      message: m,
    }));
  }
}
/** The account changed since the plan was made; nothing applied: make a new plan. */
class SyncStaleError extends SyncError {}
/** A saved plan that cannot be read. */
class SyncPlanFormatError extends SyncError {}
/** An option the engine cannot honour yet. */
class SyncUnsupportedError extends SyncError {}
/** Options (or a source) the engine does not accept. */
class SyncOptionsError extends SyncError {}

const SYNC_CLASSES = {
  input: SyncInputError,
  stale: SyncStaleError,
  planFormat: SyncPlanFormatError,
  unsupported: SyncUnsupportedError,
  options: SyncOptionsError,
};

/** The error for a native rejection: a sync class when the payload names one. */
function fromNative(err) {
  const message = err && typeof err.message === 'string' ? err.message : '';
  if (message.startsWith(PAYLOAD_PREFIX)) {
    try {
      const payload = JSON.parse(message.slice(PAYLOAD_PREFIX.length));
      const Cls = SYNC_CLASSES[payload.sync];
      if (Cls) {
        const out = new Cls(payload.message, payload);
        Error.captureStackTrace?.(out, fromNative);
        return out;
      }
    } catch {
      // not a payload: fall through
    }
  }
  return errors.fromNative(err);
}

async function call(promise) {
  try {
    return await promise;
  } catch (e) {
    throw fromNative(e);
  }
}

function wrap(fn) {
  try {
    return fn();
  } catch (e) {
    throw fromNative(e);
  }
}

/** What must change for the account to match the rows. */
class Plan {
  #native;
  #described;

  /** @internal */
  constructor(nativePlan) {
    this.#native = nativePlan;
  }

  /** Reads a plan saved with `toJSON()`/`JSON.stringify(plan)`. */
  static fromJSON(text) {
    if (typeof text !== 'string') text = JSON.stringify(text);
    return new Plan(wrap(() => native.NativePlan.fromJson(text)));
  }

  #describe() {
    this.#described ??= JSON.parse(this.#native.describe());
    return this.#described;
  }

  /** The number of changes. */
  get length() {
    return this.#native.length;
  }

  /** Every change in apply order: `{kind, name, at, fields: [{field, before, after}]}`. */
  get changes() {
    return this.#describe().changes;
  }

  /** Counts by kind (`groupsToCreate`, ...), plus `text`: the one-line summary. */
  get summary() {
    const d = this.#describe();
    const s = d.summary;
    return {
      groupsToCreate: s.groups_to_create,
      groupsToMove: s.groups_to_move,
      groupsToUpdate: s.groups_to_update,
      usersToCreate: s.users_to_create,
      usersToUpdate: s.users_to_update,
      usersToDisable: s.users_to_disable,
      usersToDelete: s.users_to_delete,
      unchanged: s.unchanged,
      skillsToCreate: s.skills_to_create,
      lobsToCreate: s.lobs_to_create,
      text: d.text,
    };
  }

  /** Things worth knowing that are not errors. */
  get warnings() {
    return this.#describe().warnings;
  }

  /** The plan's versioned JSON form as an object (never with passwords). */
  toJSON() {
    return JSON.parse(this.#native.toJson());
  }

  /** @internal */
  get _native() {
    return this.#native;
  }

  [inspect.custom]() {
    return `Plan <${this.#describe().text}>`;
  }
}

function progressShape(text) {
  const p = JSON.parse(text);
  return { phase: p.phase, done: p.done, total: p.total, elapsed: p.elapsed_ms };
}

function camel(o) {
  const out = {};
  for (const [k, v] of Object.entries(o)) out[k.replace(/_([a-z])/g, (_, c) => c.toUpperCase())] = v;
  return out;
}

function reportShape(applied) {
  const { report, passwords } = JSON.parse(applied.json());
  const leftover = applied.leftover();
  const outcome = report.outcome;
  const initialPasswords = Object.fromEntries(passwords);
  const out = {
    applied: camel(report.applied),
    changes: report.changes,
    outcome: outcome.status,
    failure: outcome.status === 'failed' ? outcome : null,
    verified: report.verified,
    leftover: leftover ? new Plan(leftover) : null,
    get ok() {
      return this.outcome === 'done' && this.verified !== false;
    },
  };
  // Initial passwords: readable, but kept out of JSON, logs and `util.inspect`.
  Object.defineProperty(out, 'initialPasswords', { value: initialPasswords, enumerable: false });
  return out;
}

function sourceJson(source, field = 'source') {
  if (typeof source === 'string') return JSON.stringify({ path: source });
  if (source instanceof URL) return JSON.stringify({ path: require('node:url').fileURLToPath(source) });
  if (source !== null && typeof source === 'object' && typeof source[Symbol.iterator] === 'function') {
    return JSON.stringify({ rows: Array.from(source) });
  }
  throw new SyncOptionsError(`${field} must be a file path or an iterable of row objects`, {
    code: 'ERR_CONFIG',
    field,
  });
}

function optionsJson(o = {}) {
  return JSON.stringify({
    prune: o.prune ?? 'off',
    allow_masked_blank: o.allowMaskedBlank ?? false,
    protected_logins: o.protected ?? [],
    initial_password: o.initialPassword ?? null,
    create_missing_catalog_entries: o.createMissingCatalogEntries ?? false,
  });
}

/** HR sync for one account (`client.sync`). */
class Sync {
  #native;

  /** @internal */
  constructor(nativeSync) {
    this.#native = nativeSync;
  }

  /** Reads the rows (a CSV/JSON/YAML path or an iterable of row objects) and the account;
   * `options.groups` is the groups section (a path or row objects). */
  async plan(source, options = {}) {
    const groups = options.groups == null ? undefined : sourceJson(options.groups, 'groups');
    return new Plan(await call(this.#native.plan(sourceJson(source), optionsJson(options), groups)));
  }

  /** Applies a plan; `onProgress({phase, done, total, elapsed})` runs on the event loop.
   * When `signal` aborts, the apply stops after its current batch and resolves with a
   * report whose `outcome` is `'cancelled'` (each change says whether it was applied). */
  async apply(plan, options = {}) {
    if (!(plan instanceof Plan)) throw new SyncOptionsError('plan must be a Plan', { code: 'ERR_CONFIG' });
    const { onProgress, batchSize, signal } = options;
    if (signal != null && !(signal instanceof AbortSignal)) {
      throw new SyncOptionsError('signal must be an AbortSignal', { code: 'ERR_CONFIG', field: 'signal' });
    }
    const cb = onProgress ? (text) => onProgress(progressShape(text)) : undefined;
    const token = new native.NativeCancelToken();
    const stop = () => token.cancel();
    if (signal?.aborted) stop();
    signal?.addEventListener('abort', stop, { once: true });
    try {
      return reportShape(await call(this.#native.apply(plan._native, cb, batchSize, token)));
    } finally {
      signal?.removeEventListener('abort', stop);
    }
  }
}

module.exports = {
  Sync,
  Plan,
  SyncError,
  SyncInputError,
  SyncStaleError,
  SyncPlanFormatError,
  SyncUnsupportedError,
  SyncOptionsError,
};
