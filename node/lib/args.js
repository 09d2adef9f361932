'use strict';
// Argument shapes checked before crossing into the addon, so that a wrong type
// fails as a `ConfigError` naming the argument and never echoes its value
// (napi's own conversion messages quote values, which may be secrets).

const native = require('./native');
const { configError, fromNative } = require('./errors');

/** An id or revision: a safe integer. */
function int(name, v) {
  if (!Number.isSafeInteger(v)) throw configError(name, 'must be an integer (ids above 2^53 are not supported)');
  return v;
}

/** A list of ids. */
function ints(name, v) {
  if (!Array.isArray(v)) throw configError(name, 'must be an array of integers');
  v.forEach((x) => int(name, x));
  return v;
}

/** A string (used for secrets too: the value is never shown). */
function str(name, v) {
  if (typeof v !== 'string') throw configError(name, 'must be a string');
  return v;
}

/** An entity object (or an array of them with `many`) as JSON text. */
function json(name, v, many = false) {
  const ok = many ? Array.isArray(v) : v !== null && typeof v === 'object' && !Array.isArray(v);
  if (!ok) throw configError(name, many ? 'must be an array of objects' : 'must be an object');
  return JSON.stringify(v);
}

/** `{ select?, includeDeleted? }` as JSON text, or undefined. */
function listOptions(v) {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object') throw configError('options', 'must be an object');
  return JSON.stringify(v);
}

/** `'any'` (`If-Match: -1`) or a revision number. */
function ifMatch(v) {
  if (v === 'any') return -1;
  if (Number.isSafeInteger(v) && v >= 0) return v;
  throw configError('ifMatch', "must be 'any' or a revision number (the `revision` of an earlier read)");
}

/**
 * Awaits a native call, parses its JSON result and turns a native rejection
 * into the matching `LpError` subclass. Being `async`, it keeps the caller in
 * the error's async stack trace.
 */
async function call(promise) {
  let text;
  try {
    text = await promise;
  } catch (e) {
    throw fromNative(e);
  }
  return JSON.parse(text);
}

// The completion channel of the hot calls (bindings/node/src/completions.rs):
// a call names a token, its result comes back in a batch with others, parsed
// with one `JSON.parse`, and settles the Promise `submit` made for it.
let completions;
const pending = new Map();
let nextToken = 0;
// A ref'd timer keeps the process alive while a call is pending, as napi's own
// per-call threadsafe function did (the channel's is weak).
let keepAlive;

function onReady() {
  const batch = JSON.parse(completions.take());
  for (let i = 0; i < batch.length; i++) {
    const [token, ok, value] = batch[i];
    const settle = pending.get(token);
    if (settle === undefined) continue;
    pending.delete(token);
    if (ok === 1) settle.resolve(value);
    // The same rejection napi gives a failed `async fn`: an Error whose message is the payload.
    else settle.reject(Object.assign(new Error(value), { code: 'GenericFailure' }));
  }
  if (pending.size === 0) keepAlive.unref();
}

/**
 * Starts a native call that delivers through the completion channel:
 * `start(channel, token)`; resolves to its parsed result or rejects with the
 * raw native error (map it with `fromNative`).
 */
function submit(start) {
  if (completions === undefined) {
    completions = new native.NativeCompletions(onReady);
    keepAlive = setInterval(() => {}, 0x7fffffff);
    keepAlive.unref();
  }
  nextToken = (nextToken + 1) >>> 0;
  const token = nextToken;
  start(completions, token);
  if (pending.size === 0) keepAlive.ref();
  return new Promise((resolve, reject) => {
    pending.set(token, { resolve, reject });
  });
}

/** Runs a synchronous native call, mapping its error. */
function sync(fn) {
  try {
    return fn();
  } catch (e) {
    throw fromNative(e);
  }
}

module.exports = { int, ints, str, json, listOptions, ifMatch, call, submit, sync };
