/**
 * @module
 * The real local edge for browser tests: builds the static assets once, then starts
 * `wrangler dev` on a free port with a fresh local D1 (migrations + demo seed applied), exactly
 * what `npm start` runs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ADMIN_TOKEN = 'dev-admin-token';

export interface Edge {
  url: string;
  port: number;
  stop(): Promise<void>;
  output(): string;
}

let built = false;

/**
 * Builds what these tests serve, once per test process: `node snippet/build.mjs` (/dw.js and the
 * demo site). Only the snippet's own build, so the snippet tests do not depend on the admin build;
 * `npm test` runs the full `scripts/build.mjs` before any test anyway.
 */
export function buildAssets(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(root, 'snippet/build.mjs')], { cwd: root, stdio: 'pipe' });
  built = true;
}

/** Starts the local edge with its own fresh database; `stop()` also removes that database. */
export async function startEdge(): Promise<Edge> {
  buildAssets();
  return startFreshEdge('dw-browser-');
}

/**
 * The local edge on a free port with a fresh database (migrations + demo seed); builds nothing.
 * `vars` are passed to wrangler dev (e.g. `ORIGIN_URL` for rewrite mode).
 */
export async function startFreshEdge(prefix: string, vars: Record<string, string> = {}): Promise<Edge> {
  // A .mjs module without type declarations: imported by URL so the type checker leaves it be.
  const mod = await import(pathToFileURL(path.join(root, 'scripts/local-edge.mjs')).href);
  const persistTo = mkdtempSync(path.join(tmpdir(), prefix));
  const edge = await mod.startLocalEdge({ persistTo, vars });
  return {
    url: edge.url,
    port: edge.port,
    output: edge.output,
    async stop() {
      await edge.stop();
      rmSync(persistTo, { recursive: true, force: true });
    },
  };
}

/** `GET /api/visitors/:id` through the admin API (score with decay applied, tier, segment). */
export async function adminVisitor(edge: Edge, visitorId: string) {
  const res = await fetch(`${edge.url}/api/visitors/${visitorId}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /api/visitors/${visitorId} → ${res.status} ${await res.text()}`);
  return (await res.json()) as { visitorId: string; memberId: string | null; score: number; tier: string; segment: string | null };
}

/** A demo identify token (the demo plays the site's own server that signs them). */
export async function demoToken(edge: Edge, as: 'saas' | 'manufacturer'): Promise<string> {
  const res = await fetch(`${edge.url}/demo/api/token?as=${as}`);
  if (!res.ok) throw new Error(`GET /demo/api/token → ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
