/**
 * Rate-limit keys counted in the isolate, against wrangler's local binding (the one `npm start`
 * runs; the vitest pool's older simulator does not take `delta`, so there every request asks):
 * what the binding counted is read from its own store. A visitor's pages reach it six at a time,
 * at the sixth and twelfth page, and a flood is refused between 120 and 131 requests.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERIOD_MS, REPORT_EVERY } from '../../worker/core/rate-count';
import { startLocalEdge } from '../../scripts/local-edge.mjs';

let dir: string;
let edge: { url: string; stop: () => Promise<void> };

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'dw-rate-count-'));
  edge = await startLocalEdge({ persistTo: dir });
}, 120_000);
afterAll(async () => {
  await edge?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** What the local binding counted for `key` in the current window (its Durable Object's SQLite). */
function bindingCount(key: string): number {
  const store = path.join(dir, 'v3', 'ratelimit', 'miniflare-RateLimiterObject');
  let total = 0;
  for (const file of readdirSync(store).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite')) {
    const db = new DatabaseSync(path.join(store, file), { readOnly: true });
    try {
      const row = db.prepare('SELECT count, epoch FROM _mf_ratelimit_buckets WHERE key = ? AND period = 60').get(key) as
        | { count: number; epoch: number }
        | undefined;
      if (row && row.epoch === Math.floor(Date.now() / PERIOD_MS)) total += row.count;
    } finally {
      db.close();
    }
  }
  return total;
}

const decide = (visitorId: string) =>
  fetch(`${edge.url}/v1/decide`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ visitorId, slots: ['hero'] }),
  });

/** Waits for a fresh window when fewer than `needMs` of the current one are left, so a test stays in one window. */
async function withinOneWindow(needMs: number): Promise<number> {
  const left = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
  return Math.floor(Date.now() / PERIOD_MS);
}

describe('rate-limit keys counted in the isolate, on the local edge', () => {
  it('a visitor browsing: the binding hears of its pages six at a time', { timeout: 60_000 }, async () => {
    const window = await withinOneWindow(15_000);
    const v = `lease-browse-${Date.now().toString(36)}`.padEnd(20, 'x');
    const counts: number[] = [];
    for (let i = 1; i <= 13; i++) {
      expect((await decide(v)).status).toBe(200);
      counts.push(bindingCount(`v:${v}`));
    }
    expect(Math.floor(Date.now() / PERIOD_MS)).toBe(window);
    // Asked at the 6th and 12th page, each call reporting the six pages since the last.
    expect(counts).toEqual(counts.map((_, i) => Math.floor((i + 1) / REPORT_EVERY) * REPORT_EVERY));
  });

  it('a flood: 429 past the limit, at most 2 × REPORT_EVERY − 1 late, all but the last few counted', { timeout: 60_000 }, async () => {
    const window = await withinOneWindow(20_000);
    const v = `lease-flood-${Date.now().toString(36)}`.padEnd(20, 'x');
    let allowed = 0;
    for (let status = 200; status === 200; ) {
      status = (await decide(v)).status;
      if (status === 200) allowed++;
      else expect(status).toBe(429);
    }
    expect(Math.floor(Date.now() / PERIOD_MS)).toBe(window);
    expect(allowed).toBeGreaterThanOrEqual(120);
    expect(allowed).toBeLessThanOrEqual(120 + 2 * REPORT_EVERY - 1);
    expect(bindingCount(`v:${v}`)).toBeGreaterThan(allowed - REPORT_EVERY);
  });
});
