'use strict';
// The npm packaging (docs/packaging/node.md): the production addon carries no
// emulator (D23) and the manifest follows the napi-rs platform-package convention.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

test('the production addon does not export the emulator', () => {
  const native = require('../lib/native');
  assert.equal(typeof native.NativeClient, 'function');
  assert.equal(native.NativeEmulator, undefined);
  assert.equal(typeof require('../emulator').NativeEmulator, 'function');
});

test('package.json is publishable with napi-rs platform packages', () => {
  assert.equal(pkg.private, undefined);
  assert.ok(pkg.napi.targets.includes('x86_64-unknown-linux-gnu'));
  assert.ok(!pkg.files.some((f) => f.includes('.node')), 'the addon ships in the platform package');
  assert.deepEqual(pkg.peerDependenciesMeta['lpconfig-emulator'], { optional: true });
  // The loader is napi-rs's: it falls back to the platform package by name.
  assert.match(fs.readFileSync(path.join(root, 'lib', 'native.js'), 'utf8'), /require\('lpconfig-linux-x64-gnu'\)/);
});
