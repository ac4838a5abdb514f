/**
 * @module
 * Storage off the response path (docs/storage.md), through the real local edge with an injected
 * D1 round trip (`X-DW-D1-Delay`, honoured in local dev only): decide latency as a multiple of
 * that round trip, the queued path (with and without the profile token, a first page with and
 * without an id the worker makes) next to the inline path it replaced, in one run; decide
 * throughput next to the static /dw.js (no delay) — with the queue consumer's work after the
 * window, and in it (steady state) —; write lag (answer → event in D1).
 * Every table twice, in one run: under `wrangler dev` (what `npm start` runs; its ProxyWorker, a
 * second workerd, sits in front of the worker) and in workerd directly through Miniflare's API
 * (bench/workerd-direct.mjs: no dev proxy, as in production; the same wrangler.toml, `.dev.vars`
 * with LOCAL_DEV, so the injected delay applies, queues with their consumer in the same workerd,
 * assets, and a migrated local D1 with the demo configuration). Each row's ratio is against its
 * own runtime's floor and `/dw.js`.
 *
 * `node bench/storage.mjs` alone (after `npm run build`), or as a section of `npm run bench`.
 * RTT_MS (default 50), STORAGE_SECONDS (default 2: per request kind and runtime; two runtimes keep
 * the section near 2.5 min), BENCH_CONCURRENCY (default 16),
 * STORAGE_RUNTIMES (default `wrangler dev,workerd`: which runtimes, in this order).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareDatabase, startLocalEdge } from '../scripts/local-edge.mjs';
import { hammer, percentiles } from './load.mjs';
import { startDirectEdge } from './workerd-direct.mjs';

const RTT = Number(process.env.RTT_MS ?? 50);
const DURATION = Number(process.env.STORAGE_SECONDS ?? 2) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SAMPLES = Number(process.env.STORAGE_SAMPLES ?? 40);
/** Throughput rounds: each request kind runs STORAGE_SECONDS / ROUNDS per round. */
const ROUNDS = Number(process.env.STORAGE_ROUNDS ?? 4);
/** Untimed pause after each queued slice: the local queue delivers within 1 s, then applies the batch. */
const DRAIN_MS = Number(process.env.STORAGE_DRAIN_MS ?? 1500);
/** Write-lag samples per runtime, started LAG_SPACING_MS apart (each polled every 50 ms). */
const LAG_SAMPLES = Number(process.env.STORAGE_LAG_SAMPLES ?? 20);
const LAG_SPACING_MS = 150;
const RUNTIMES = {
  'wrangler dev': (dir) => startLocalEdge({ persistTo: dir }),
  workerd: (dir) => {
    prepareDatabase(dir);
    return startDirectEdge({ persistTo: dir });
  },
};
const RUNTIME_NAMES = (process.env.STORAGE_RUNTIMES ?? 'wrangler dev,workerd').split(',').map((s) => s.trim());

