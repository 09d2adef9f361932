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
// The emulator's pid (optional): its CPU per call is reported beside the clients'.
const EMU_PID = arg('emu-pid');

const { Client, Credentials } = require(arg('lpconfig', path.join(__dirname, '..', 'node')));
const undici = require(path.join(__dirname, 'node_modules', 'undici'));

// CPU time of every thread of the emulator so far, in ns (schedstat: exact,
// where /proc/PID/stat counts in 10 ms ticks).
function emulatorCpuNs() {
  if (EMU_PID === undefined) return undefined;
  const fs = require('node:fs');
  try {
    let ns = 0;
    for (const t of fs.readdirSync(`/proc/${EMU_PID}/task`)) {
      ns += Number(fs.readFileSync(`/proc/${EMU_PID}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
    }
    return ns;
  } catch {
    return undefined;
  }
}

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

  // One round: `calls` calls made by `drive`; the rate, and the CPU per call of
  // this process (the client) and of the emulator, in µs.
  const measure = async (calls, drive) => {
    const cpu0 = process.cpuUsage();
    const emu0 = emulatorCpuNs();
    const t = process.hrtime.bigint();
    await drive();
    const secs = Number(process.hrtime.bigint() - t) / 1e9;
    const cpu = process.cpuUsage(cpu0);
    const emu1 = emulatorCpuNs();
    return {
      rate: calls / secs,
      cpu: (cpu.user + cpu.system) / calls,
      emu: emu0 === undefined || emu1 === undefined ? undefined : (emu1 - emu0) / 1e3 / calls,
    };
  };
  const seq = (fn) =>
    measure(SEQ, async () => {
      for (let i = 0; i < SEQ; i++) await fn();
    });
  const conc = (fn) =>
    measure(WIDTH * PER, () =>
      Promise.all(
        Array.from({ length: WIDTH }, async () => {
          for (let i = 0; i < PER; i++) await fn();
        }),
      ),
    );
  for (const [bench, how] of [
    [`node sequential get x${SEQ}`, seq],
    [`node get, ${WIDTH} in flight`, conc],
  ]) {
    const names = Object.keys(clients);
    for (const n of names) await how(clients[n]);
    const rounds = Object.fromEntries(names.map((n) => [n, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const n of r % 2 === 0 ? names : [...names].reverse()) rounds[n].push(await how(clients[n]));
    }
    for (const n of names) {
      const samples = rounds[n].map((x) => x.rate);
      console.log(JSON.stringify({ bench, client: n, unit: 'calls/s', samples }));
    }
    for (const n of names) {
      const samples = rounds[n].map((x) => x.cpu);
      console.log(JSON.stringify({ bench: `${bench}: client CPU per call`, client: n, unit: 'µs/call', samples }));
    }
    const emu = names.flatMap((n) => rounds[n].map((x) => x.emu)).filter((x) => x !== undefined);
    if (emu.length > 0) {
      emu.sort((a, b) => a - b);
      const median = emu[Math.floor(emu.length / 2)];
      console.log(
        JSON.stringify({
          note: `${bench}: the emulator spent ${median.toFixed(0)} µs of CPU per call (median over all clients' rounds)`,
        }),
      );
    }
  }
  await lp.close();
  await dispatcher.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
