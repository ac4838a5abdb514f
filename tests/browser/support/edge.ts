/**
 * @module
 * The real local edge for browser tests (`wrangler dev` + local D1, what `npm start` runs).
 *
 * How to use it in a test file (support/global-setup.ts builds the assets, prepares the demo
 * database and starts Chromium and the shared edge once per run):
 * - `await sharedEdge()`: the one edge the whole run shares (demo seed). Free to start. For tests
 *   that change no configuration (segments, content, scoring, experiments, site settings…) and
 *   use their own visitor ids, member ids and keys, never another file's (the demo's members
 *   belong to snippet.test.ts there: sign in as them on an edge of your own); `stop()` does nothing.
 * - `await startFreshEdge(prefix, vars?, port?)`: an edge of the file's own with a fresh copy of
 *   the demo database, for tests that edit configuration or count what the database holds, or
 *   need other vars. Costs one `wrangler dev` start (seconds). `startEdge()`: the same with the
 *   default prefix; `startRewriteEdge(prefix)`: with the demo's origin behind it (rewrite mode).
 * - Chromium: `launchChromium()` (support/chromium.ts) connects to the run's one Chromium; make
 *   contexts of your own and read downloads with `downloaded()` (no `download.path()` there).
 * - The admin console: `const { edge, page, errors } = await adminConsole({ locale: 'ja-JP' })`
 *   at the top of the file (support/admin-console.ts): an edge, a browser and a signed-in page,
 *   closed after the file.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { inject } from 'vitest';
import type { BrowserRun } from './global-setup';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const ADMIN_TOKEN = 'dev-admin-token';

export interface Edge {
  url: string;
  port: number;
  stop(): Promise<void>;
  output(): string;
}

/** What the run's global setup provides (undefined when a file runs without it). */
const run = (): BrowserRun | undefined => inject('browserRun');

let built = false;

/**
 * Makes sure /dw.js and the demo site are built. The global setup built them once for the run
 * (and reports the snippet build's failure here, to the snippet's tests); without it, builds
 * them with `node snippet/build.mjs`.
 */
export function buildAssets(): void {
  const setup = run();
  if (setup) {
    if (setup.snippetBuildError) throw new Error(`snippet build failed:\n${setup.snippetBuildError}`);
    return;
  }
  if (built) return;
  execFileSync(process.execPath, [path.join(root, 'snippet/build.mjs')], { cwd: root, stdio: 'pipe' });
  built = true;
}

/**
 * The edge every file of the run shares (fresh at the start of the run, demo seed). Without the
 * global setup, an edge of this file's own.
 * @example
 *   const edge = await sharedEdge();
 *   await fetch(`${edge.url}/openapi.json`);
 */
export async function sharedEdge(): Promise<Edge> {
  const url = run()?.sharedEdgeUrl;
  if (!url) return startEdge();
  return { url, port: Number(new URL(url).port), stop: async () => {}, output: () => '' };
}

/** Builds /dw.js, then starts an edge of this file's own with a fresh database. */
export async function startEdge(): Promise<Edge> {
  buildAssets();
  return startFreshEdge('dw-browser-');
}

/**
 * An edge of this file's own on a free port (or `port`) with a fresh database (migrations + demo
 * seed): a copy of the run's prepared database, else prepared here. Builds nothing. `vars` are
 * passed to wrangler dev (e.g. `ORIGIN_URL` for rewrite mode); `stop()` also removes the database.
 * @example
 *   const edge = await startFreshEdge('dw-rewrite-', { ORIGIN_URL: origin.url });
 *   afterAll(() => edge.stop());
 */
export async function startFreshEdge(prefix: string, vars: Record<string, string> = {}, port?: number): Promise<Edge> {
  // A .mjs module without type declarations: imported by URL so the type checker leaves it be.
  const mod = await import(pathToFileURL(path.join(root, 'scripts/local-edge.mjs')).href);
  const persistTo = mkdtempSync(path.join(tmpdir(), prefix));
  const template = run()?.templateDb;
  if (template) cpSync(template, persistTo, { recursive: true });
  const start = () => mod.startLocalEdge({ port, persistTo, vars, prepared: Boolean(template) });
  // A free port can be taken between choosing it and wrangler binding it (other servers on the
  // machine start too): one more try on a new free port.
  const edge = await start()
    .catch((err: Error) => {
      if (port === undefined && /Address already in use/.test(err.message)) return start();
      throw err;
    })
    .catch((err: unknown) => {
      rmSync(persistTo, { recursive: true, force: true });
      throw err;
    });
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

/**
 * Rewrite mode as `npm start` runs it: the demo site's own origin (scripts/demo-origin.mjs) and
 * an edge of this file's own in front of it (`ORIGIN_URL`, fresh database); `stop()` stops both.
 * @example
 *   const edge = await startRewriteEdge('dw-rewrite-');
 *   await page.goto(`${edge.url}/blog.html`); // the origin's page, personalized by the edge
 */
export async function startRewriteEdge(prefix: string): Promise<Edge> {
  buildAssets();
  const mod = await import(pathToFileURL(path.join(root, 'scripts/demo-origin.mjs')).href);
  const origin: { url: string; close(): Promise<void> } = await mod.startDemoOrigin();
  const edge = await startFreshEdge(prefix, { ORIGIN_URL: origin.url }).catch(async (err: unknown) => {
    await origin.close();
    throw err;
  });
  return {
    ...edge,
    async stop() {
      await Promise.all([edge.stop(), origin.close()]);
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
