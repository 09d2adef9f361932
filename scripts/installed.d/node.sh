#!/usr/bin/env bash
# The npm tarballs of dist/node installed the way a user installs them: into an empty project
# outside the repository, offline (every package comes from dist/), with no cargo or rustc on
# PATH. Then CJS `require`, ESM `import`, a TypeScript file under `tsc --strict`, and a smoke run
# against the emulator (lpconfig/testing + lpconfig-emulator). Also checks that the production
# addon does not carry the emulator (D23) and prints sizes and timings.
set -euo pipefail
cd "$(dirname "$0")/../.."
root="$PWD"
dist="$root/dist/node"
version=$(node -p "require('./node/package.json').version")
main="$dist/lpconfig-$version.tgz"
platform="$dist/lpconfig-linux-x64-gnu-$version.tgz"
emulator="$dist/lpconfig-emulator-$version.tgz"
emulator_platform="$dist/lpconfig-emulator-linux-x64-gnu-$version.tgz"
for f in "$main" "$platform" "$emulator" "$emulator_platform"; do
  [ -f "$f" ] || { echo "node: missing $f (bash scripts/dist.sh)"; echo "node-installed: 0 passed, 1 failed"; exit 1; }
done

source "$root/scripts/without-rust.sh"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
passed=0 failed=0
check() { # name, command...
  local name=$1; shift
  if "$@"; then echo "ok - $name"; passed=$((passed + 1)); else echo "not ok - $name"; failed=$((failed + 1)); fi
}

echo '{ "name": "lpconfig-installed-check", "version": "1.0.0", "private": true }' > package.json
t0=$(date +%s%N)
npm install --offline --no-audit --no-fund --loglevel=error "$main" "$platform" >/dev/null
t1=$(date +%s%N)
npm install --offline --no-audit --no-fund --loglevel=error --save-dev "$emulator" "$emulator_platform" >/dev/null
t2=$(date +%s%N)

cat > smoke.cjs <<'JS'
const { Client, NotFoundError } = require('lpconfig');
const { Emulator } = require('lpconfig/testing');
(async () => {
  const emu = await Emulator.start();
  const client = new Client(emu.clientOptions());
  try {
    const { value: users, revision } = await client.users.list();
    if (!users.some((u) => u.loginName === 'jane.doe')) throw new Error('no jane.doe');
    if (typeof revision !== 'number') throw new Error(`revision: ${revision}`);
    await client.users.get(987654321).then(
      () => { throw new Error('a missing user was found'); },
      (e) => { if (!(e instanceof NotFoundError)) throw e; },
    );
    if (!emu.requestLog().some((r) => r.path.endsWith('/users'))) throw new Error('the emulator saw no list');
    console.log(`cjs smoke: ${users.length} users`);
  } finally {
    await client.close();
    await emu.stop();
  }
})().catch((e) => { console.error(e); process.exit(1); });
JS
cat > smoke.mjs <<'JS'
import { Client, Credentials, LpError } from 'lpconfig';
import { Emulator } from 'lpconfig/testing';
if (typeof Client !== 'function' || typeof Credentials.password !== 'function') throw new Error('ESM exports');
if (!(new (class extends LpError {})('x') instanceof Error)) throw new Error('LpError');
const emu = await Emulator.start();
const client = new Client(emu.clientOptions());
const jane = await client.users.findByLoginName('jane.doe');
await client.close();
await emu.stop();
if (jane === null) throw new Error('no jane.doe');
console.log('esm smoke: ok');
JS
cat > smoke.ts <<'TS'
import { Client, ConflictError, type User } from 'lpconfig';
import { Emulator } from 'lpconfig/testing';

export async function firstLogin(): Promise<string | undefined> {
  const emu = await Emulator.start();
  const client = new Client(emu.clientOptions());
  try {
    const users: User[] = (await client.users.list()).value;
    return users[0]?.loginName ?? undefined;
  } catch (e: unknown) {
    if (e instanceof ConflictError) return e.detail;
    throw e;
  } finally {
    await client.close();
    await emu.stop();
  }
}
TS
# The repository's TypeScript and @types/node (no download); lpconfig's types come from the install.
cat > tsconfig.json <<JSON
{ "compilerOptions": { "strict": true, "noEmit": true, "target": "ES2022", "module": "node16",
  "moduleResolution": "node16", "types": ["node"], "typeRoots": ["$root/node/node_modules/@types"],
  "skipLibCheck": false }, "files": ["smoke.ts"] }
JSON

check "CJS require + smoke against the emulator" node smoke.cjs
check "ESM import + smoke against the emulator" node smoke.mjs
check "TypeScript under tsc --strict" node "$root/node/node_modules/typescript/bin/tsc" -p tsconfig.json
addon=node_modules/lpconfig-linux-x64-gnu/lpconfig.linux-x64-gnu.node
no_emulator() { ! grep -qa -e 'lpconfig-emulator' -e 'axum' "$addon"; }
check "the production addon does not link the emulator (D23)" no_emulator
check "the platform package holds the addon" test -f "$addon"
check "the addon needs glibc 2.17 at most" bash "$root/scripts/glibc-floor.sh" "$addon"
t3=$(date +%s%N)
node -e "require('lpconfig')"
t4=$(date +%s%N)
node -e "0"
t5=$(date +%s%N)

size() { stat -c %s "$1"; }
echo "figures: npm tarballs lpconfig $(size "$main") B, lpconfig-linux-x64-gnu $(size "$platform") B," \
  "lpconfig-emulator-linux-x64-gnu $(size "$emulator_platform") B"
echo "figures: install lpconfig+platform $(((t1 - t0) / 1000000)) ms, lpconfig-emulator $(((t2 - t1) / 1000000)) ms;" \
  "node -e \"require('lpconfig')\" $(((t4 - t3) / 1000000)) ms (bare node -e: $(((t5 - t4) / 1000000)) ms)"
echo "node-installed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
