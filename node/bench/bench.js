'use strict';
// Benchmark: the addon against plain `fetch` (undici) doing the same calls
// against the same in-process emulator, measured in one run; prints ratios.
// Not run in CI. Usage: `npm run build && node bench/bench.js [--quick]`.
//
// Fairness: both sides authenticate the same way (a Login Service bearer from
// a password login, done once), resolve the account-config host once through
// CSDS, send the same `GET .../users/{id}?v=4.0&select=$all`, and hand back
// parsed plain objects (`await res.json()` for fetch). lpconfig additionally
// checks status, revision and the entity shape, as it always does.

const { execFileSync } = require('node:child_process');
const path = require('node:path');
const { Client } = require('..');
const { Emulator } = require('../testing');

const QUICK = process.argv.includes('--quick');
const SEQ_GETS = QUICK ? 300 : 2000;
const SEQ_LISTS = QUICK ? 100 : 500;
const CONCURRENT = 500;
const ROUNDS = QUICK ? 3 : 8;
const IDS = Array.from({ length: 20 }, (_, n) => 4052816112 + 100 * n);

/** A minimal fetch client: what a script without lpconfig would write. */
async function fetchClient(emu) {
  const { username, password } = emu.seedCredentials('password');
  const base = emu.url;
  const login = await fetch(`${base}/api/account/${emu.account}/login?v=1.3`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const { bearer } = await login.json();
  const csds = await fetch(`${base}/api/account/${emu.account}/service/accountConfigReadOnly/baseURI.json?version=1.0`);
  const { baseURI } = await csds.json();
  const root = `http://${baseURI}/api/account/${emu.account}/configuration/le-users`;
  const headers = { authorization: `Bearer ${bearer}`, accept: 'application/json' };
  const get = async (p) => {
    const res = await fetch(`${root}/${p}${p.includes('?') ? '&' : '?'}v=4.0&select=$all`, { headers });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return { value: await res.json(), revision: Number(res.headers.get('ac-revision')) };
  };
  return { getUser: (id) => get(`users/${id}`), listUsers: () => get('users') };
}

async function timeSequential(n, fn) {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn(i);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return n / s;
}

async function timeConcurrent(rounds, width, fn) {
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) {
    await Promise.all(Array.from({ length: width }, (_, i) => fn(i)));
  }
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return (rounds * width) / s;
}

function requireTimes(samples) {
  const root = path.join(__dirname, '..');
  const script =
    "const t=process.hrtime.bigint();require(process.argv[1]);process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))";
  const out = [];
  for (let i = 0; i < samples; i++) out.push(Number(execFileSync(process.execPath, ['-e', script, root])));
  out.sort((a, b) => a - b);
  return { median: out[Math.floor(out.length / 2)], max: out[out.length - 1] };
}

const fmt = (x) => x.toFixed(0).padStart(8);

async function main() {
  const emu = await Emulator.start();
  const client = new Client(emu.clientOptions({ retry: 'none' }));
  await client.login();
  const plain = await fetchClient(emu);
  const lp = {
    getUser: (id) => client.users.get(id),
    listUsers: () => client.users.list(),
  };
  // Both sides must read the same data.
  const [a, b] = [await lp.getUser(IDS[5]), await plain.getUser(IDS[5])];
  if (a.value.loginName !== b.value.loginName) throw new Error('the two clients disagree');

  const rows = [];
  const measure = async (name, run) => {
    await run(plain, true);
    await run(lp, true); // warm-up: connections, JIT
    emu.clearRequestLog();
    const f = await run(plain);
    emu.clearRequestLog();
    const l = await run(lp);
    emu.clearRequestLog();
    rows.push({ name, lpconfig: l, fetch: f, ratio: l / f });
  };
  await measure('sequential users.get (calls/s)', (c, warm) =>
    timeSequential(warm ? 100 : SEQ_GETS, (i) => c.getUser(IDS[i % 20])),
  );
  await measure('sequential users.list, 20 users (calls/s)', (c, warm) =>
    timeSequential(warm ? 30 : SEQ_LISTS, () => c.listUsers()),
  );
  await measure(`${CONCURRENT} concurrent users.get (calls/s)`, (c, warm) =>
    timeConcurrent(warm ? 1 : ROUNDS, CONCURRENT, (i) => c.getUser(IDS[i % 20])),
  );

  await client.close();
  await emu.stop();

  console.log(`lpconfig vs fetch, same emulator, node ${process.version}, ${require('node:os').cpus().length} cpus`);
  console.log(`${'benchmark'.padEnd(44)}${'lpconfig'.padStart(8)}  ${'fetch'.padStart(8)}  ratio`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(44)}${fmt(r.lpconfig)}  ${fmt(r.fetch)}  ${r.ratio.toFixed(2)}x`);
  }
  const req = requireTimes(QUICK ? 5 : 11);
  console.log(`require('lpconfig'): median ${req.median.toFixed(1)} ms, max ${req.max.toFixed(1)} ms (target < 50 ms)`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
