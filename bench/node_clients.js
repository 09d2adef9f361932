'use strict';
// Node side of bench/run.sh: the lpconfig addon against `fetch` and
// `undici.request` doing the same requests (same route, query and Login Service
// bearer) against one release emulator in another process. A warm-up round,
// then ROUNDS rounds in which the clients take turns (order flipped every
// round). Prints one JSON object per line: {bench, client, unit, samples}.
// Not part of the test suite. Usage: node bench/node_clients.js --url URL [--rounds N]

const path = require('node:path');
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : process.argv[i + 1];
};
const URL_ = arg('url');
const ACCOUNT = arg('account', 'demo');
const USER = arg('user', 'admin');
const PASSWORD = arg('password', 'demo-password-1');
const ROUNDS = Number(arg('rounds', '5'));
const SEQ = Number(arg('gets', '2000'));
const WIDTH = Number(arg('in-flight', '500'));
const PER = Number(arg('per-worker', '4'));
const JANE = 4052816612;

const { Client, Credentials } = require(arg('lpconfig', path.join(__dirname, '..', 'node')));
const undici = require(path.join(__dirname, 'node_modules', 'undici'));

async function main() {
  const login = await fetch(`${URL_}/api/account/${ACCOUNT}/login?v=1.3`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USER, password: PASSWORD }),
  });
  const { bearer } = await login.json();
  const headers = { authorization: `Bearer ${bearer}`, accept: 'application/json' };
  const url = `${URL_}/api/account/${ACCOUNT}/configuration/le-users/users/${JANE}?v=4.0&select=$all`;
  const lp = new Client({ account: ACCOUNT, csdsUrl: URL_, credentials: Credentials.password(USER, PASSWORD) });
  const dispatcher = new undici.Agent({ connections: WIDTH });

  const clients = {
    lpconfig: () => lp.users.get(JANE),
    'undici.request': async () => {
      const res = await undici.request(url, { headers, dispatcher });
      if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
      return { value: await res.body.json(), revision: Number(res.headers['ac-revision']) };
    },
    fetch: async () => {
      const res = await fetch(url, { headers });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return { value: await res.json(), revision: Number(res.headers.get('ac-revision')) };
    },
  };
  const a = await clients.lpconfig();
  const b = await clients['undici.request']();
  if (a.value.loginName !== b.value.loginName) throw new Error('the clients disagree');

  const seq = async (fn) => {
    const t = process.hrtime.bigint();
    for (let i = 0; i < SEQ; i++) await fn();
    return SEQ / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  const conc = async (fn) => {
    const t = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: WIDTH }, async () => {
        for (let i = 0; i < PER; i++) await fn();
      }),
    );
    return (WIDTH * PER) / (Number(process.hrtime.bigint() - t) / 1e9);
  };
  for (const [bench, how] of [
    [`node sequential get x${SEQ}`, seq],
    [`node get, ${WIDTH} in flight`, conc],
  ]) {
    const names = Object.keys(clients);
    for (const n of names) await how(clients[n]);
    const samples = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const n of r % 2 === 0 ? names : [...names].reverse()) samples[n].push(await how(clients[n]));
    }
    for (const n of names) console.log(JSON.stringify({ bench, client: n, unit: 'calls/s', samples: samples[n] }));
  }
  await lp.close();
  await dispatcher.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
