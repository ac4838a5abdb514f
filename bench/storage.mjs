/**
 * @module
 * Storage off the response path (docs/storage.md), through the real local edge with an injected
 * D1 round trip (`X-DW-D1-Delay`, honoured in local dev only): decide latency as a multiple of
 * that round trip, today's queued path next to the inline path it replaced, in one run; decide
 * throughput next to the static /dw.js (no delay); write lag (answer → event in D1).
 *
 * `node bench/storage.mjs` alone (after `npm run build`), or as a section of `npm run bench`.
 * RTT_MS (default 50), BENCH_SECONDS (default 3), BENCH_CONCURRENCY (default 16).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { startLocalEdge } from '../scripts/local-edge.mjs';
import { hammer, percentiles } from './load.mjs';

const RTT = Number(process.env.RTT_MS ?? 50);
const DURATION = Number(process.env.BENCH_SECONDS ?? 3) * 1000;
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SAMPLES = Number(process.env.STORAGE_SAMPLES ?? 60);

/** Runs the measurements and returns tables `{ title, head, rows }`. */
export async function benchStorage() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-storage-'));
  const edge = await startLocalEdge({ persistTo: dir });
  let seq = 0;
  const id = (p) => `${p}-${process.pid}-${(seq++).toString(36)}`.padEnd(20, 'x');
  const page = () => ({ id: id('e'), type: 'page_view', props: { category: 'blog' } });
  const decide = (visitorId, events, headers = {}) =>
    fetch(`${edge.url}/v1/decide`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...headers },
      body: JSON.stringify({ visitorId, slots: ['hero', 'cta'], events }),
    });
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
  const latency = {
    title: `Decide latency with an injected D1 round trip (RTT = ${RTT} ms per call, ${SAMPLES} sequential requests each)`,
    head: ['visitor', 'path', 'p50', 'p99', 'p50 / RTT'],
    rows: [],
  };
  const throughput = {
    title: `Decide throughput, no injected delay (${CONCURRENCY} clients, ${DURATION / 1000} s each, same edge)`,
    head: ['request', 'req/s', 'p50', 'p99', '× /dw.js'],
    rows: [],
  };
  const lag = {
    title: 'Write lag: decide answered → its event readable in D1 (queued path, local queue)',
    head: ['samples', 'p50', 'p95', 'max'],
    rows: [],
  };
  try {
    for (let i = 0; i < 10; i++) await (await decide(id('warm'), [page()])).arrayBuffer();
    for (const [name, headers] of Object.entries(paths)) {
      const first = await timed(() => decide(id(`first-${name}`), [page()], delayed(headers)));
      latency.rows.push([
        'first-time',
        name,
        `${first.p50.toFixed(1)} ms`,
        `${first.p99.toFixed(1)} ms`,
        `${(first.p50 / RTT).toFixed(2)} ×`,
      ]);
      const returning = id(`ret-${name}`);
      await (await decide(returning, [page()], headers)).arrayBuffer();
      await new Promise((r) => setTimeout(r, 1500)); // its first page is in D1
      const again = await timed(() => decide(returning, [page()], delayed(headers)));
      latency.rows.push([
        'returning',
        name,
        `${again.p50.toFixed(1)} ms`,
        `${again.p99.toFixed(1)} ms`,
        `${(again.p50 / RTT).toFixed(2)} ×`,
      ]);
    }
    const stat = await hammer({ durationMs: DURATION, concurrency: CONCURRENCY, request: () => fetch(`${edge.url}/dw.js`) });
    throughput.rows.push(['GET /dw.js (static)', stat.rps.toFixed(0), `${stat.p50.toFixed(1)} ms`, `${stat.p99.toFixed(1)} ms`, '1.00']);
    for (const [name, headers] of Object.entries(paths)) {
      const r = await hammer({
        durationMs: DURATION,
        concurrency: CONCURRENCY,
        request: (i) => decide(`tp-${name}-${i % 2000}`.padEnd(20, 'x'), [page()], headers),
      });
      throughput.rows.push([
        `POST /v1/decide (${name})`,
        r.rps.toFixed(0),
        `${r.p50.toFixed(1)} ms`,
        `${r.p99.toFixed(1)} ms`,
        (r.rps / stat.rps).toFixed(2),
      ]);
    }
    // Write lag: a download (30 points) makes the score non-zero once it is in D1.
    await new Promise((r) => setTimeout(r, 2000));
    const lags = [];
    for (let i = 0; i < 20; i++) {
      const v = id('lag');
      const res = await decide(v, [{ id: id('dl'), type: 'download', props: { asset: 'a', kind: 'whitepaper' } }]);
      await res.arrayBuffer();
      const t0 = performance.now();
      for (;;) {
        const s = await fetch(`${edge.url}/api/visitors/${v}`, { headers: { authorization: 'Bearer dev-admin-token' } });
        if (s.status === 200 && (await s.json()).score > 0) break;
        await s.arrayBuffer().catch(() => {});
        if (performance.now() - t0 > 30_000) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      lags.push(performance.now() - t0);
    }
    const sorted = [...lags].sort((a, b) => a - b);
    const q = (x) => sorted[Math.min(sorted.length - 1, Math.floor(x * sorted.length))];
    lag.rows.push([String(lags.length), `${q(0.5).toFixed(0)} ms`, `${q(0.95).toFixed(0)} ms`, `${sorted.at(-1).toFixed(0)} ms`]);
  } finally {
    await edge.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return [latency, throughput, lag];
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
