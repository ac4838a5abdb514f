/**
 * @module
 * Once per `vitest run --project browser`, before any file: builds the assets, prepares one
 * database (migrations + demo seed) that every fresh edge starts from as a copy, launches one
 * Chromium that the files connect to, and starts the shared edge. Their addresses reach the
 * files through `inject('browserRun')` (read by support/edge.ts and support/chromium.ts).
 *
 * Why: each `wrangler d1` command is a Node process of its own plus a workerd, and the assets were
 * rebuilt and Chromium relaunched in every file; done once here, a file's own edge costs only its
 * `wrangler dev`, and a file on the shared edge costs nothing to start.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../..');

/** What the files get from this setup. */
export interface BrowserRun {
  /** A database with the migrations and the demo seed applied: copy it, never serve it. */
  templateDb: string;
  /** The shared edge (fresh at the start of the run, then shared by every file that asks for it). */
  sharedEdgeUrl: string;
  /** The Chromium that files connect to (`chromium.connect`), one process for the whole run. */
  chromiumEndpoint: string;
  /** The snippet build's failure (e.g. over its size budget), left for the snippet's tests to report. */
  snippetBuildError: string | null;
}

declare module 'vitest' {
  export interface ProvidedContext {
    browserRun: BrowserRun;
  }
}

/**
 * The admin console (vite) and the snippet with the demo site. The snippet's failure (written
 * before its size check) is handed to the files instead of stopping every file: the console's
 * tests do not depend on the snippet's budget.
 */
async function build(): Promise<string | null> {
  await run(path.join(root, 'node_modules/.bin/vite'), ['build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    // vitest sets NODE_ENV=test, which would give an unminified development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
  try {
    await run(process.execPath, [path.join(root, 'snippet/build.mjs')], { cwd: root });
    return null;
  } catch (err) {
    if (!existsSync(path.join(root, 'dist/public/dw.js'))) throw err;
    const e = err as { stdout?: string; stderr?: string; message: string };
    return `${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`;
  }
}

export default async function setup(project: TestProject) {
  // A .mjs module without type declarations: imported by URL so the type checker leaves it be.
  const localEdge = await import(pathToFileURL(path.join(root, 'scripts/local-edge.mjs')).href);
  const templateDb = mkdtempSync(path.join(tmpdir(), 'dw-template-'));
  const sharedDb = mkdtempSync(path.join(tmpdir(), 'dw-shared-'));
  const cleanups: (() => Promise<unknown> | unknown)[] = [
    () => rmSync(templateDb, { recursive: true, force: true }),
    () => rmSync(sharedDb, { recursive: true, force: true }),
  ];
  const teardown = async () => {
    for (const c of cleanups.reverse()) await c();
  };
  try {
    // Chromium starts while the assets build and the database is prepared.
    const browserServer = chromium.launchServer({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    cleanups.push(async () => (await browserServer.catch(() => null))?.close());
    const building = build();
    building.catch(() => {}); // awaited below; not unhandled if the database fails first
    // Synchronous, but the build's child processes run meanwhile.
    localEdge.prepareDatabase(templateDb);
    const snippetBuildError = await building;
    cpSync(templateDb, sharedDb, { recursive: true });
    const shared = await localEdge.startLocalEdge({ persistTo: sharedDb, prepared: true });
    cleanups.push(() => shared.stop());
    const server = await browserServer;
    project.provide('browserRun', {
      templateDb,
      sharedEdgeUrl: shared.url,
      chromiumEndpoint: server.wsEndpoint(),
      snippetBuildError,
    });
  } catch (err) {
    await teardown();
    throw err;
  }
  return teardown;
}
