/**
 * @module
 * Sales alerts, end to end through the real local edge (wrangler dev → workerd → local D1 →
 * local Queues → the consumer in the same worker) and a real receiver in Node
 * (scripts/webhook-receiver.mjs, which also checks every signature): the time from sending the
 * request whose event makes a member cross the line to the moment the receiver has the alert's
 * request in hand (its first byte), over N members crossing one after another at a steady pace.
 *
 *   node bench/alerts.mjs             # prints a table (ALERTS_N, default 200; ALERTS_GAP_MS, default 50)
 *   import { benchAlerts } from './bench/alerts.mjs'   # rows for bench/run.mjs
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ADMIN = { authorization: 'Bearer dev-admin-token', 'content-type': 'application/json' };
const SERVER = { authorization: 'Bearer dev-server-key', 'content-type': 'application/json' };

function useProjectNode() {
  const bin = path.join(root, 'node_modules', '.bin');
  if (!(process.env.PATH ?? '').split(path.delimiter).includes(bin)) process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
}

const at = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {{ n?: number, gapMs?: number }} [options]
 */
export async function benchAlerts({ n = Number(process.env.ALERTS_N ?? 200), gapMs = Number(process.env.ALERTS_GAP_MS ?? 50) } = {}) {
  useProjectNode();
  const { startLocalEdge } = await import('../scripts/local-edge.mjs');
  const { startReceiver } = await import('../scripts/webhook-receiver.mjs');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dw-bench-alerts-'));
  const [edge, receiver] = await Promise.all([startLocalEdge({ persistTo: dir }), startReceiver()]);
  const arrivals = new Map();
  const receiverLog = async () => await (await fetch(`${receiver.url}/__log/bench`)).json();
  try {
    const res = await fetch(`${edge.url}/api/alerts`, {
      method: 'POST',
      headers: ADMIN,
      body: JSON.stringify({
        name: 'bench: score 40',
        trigger: { type: 'score_reached', score: 40 },
        destination: { url: `${receiver.url}/hooks/bench`, format: 'standard', language: 'ja' },
      }),
    });
    const alert = await res.json();
    if (res.status !== 201) throw new Error(`create alert: ${res.status} ${JSON.stringify(alert)}`);
    await fetch(`${receiver.url}/__script/bench`, { method: 'PUT', body: JSON.stringify({ secret: alert.secret }) });

    // Warm-up: one crossing, so the isolate has its configuration and alert rules.
    await crossing(edge.url, `bench-warm-${Date.now()}`);
    for (let i = 0; i < 100 && (await receiverLog()).length < 1; i++) await sleep(100);

    const sent = new Map();
    const requestMs = [];
    for (let i = 0; i < n; i++) {
      const member = `bench-m-${i}`;
      const t0 = Date.now();
      sent.set(member, t0);
      await crossing(edge.url, member);
      requestMs.push(Date.now() - t0);
      await sleep(gapMs);
    }
    const until = Date.now() + 30_000;
    let log = [];
    while (Date.now() < until) {
      log = await receiverLog();
      if (log.filter((e) => sent.has(e.body?.member?.id)).length >= n) break;
      await sleep(200);
    }
    for (const e of log) {
      const m = e.body?.member?.id;
      if (sent.has(m) && !arrivals.has(m)) arrivals.set(m, { ms: e.arrivedAt - sent.get(m), verified: e.verified });
    }
    // What the delivery log says about the run: retried messages and any not yet delivered.
    const rows = [];
    for (let before = ''; ; ) {
      const page = await (await fetch(`${edge.url}/api/deliveries?alert=${alert.id}&limit=200${before}`, { headers: ADMIN })).json();
      rows.push(...page.items);
      if (page.nextBefore === null) break;
      before = `&before=${page.nextBefore}`;
    }
    const mine = rows.filter((d) => sent.has(d.memberId));
    const fired = new Set(mine.map((d) => d.memberId));
    const neverFired = [...sent.keys()].filter((m) => !fired.has(m));
    const retried = mine.filter((d) => d.attempts > 1);
    const notDelivered = mine.filter((d) => d.status !== 'delivered');
    if (notDelivered.length) {
      // The worker's own account of what went wrong, for whoever reads the table.
      const lines = (edge.output?.() ?? '').split('\n').filter((l) => /alert/i.test(l));
      console.error(lines.slice(-20).join('\n'));
    }
    const why = [...new Set([...retried, ...notDelivered].map((d) => `${d.status}/${d.attempts}/${d.lastError ?? d.lastStatusCode}`))].join(
      ', ',
    );
    const latencies = [...arrivals.values()].map((a) => a.ms).sort((a, b) => a - b);
    requestMs.sort((a, b) => a - b);
    return {
      n,
      gapMs,
      received: arrivals.size,
      verified: [...arrivals.values()].filter((a) => a.verified).length,
      duplicates: log.filter((e) => sent.has(e.body?.member?.id)).length - arrivals.size,
      retried: retried.length,
      notDelivered: notDelivered.length,
      neverFired: neverFired.length,
      why,
      p50: at(latencies, 0.5),
      p95: at(latencies, 0.95),
      max: latencies.at(-1),
      requestP50: at(requestMs, 0.5),
      requestP95: at(requestMs, 0.95),
    };
  } catch (err) {
    await sleep(1000);
    console.error(edge.output?.().slice(-4000));
    throw err;
  } finally {
    await Promise.all([edge.stop(), receiver.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One member's crossing: a form inquiry (50 points) from the site's server. A request the
 * loaded machine drops is sent again: the event id makes the retry a no-op if it was stored.
 */
async function crossing(edgeUrl, memberId) {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await fetch(`${edgeUrl}/v1/server/collect`, {
        method: 'POST',
        headers: SERVER,
        body: JSON.stringify({ memberId, events: [{ id: `inq-${memberId}`, type: 'form_inquiry', props: { form: 'contact' } }] }),
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`collect ${res.status}`);
      return;
    } catch (err) {
      if (attempt >= 3) throw err;
      await sleep(200);
    }
  }
}

/** A markdown table of a run. */
export function alertTable(r) {
  return {
    title: `Alerts: crossing request sent → receiver has the signed alert (${r.n} members crossing ${r.gapMs} ms apart; goal first attempt ≤ 2 s p95)`,
    head: [
      'fired',
      'received',
      'signature verified',
      'extra copies',
      'retried',
      'not delivered',
      'p50',
      'p95',
      'max',
      'crossing request p50 / p95',
    ],
    rows: [
      [
        `${r.n - r.neverFired} / ${r.n}`,
        `${r.received} / ${r.n}`,
        String(r.verified),
        String(r.duplicates),
        String(r.retried),
        r.notDelivered || r.retried ? `${r.notDelivered} (${r.why})` : '0',
        `${r.p50} ms`,
        `${r.p95} ms`,
        `${r.max} ms`,
        `${r.requestP50} / ${r.requestP95} ms`,
      ],
    ],
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const t = alertTable(await benchAlerts());
  console.log(`\n**${t.title}**\n\n| ${t.head.join(' | ')} |\n|${t.head.map(() => '---').join('|')}|`);
  for (const r of t.rows) console.log(`| ${r.join(' | ')} |`);
  console.log(
    `\n_${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${os.cpus().length} cores, \`node bench/alerts.mjs\`_`,
  );
}