/** Runs the measurements and returns tables `{ title, head, rows }`. */
export async function benchStorage() {
  const latency = {
    title: `Decide latency with an injected D1 round trip (RTT = ${RTT} ms per call, ${SAMPLES} sequential requests each; each runtime's own floor row first)`,
    head: ['runtime', 'visitor', 'path', 'p50', 'p99', 'p50 / RTT', 'profile from'],
    rows: [],
  };
  const throughput = {
    title: `Decide throughput, no injected delay (${CONCURRENCY} clients, ${DURATION / 1000} s each in ${ROUNDS} interleaved rounds, same edge; × the same runtime's /dw.js)`,
    head: ['runtime', 'request', 'req/s', 'p50', 'p99', '× /dw.js'],
    rows: [],
  };
  const lag = {
    title: `Write lag: decide answered → its event readable in D1 (queued path, local queue; samples started ${LAG_SPACING_MS} ms apart, polled every 50 ms)`,
    head: ['runtime', 'samples', 'p50', 'p95', 'max'],
    rows: [],
  };
  const tokenBytes = [];
  const tables = { latency, throughput, lag, tokenBytes };
  for (const runtime of RUNTIME_NAMES) {
    if (!RUNTIMES[runtime]) throw new Error(`STORAGE_RUNTIMES: unknown runtime ${runtime} (${Object.keys(RUNTIMES).join(', ')})`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-storage-'));
    try {
      const edge = await RUNTIMES[runtime](dir);
      try {
        await measure(edge, runtime, tables);
      } finally {
        await edge.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const sizes = [...tokenBytes].sort((a, b) => a - b);
  const size = {
    title: 'Profile token size (demo configuration, the tokens the rows above received)',
    head: ['tokens', 'p50', 'max'],
    rows: [[String(sizes.length), `${sizes[Math.floor(sizes.length / 2)] ?? 0} B`, `${sizes.at(-1) ?? 0} B`]],
  };
  return [latency, throughput, lag, size];
}

let seq = 0;
const id = (p) => `${p}-${process.pid}-${(seq++).toString(36)}`.padEnd(20, 'x');

/** One runtime's rows, added to `tables` (each prefixed with `runtime`). */
async function measure(edge, runtime, { latency, throughput, lag, tokenBytes }) {
  const page = () => ({ id: id('e'), type: 'page_view', props: { category: 'blog' } });
  /** `visitorId` undefined: a first page, whose id the worker makes; `token`: the last answer's. */
  const decide = (visitorId, events, headers = {}, token = undefined) =>
    fetch(`${edge.url}/v1/decide`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...headers },
      body: JSON.stringify({ visitorId, slots: ['hero', 'cta'], events, token }),
    });
  /** Profile tokens by visitor: each decide sends the previous answer's, as the snippet does. */
  const tokens = new Map();
  const chained = async (visitorId, events, headers = {}) => {
    const res = await decide(visitorId, events, headers, tokens.get(visitorId));
    const body = await res.json();
    tokens.set(visitorId, body.token);
    if (body.token) tokenBytes.push(body.token.length);
    return new Response(null, { status: res.status, headers: res.headers });
  };
  /** Where the last answers' profiles came from (X-DW-Profile), per row. */
  const sources = new Map();
  const counted = (row) => async (res) => {
    const src = (await res).headers.get('x-dw-profile') ?? 'inline';
    const m = sources.get(row) ?? new Map();
    m.set(src, (m.get(src) ?? 0) + 1);
    sources.set(row, m);
    return res;
  };
  const sourceText = (row) =>
    [...(sources.get(row) ?? new Map())]
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  const timed = async (make) => {
    const lat = [];
    for (let i = 0; i < SAMPLES; i++) {
      const t0 = performance.now();
      const res = await make(i);
      await res.arrayBuffer();
      lat.push(performance.now() - t0);
    }
    return percentiles(lat);
  };
  const paths = { inline: { 'x-dw-writes': 'inline' }, queued: { 'x-dw-writes': 'queue' } };
  const delayed = (h) => ({ ...h, 'x-dw-d1-delay': String(RTT) });
  {
    for (let i = 0; i < 10; i++) await (await decide(id('warm'), [page()])).arrayBuffer();
    // The same requests must mean the same in both runtimes: the static snippet is served, and the
    // injected delay applies (LOCAL_DEV from .dev.vars), else the rows would compare nothing.
    const dw = await fetch(`${edge.url}/dw.js`);
    if (!dw.ok || !(await dw.text()).length) throw new Error(`${runtime}: GET /dw.js answered ${dw.status}`);
    const t0 = performance.now();
    await (await decide(id('probe'), [page()], { 'x-dw-d1-delay': String(RTT), 'x-dw-writes': 'inline' })).arrayBuffer();
    if (performance.now() - t0 < RTT) throw new Error(`${runtime}: the injected D1 delay did not apply (LOCAL_DEV off?)`);
    const row = (visitor, name, stat) => {
      latency.rows.push([
        runtime,
        visitor,
        name,
        `${stat.p50.toFixed(1)} ms`,
        `${stat.p99.toFixed(1)} ms`,
        `${(stat.p50 / RTT).toFixed(2)} ×`,
        sourceText(`${visitor} ${name}`),
      ]);
    };
    // What this machine adds to any request the worker answers, storage or not: the floor under
    // every row (a path with no D1 call cannot be faster than this).
    row('(floor)', 'GET /healthz, no storage', await timed(() => fetch(`${edge.url}/healthz`)));
    for (const [name, headers] of Object.entries(paths)) {
      const key = `first-time ${name}`;
      row('first-time', name, await timed(() => counted(key)(decide(id(`first-${name}`), [page()], delayed(headers)))));
      // A first page without an id: the worker makes one, under which nothing can exist.
      if (name === 'queued') {
        row(
          'first-time',
          'queued, id made by the worker',
          await timed(() => counted(`first-time queued, id made by the worker`)(decide(undefined, [page()], delayed(headers)))),
        );
        // The snippet's first page: its own id, just made, sent with `new: true` (no read either).
        const snippetFirst = (i) =>
          fetch(`${edge.url}/v1/decide`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain', ...delayed(headers) },
            body: JSON.stringify({ visitorId: id(`new-${i}`), new: true, slots: ['hero', 'cta'], events: [page()] }),
          });
        row(
          'first-time',
          'queued, id made by the snippet (new)',
          await timed((i) => counted('first-time queued, id made by the snippet (new)')(snippetFirst(i))),
        );
      }
      const returning = id(`ret-${name}`);
      await (await decide(returning, [page()], headers)).arrayBuffer();
      await new Promise((r) => setTimeout(r, 1500)); // its first page is in D1
      row('returning', name, await timed(() => counted(`returning ${name}`)(decide(returning, [page()], delayed(headers)))));
      if (name === 'queued') {
        // With the profile token of the previous answer, as the snippet sends it.
        const withToken = id('ret-token');
        await chained(withToken, [page()], headers);
        row(
          'returning',
          'queued + token',
          await timed(() => counted('returning queued + token')(chained(withToken, [page()], delayed(headers)))),
        );
      }
    }
    // Interleaved rounds: on a machine shared with other work the load changes by the second, so
    // every request kind gets a slice of each round instead of one block at its own moment.
    // A queued decide's writes are applied by the queue consumer in the same workerd, about a
    // second later (max_batch_timeout): in a 0.5 s slice they land in the next kind's slice. So
    // each queued slice is followed by an untimed pause in which the queue drains, and these rows
    // measure the decide with its writes applied after the window; the steady-state rows below
    // measure it with the consumer applying the writes in the same window.
    const FIRST_PAGE = 'POST /v1/decide (queued, first page: id made by the snippet)';
    const queuedKinds = new Set(['POST /v1/decide (queued)', 'POST /v1/decide (queued + token)', FIRST_PAGE]);
    const kinds = [
      ['GET /dw.js (static)', () => fetch(`${edge.url}/dw.js`)],
      // The floor of any request the worker itself answers (no D1, no body): what a decide can reach.
      ['GET /healthz (worker, no storage)', () => fetch(`${edge.url}/healthz`)],
      // The floor of any request that reads D1 here: the worker, one `SELECT 1`, nothing else
      // (services/health.ts). Locally that read crosses workerd's D1 service on the edge's thread.
      ['GET /healthz?storage (worker + one D1 read)', () => fetch(`${edge.url}/healthz?storage`)],
      ...Object.entries(paths).map(([name, headers]) => [
        `POST /v1/decide (${name})`,
        (i) => decide(`tp-${name}-${i % 2000}`.padEnd(20, 'x'), [page()], headers),
      ]),
      // Returning visitors with their tokens (200 of them, each request sends its previous answer's).
      ['POST /v1/decide (queued + token)', (i) => chained(`tp-token-${i % 200}`.padEnd(20, 'x'), [page()], paths.queued)],
      // First pages: the snippet's own new id (`new: true`), no read.
      [
        FIRST_PAGE,
        () =>
          fetch(`${edge.url}/v1/decide`, {
            method: 'POST',
            headers: { 'content-type': 'text/plain', ...paths.queued },
            body: JSON.stringify({ visitorId: id('tp-new'), new: true, slots: ['hero', 'cta'], events: [page()] }),
          }),
      ],
    ];
    const totals = new Map(kinds.map(([name]) => [name, { requests: 0, seconds: 0, p50: [], p99: [] }]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, request] of kinds) {
        const r = await hammer({ durationMs: DURATION / ROUNDS, concurrency: CONCURRENCY, request });
        const t = totals.get(name);
        t.requests += r.requests;
        t.seconds += r.requests / r.rps;
        t.p50.push(r.p50);
        t.p99.push(r.p99);
        if (queuedKinds.has(name)) await new Promise((r) => setTimeout(r, DRAIN_MS));
      }
    }
    // Steady state: each measured slice of a queued kind follows 1 s of the same load, so the
    // consumer applies, within the window, batches as fast as the window's decides queue them;
    // a static slice right before each is its reference (the machine's load changes by the second).
    // Each measured slice lasts DURATION (2 s): the consumer takes a batch about once a second
    // (max_batch_timeout), so a 1 s slice held zero, one or two of them by chance.
    // Three rounds: a single round's ratio moves with the machine's load from slice to slice.
    const steady = new Map();
    const STEADY_ROUNDS = 3;
    const STEADY_SLICE_MS = DURATION;
    for (let round = 0; round < STEADY_ROUNDS; round++) {
      for (const [name, request] of kinds.filter(([name]) => queuedKinds.has(name))) {
        const t = steady.get(name) ?? { requests: 0, seconds: 0, staticRequests: 0, staticSeconds: 0, p50: [], p99: [] };
        const s = await hammer({ durationMs: STEADY_SLICE_MS, concurrency: CONCURRENCY, request: kinds[0][1] });
        t.staticRequests += s.requests;
        t.staticSeconds += s.requests / s.rps;
        await hammer({ durationMs: 1000, concurrency: CONCURRENCY, request });
        const r = await hammer({ durationMs: STEADY_SLICE_MS, concurrency: CONCURRENCY, request });
        t.requests += r.requests;
        t.seconds += r.requests / r.rps;
        t.p50.push(r.p50);
        t.p99.push(r.p99);
        steady.set(name, t);
        await new Promise((r) => setTimeout(r, DRAIN_MS));
      }
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const rps = (name) => totals.get(name).requests / totals.get(name).seconds;
    const staticRps = rps(kinds[0][0]);
    for (const [name] of kinds) {
      const t = totals.get(name);
      throughput.rows.push([
        runtime,
        queuedKinds.has(name) ? `${name}, writes applied after the window` : name,
        rps(name).toFixed(0),
        `${median(t.p50).toFixed(1)} ms`,
        `${median(t.p99).toFixed(1)} ms`,
        (rps(name) / staticRps).toFixed(2),
      ]);
    }
    for (const [name, t] of steady) {
      const rate = t.requests / t.seconds;
      const staticNear = t.staticRequests / t.staticSeconds;
      throughput.rows.push([
        runtime,
        `${name}, writes applied in the window (steady state; × its own /dw.js slices, ${staticNear.toFixed(0)} req/s)`,
        rate.toFixed(0),
        `${median(t.p50).toFixed(1)} ms`,
        `${median(t.p99).toFixed(1)} ms`,
        (rate / staticNear).toFixed(2),
      ]);
    }
    // Write lag: a download (30 points) makes the score non-zero once it is in D1. The samples
    // start LAG_SPACING_MS apart and overlap (a few in flight, as a site's visitors would): one
    // after the other they took a second each, the queue's max_batch_timeout.
    await new Promise((r) => setTimeout(r, DRAIN_MS));
    const sample = async () => {
      const v = id('lag');
      const res = await decide(v, [{ id: id('dl'), type: 'download', props: { asset: 'a', kind: 'whitepaper' } }]);
      await res.arrayBuffer();
      const t0 = performance.now();
      for (;;) {
        const s = await fetch(`${edge.url}/api/visitors/${v}`, { headers: { authorization: 'Bearer dev-admin-token' } });
        if (s.status === 200 && (await s.json()).score > 0) break;
        await s.arrayBuffer().catch(() => {});
        if (performance.now() - t0 > 30_000) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return performance.now() - t0;
    };
    const started = [];
    for (let i = 0; i < LAG_SAMPLES; i++) {
      started.push(sample());
      await new Promise((r) => setTimeout(r, LAG_SPACING_MS));
    }
    const lags = await Promise.all(started);
    const sorted = [...lags].sort((a, b) => a - b);
    const q = (x) => sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))];
    lag.rows.push([runtime, String(lags.length), `${q(0.5).toFixed(0)} ms`, `${q(0.95).toFixed(0)} ms`, `${sorted.at(-1).toFixed(0)} ms`]);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const t of await benchStorage()) {
    console.log(`\n**${t.title}**\n\n| ${t.head.join(' | ')} |\n|${t.head.map(() => '---').join('|')}|`);
    for (const r of t.rows) console.log(`| ${r.join(' | ')} |`);
  }
  console.log(
    `\n_${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} cores, \`node bench/storage.mjs\`_`,
  );
}
