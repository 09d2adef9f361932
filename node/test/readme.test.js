'use strict';
// Docs that run: every ```ts block of the READMEs (README.md, node/README.md)
// is type-checked with `tsc --strict` and then run (against the in-process
// emulator it starts itself). scripts/readme_blocks.py finds the blocks and
// fails on any block that is neither run by a test nor marked as not run.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const pkg = path.join(__dirname, '..');
const root = path.join(pkg, '..');
// Inside the package, so `import 'lpconfig'` resolves to this package (self-reference).
const work = path.join(pkg, '.readme');

test('every README code block is run by a test or marked not run', () => {
  const out = spawnSync('python3', [path.join(root, 'scripts', 'readme_blocks.py'), 'check'], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stdout + out.stderr);
});

test('the TypeScript README blocks compile under tsc --strict and run', () => {
  fs.rmSync(work, { recursive: true, force: true });
  const src = path.join(work, 'src');
  const files = execFileSync('python3', [path.join(root, 'scripts', 'readme_blocks.py'), 'extract', 'ts', src], {
    encoding: 'utf8',
  })
    .split('\n')
    .filter(Boolean);
  assert.ok(files.length >= 3, `found ${files.length} ts blocks`);
  const tsc = spawnSync(
    path.join(pkg, 'node_modules', '.bin', 'tsc'),
    ['--strict', '--target', 'ES2022', '--module', 'node16', '--moduleResolution', 'node16', '--types', 'node',
      '--noUnusedLocals', '--rootDir', pkg, '--outDir', path.join(work, 'out'), ...files],
    { encoding: 'utf8', cwd: pkg },
  );
  assert.equal(tsc.status, 0, `tsc --strict:\n${tsc.stdout}${tsc.stderr}`);
  for (const file of files) {
    const js = path.join(work, 'out', '.readme', 'src', path.basename(file).replace(/\.mts$/, '.mjs'));
    const run = spawnSync(process.execPath, [js], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(run.status, 0, `${path.basename(file)} exited ${run.status}:\n${run.stdout}${run.stderr}`);
  }
});
