/**
 * Helpers for worker tests: requests through the real worker (`exports.default.fetch`),
 * the demo seed, identify tokens, and direct D1 reads to check what was stored.
 */
import { env, exports } from 'cloudflare:workers';
import { configStatements } from '../../db/seed/sql.mjs';
import { signJwt } from '../../worker/lib/jwt';
import { invalidateConfig } from '../../worker/services/config-store';
import { pendingWrites } from '../../worker/services/writes/tracker';

export const ADMIN = { authorization: 'Bearer dev-admin-token' };
export const SERVER = { authorization: 'Bearer dev-server-key' };

let counter = 0;
/** A fresh, valid visitor id per call. */
export const vid = (label = 'v') => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}`.padEnd(20, 'x');
export const eid = (label = 'e') => `${label}-${crypto.randomUUID()}`;

export async function loadDemo(): Promise<void> {
  await env.DB.batch(configStatements().map((s: string) => env.DB.prepare(s)));
  invalidateConfig();
}

/**
 * Waits until the writes decides handed to the queue are in D1 (the local queue's consumer runs
 * in this isolate and counts them down: worker/services/writes/tracker.ts).
 */
export async function drainWrites(timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (pendingWrites() > 0) {
    if (Date.now() > until) throw new Error(`writes queue not drained after ${timeoutMs} ms (${pendingWrites()} pending)`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A request through the real worker. A decide answers before its writes reach D1; this waits for
 * them (`drainWrites`), so a test reads D1 as it is once the queue has drained. `fetchNoDrain`
 * sees the answer alone (read-your-writes tests).
 */
export async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const res = await fetchNoDrain(method, path, body, headers);
  if (path.startsWith('/v1/decide')) await drainWrites();
  return res;
}

export function fetchNoDrain(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = { method, headers: { 'content-type': 'text/plain', ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return exports.default.fetch(new Request(`http://edge.test${path}`, init));
}

export const post = (path: string, body: unknown, headers: Record<string, string> = {}) => call('POST', path, body, headers);

export async function json<T = any>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

export function identifyToken(sub: string, traits: Record<string, unknown>, expInSeconds = 600, secret = 'dev-identify-secret') {
  return signJwt({ sub, traits, exp: Math.floor(Date.now() / 1000) + expInSeconds }, secret);
}

/** Identifies `visitorId` as `memberId` and returns the rotated visitor id the browser would adopt. */
export async function signIn(visitorId: string, memberId: string, traits: Record<string, unknown> = {}): Promise<string> {
  const res = await post('/v1/identify', { visitorId, token: await identifyToken(memberId, traits) });
  if (res.status !== 200) throw new Error(`identify failed: ${res.status} ${await res.text()}`);
  return (await json<{ visitorId: string }>(res)).visitorId;
}

/** Moves a rotated visitor id's retirement into the past, as if the grace period had passed. */
export async function expireRotation(visitorId: string): Promise<void> {
  await env.DB.prepare('UPDATE visitors SET retired_at = retired_at - 3600000 WHERE id = ?').bind(visitorId).run();
}

export async function count(table: string, where = '1=1', ...binds: unknown[]): Promise<number> {
  const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...binds)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export async function visitor(id: string) {
  return json(await call('GET', `/api/visitors/${id}`, undefined, ADMIN));
}

export const daysAgo = (d: number) => new Date(Date.now() - d * 86_400_000).toISOString();
export const pageView = (category?: string, at?: string) => ({
  id: eid('pv'),
  type: 'page_view',
  ...(at ? { at } : {}),
  props: category ? { category } : {},
});
