/**
 * @module
 * A webhook receiver for trying alerts locally, and the real HTTP receiver of the alert tests
 * and the bench. It verifies Standard Webhooks signatures with its own implementation (Node's
 * crypto, written from the specification, sharing no code with the worker's signer).
 *
 *   WEBHOOK_SECRET=whsec_… node scripts/webhook-receiver.mjs [--port 8900]
 *   → point an alert at http://127.0.0.1:8900/hooks/sales and watch messages arrive, verified.
 *
 * As a module (`startReceiver()`), it is scripted over HTTP, so workerd tests can drive it:
 * - `POST /hooks/<name>`: a webhook. Answers the next scripted response for `<name>` (default 200).
 * - `PUT /__script/<name>` `{secret?, responses?: [{status, body?, delayMs?, headers?}]}`.
 * - `GET /__log/<name>` → what `<name>` received; `DELETE /__log/<name>` forgets it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

/** Signatures older or newer than this are refused (the specification's replay window). */
export const TOLERANCE_S = 5 * 60;

/**
 * Verifies a Standard Webhooks request. Returns null when valid, else why not.
 * @param {string} secret `whsec_<base64>`
 * @param {Record<string, string | string[] | undefined>} headers lower-case names
 * @param {string} body the raw body, exactly as received
 * @param {number} [nowS]
 */
export function verifyStandardWebhook(secret, headers, body, nowS = Math.floor(Date.now() / 1000)) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sigs !== 'string') return 'missing headers';
  if (!/^\d+$/.test(ts)) return 'bad timestamp';
  if (Math.abs(nowS - Number(ts)) > TOLERANCE_S) return 'timestamp outside the tolerance';
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
  for (const part of sigs.split(' ')) {
    const [version, b64] = part.split(',');
    if (version !== 'v1' || !b64) continue;
    const given = Buffer.from(b64, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  }
  return 'no matching signature';
}

const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/**
 * @param {{port?: number, host?: string, onMessage?: (name: string, entry: object) => void}} [opts]
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function startReceiver({ port = 0, host = '127.0.0.1', onMessage } = {}) {
  /** @type {Map<string, {secret?: string, responses: object[], log: object[]}>} */
  const hooks = new Map();
  const hook = (name) => {
    if (!hooks.has(name)) hooks.set(name, { secret: process.env.WEBHOOK_SECRET, responses: [], log: [] });
    return hooks.get(name);
  };
  const sockets = new Set();
  const server = createServer(async (req, res) => {
    const arrivedAt = Date.now();
    const url = new URL(req.url ?? '/', 'http://receiver');
    const [, kind, ...rest] = url.pathname.split('/');
    const name = decodeURIComponent(rest.join('/'));
    const json = (status, value) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    const noContent = () => {
      res.writeHead(204);
      res.end();
    };
    try {
      if (kind === '__script' && req.method === 'PUT') {
        const spec = JSON.parse(await readBody(req));
        const h = hook(name);
        if (spec.secret !== undefined) h.secret = spec.secret;
        h.responses = spec.responses ?? [];
        return noContent();
      }
      if (kind === '__log' && req.method === 'GET') return json(200, hook(name).log);
      if (kind === '__log' && req.method === 'DELETE') {
        hook(name).log = [];
        return noContent();
      }
      if (kind === 'hooks' && req.method === 'POST') {
        const h = hook(name);
        const body = await readBody(req);
        const headers = req.headers;
        let parsed = null;
        try {
          parsed = JSON.parse(body);
        } catch {}
        const next = h.responses.shift() ?? { status: 200, body: 'ok' };
        const entry = {
          arrivedAt,
          id: headers['webhook-id'] ?? null,
          timestamp: headers['webhook-timestamp'] ?? null,
          signature: headers['webhook-signature'] ?? null,
          contentType: headers['content-type'] ?? null,
          userAgent: headers['user-agent'] ?? null,
          verified: h.secret ? verifyStandardWebhook(h.secret, headers, body) === null : null,
          verifyError: h.secret ? verifyStandardWebhook(h.secret, headers, body) : 'no secret registered',
          raw: body,
          body: parsed,
          answered: next.status,
        };
        h.log.push(entry);
        onMessage?.(name, entry);
        if (next.delayMs) await new Promise((r) => setTimeout(r, next.delayMs));
        res.writeHead(next.status, { 'content-type': 'text/plain; charset=utf-8', ...(next.headers ?? {}) });
        return res.end(next.body ?? '');
      }
      json(404, { error: 'not found' });
    } catch (err) {
      json(500, { error: String(err) });
    }
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise((resolve) => server.listen(port, host, resolve));
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--port');
  const port = i > 0 ? Number(process.argv[i + 1]) : 8900;
  if (!process.env.WEBHOOK_SECRET) console.log('No WEBHOOK_SECRET set: signatures are shown but not verified.');
  const r = await startReceiver({
    port,
    onMessage: (name, e) => {
      const check = e.verified === null ? 'unverified' : e.verified ? 'signature OK' : `signature BAD (${e.verifyError})`;
      console.log(`[${new Date(e.arrivedAt).toISOString()}] /hooks/${name} ${e.id ?? '(no webhook-id)'} ${check}`);
      console.log(`  ${e.body?.summary ?? e.body?.text ?? e.raw.slice(0, 200)}`);
    },
  });
  console.log(`Receiving at ${r.url}/hooks/<name>`);
}
