'use strict';
// `caBundle` and `proxy` (docs/network.md) from Node: a local TLS server with
// the static test certificates of `tests/tls` in front of the emulator, and a
// recording proxy on loopback. Both also come from `Client.fromEnv`
// (`LP_CA_BUNDLE`/`SSL_CERT_FILE`, `LP_PROXY`).

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const tls = require('node:tls');
const lp = require('..');
const { Emulator } = require('../testing');

const TLS = path.join(__dirname, '..', '..', 'tests', 'tls');
const CA = path.join(TLS, 'ca.pem');
const OTHER_CA = path.join(TLS, 'other-ca.pem');

/** HTTPS on 127.0.0.1 decrypting each connection and forwarding it to `backendPort`. */
function tlsFront(backendPort) {
  const front = { handshakes: 0 };
  front.server = tls.createServer(
    { cert: fs.readFileSync(path.join(TLS, 'server.pem')), key: fs.readFileSync(path.join(TLS, 'server-key.pem')) },
    (socket) => {
      front.handshakes += 1;
      const plain = net.connect(backendPort, '127.0.0.1');
      socket.pipe(plain).pipe(socket);
      socket.on('error', () => plain.destroy());
      plain.on('error', () => socket.destroy());
    },
  );
  front.server.on('tlsClientError', () => {}); // the client refused our certificate
  return new Promise((resolve) => front.server.listen(0, '127.0.0.1', () => resolve(front)));
}

/** An HTTP proxy on 127.0.0.1 recording each request line and answering 502. */
function recordingProxy() {
  const proxy = { lines: [] };
  proxy.server = net.createServer((socket) => {
    let head = '';
    socket.on('data', (chunk) => {
      head += chunk.toString('latin1');
      if (head.includes('\r\n\r\n')) {
        proxy.lines.push(head.split('\r\n')[0]);
        socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
      }
    });
    socket.on('error', () => {});
  });
  return new Promise((resolve) =>
    proxy.server.listen(0, '127.0.0.1', () => {
      proxy.url = `http://127.0.0.1:${proxy.server.address().port}`;
      resolve(proxy);
    }),
  );
}

const ctx = {};
before(async () => {
  ctx.emu = await Emulator.start();
  ctx.front = await tlsFront(Number(new URL(ctx.emu.url).port));
  ctx.proxy = await recordingProxy();
});
after(async () => {
  ctx.front.server.close();
  ctx.proxy.server.close();
  await ctx.emu.stop();
});

const options = (extra) => ({ ...ctx.emu.clientOptions({ retry: 'none', proxy: 'none' }), ...extra });
const tlsUrl = () => `https://localhost:${ctx.front.server.address().port}`;

test('the right caBundle is trusted', async () => {
  const before = ctx.front.handshakes;
  const client = new lp.Client(options({ csdsUrl: tlsUrl(), caBundle: CA }));
  const users = await client.users.list();
  assert.equal(users.value.length, 20);
  await client.close();
  assert.ok(ctx.front.handshakes > before, 'CSDS went over TLS');
});

for (const [label, caBundle] of [['no', undefined], ['a wrong', OTHER_CA]]) {
  test(`${label} caBundle fails at once with the typed error naming the fix`, async () => {
    const before = ctx.front.handshakes;
    // Retries on (fast): a certificate error must still be sent only once.
    const client = new lp.Client(
      options({ csdsUrl: tlsUrl(), caBundle, retry: undefined, retryDelaysMs: [1, 1, 1] }),
    );
    await assert.rejects(client.users.list(), (e) => {
      assert.ok(e instanceof lp.TransportError, String(e));
      assert.equal(e.attempts, 1);
      for (const needed of ['not trusted', 'ca_bundle', 'LP_CA_BUNDLE', 'SSL_CERT_FILE']) {
        assert.ok(e.message.includes(needed), `${needed} missing from ${e.message}`);
      }
      return true;
    });
    assert.equal(ctx.front.handshakes, before);
  });
}

test('bad caBundle and proxy values are config errors naming them', () => {
  const bearer = { account: 'demo', credentials: lp.Credentials.bearer('t') };
  assert.throws(() => new lp.Client({ ...bearer, caBundle: '/nonexistent/corp-ca.pem' }), (e) => {
    return e instanceof lp.ConfigError && e.field === 'ca_bundle';
  });
  assert.throws(() => new lp.Client({ ...bearer, proxy: 'proxy.corp:3128' }), (e) => {
    return e instanceof lp.ConfigError && e.field === 'proxy';
  });
});

test('a proxied host gets only a CONNECT, loopback goes direct', async () => {
  ctx.proxy.lines.length = 0;
  const client = new lp.Client(options({ csdsUrl: 'https://lp.test', proxy: ctx.proxy.url }));
  await assert.rejects(client.users.list(), (e) => e instanceof lp.TransportError);
  assert.deepEqual(ctx.proxy.lines, ['CONNECT lp.test:443 HTTP/1.1']);
  const direct = new lp.Client(options({ proxy: ctx.proxy.url }));
  assert.ok((await direct.users.list()).value.length > 0);
  await direct.close();
  assert.equal(ctx.proxy.lines.length, 1, 'the emulator on loopback is never proxied');
});

test('fromEnv reads the CA bundle, the proxy and the timing', async () => {
  const env = { LP_ACCOUNT: ctx.emu.account, LP_USERNAME: 'admin', LP_PASSWORD: 'demo-password-1' };
  const viaTls = { ...env, LP_CSDS_URL: tlsUrl(), LP_PROXY: 'none', LP_RETRY_DELAYS: 'none' };
  const ok = lp.Client.fromEnv({}, { ...viaTls, SSL_CERT_FILE: CA });
  assert.ok((await ok.users.list()).value.length > 0);
  await ok.close();
  const wrong = lp.Client.fromEnv({}, { ...viaTls, LP_CA_BUNDLE: OTHER_CA, SSL_CERT_FILE: CA });
  await assert.rejects(wrong.users.list(), (e) => e instanceof lp.TransportError);
  ctx.proxy.lines.length = 0;
  const proxied = lp.Client.fromEnv({}, { ...env, LP_CSDS_URL: 'https://lp.test', LP_PROXY: ctx.proxy.url, LP_RETRY_DELAYS: 'none' });
  await assert.rejects(proxied.users.list(), (e) => e instanceof lp.TransportError);
  assert.deepEqual(ctx.proxy.lines, ['CONNECT lp.test:443 HTTP/1.1']);
});
