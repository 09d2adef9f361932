'use strict';
// lpconfig/testing: the in-process emulator for tests.

module.exports = { Emulator: require('./lib/emulator').Emulator };
