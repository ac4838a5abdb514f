/**
 * The local edge runs without wrangler dev's own trace of every Worker invocation: those traces
 * go to a SQLite file on the edge's one workerd thread, with disk writes and fsyncs on every
 * decide that production never pays (docs/storage.md, "Ninth pass"). A developer can turn them
 * back on with `X_LOCAL_OBSERVABILITY=true`; the second case shows where they would be written,
 * so the first one's "nothing there" can fail.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalEdge } from '../../scripts/local-edge.mjs';

const dirs: string[] = [];
const stops: (() => Promise<void>)[] = [];
const before = process.env.X_LOCAL_OBSERVABILITY;
afterEach(async () => {
  if (before === undefined) delete process.env.X_LOCAL_OBSERVABILITY;
  else process.env.X_LOCAL_OBSERVABILITY = before;
  await Promise.all(stops.splice(0).map((stop) => stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Starts the local edge, answers one decide and returns where wrangler dev keeps its traces. */
async function traceStoreAfterADecide(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dw-local-traces-'));
  dirs.push(dir);
  const edge = await startLocalEdge({ persistTo: dir });
  stops.push(() => edge.stop());
  const res = await fetch(`${edge.url}/v1/decide`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ visitorId: 'local-traces-visitor-01', new: true, slots: ['hero'], events: [] }),
  });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return path.join(dir, 'v3', 'observability');
}

describe('wrangler dev traces on the local edge', () => {
  it('are off by default: a decide leaves no trace store', { timeout: 120_000 }, async () => {
    delete process.env.X_LOCAL_OBSERVABILITY;
    expect(existsSync(await traceStoreAfterADecide())).toBe(false);
  });

  it('are on with X_LOCAL_OBSERVABILITY=true', { timeout: 120_000 }, async () => {
    process.env.X_LOCAL_OBSERVABILITY = 'true';
    const store = await traceStoreAfterADecide();
    await expect.poll(() => existsSync(store), { timeout: 10_000 }).toBe(true);
  });
});
