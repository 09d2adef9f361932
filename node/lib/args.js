'use strict';
// Argument shapes checked before crossing into the addon, so that a wrong type
// fails as a `ConfigError` naming the argument and never echoes its value
// (napi's own conversion messages quote values, which may be secrets).

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

/** Runs a synchronous native call, mapping its error. */
function sync(fn) {
  try {
    return fn();
  } catch (e) {
    throw fromNative(e);
  }
}

module.exports = { int, ints, str, json, listOptions, ifMatch, call, sync };
