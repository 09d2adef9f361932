'use strict';
// Loads the addon built by `npm run build` (napi-rs) from the package root.

const path = require('node:path');

let native;
try {
  native = require(path.join(__dirname, '..', 'lpconfig.node'));
} catch (e) {
  const hint = new Error(
    "lpconfig: the native addon 'lpconfig.node' is missing or cannot load. " +
      "Build it for this machine with 'npm run build' in the package folder (needs Rust).",
  );
  hint.cause = e;
  throw hint;
}

module.exports = native;
