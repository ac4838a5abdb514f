/**
 * Rules of the codebase that a reviewer would otherwise have to remember:
 * - routes and services reach D1 through `c.var.d1` / `c.var.svc.db` (metered, injected by
 *   worker/middleware/db.ts), never the raw binding;
 * - the core stays pure (no bindings, no fetch, no clock of its own);
 * - services get the request's storage, settings and time in one shape, `ServiceContext`
 *   (worker/services/context.ts): never from the bindings module or a Hono context, and not as
 *   loose `(d1, db, …, now)` parameters;
 * - the repository documents itself: no comment cites a document that is not in it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string, exts = ['.ts', '.tsx', '.mjs', '.js']): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(root, dir))) {
    if (name === 'node_modules') continue;
    const rel = path.join(dir, name);
    if (statSync(path.join(root, rel)).isDirectory()) out.push(...filesUnder(rel, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(rel);
  }
  return out;
}

const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');
const codeLines = (text: string) => text.split('\n').filter((l) => !/^\s*(\*|\/\/|\/\*)/.test(l));

describe('seams', () => {
  it('only worker/middleware/db.ts touches the raw D1 binding', () => {
    const offenders = filesUnder('worker')
      .filter((f) => f !== path.join('worker', 'middleware', 'db.ts'))
      .filter((f) => codeLines(read(f)).some((l) => /\benv\.DB\b/.test(l)));
    expect(offenders).toEqual([]);
  });

  it('worker/core does no I/O and reads no clock', () => {
    const offenders = filesUnder(path.join('worker', 'core')).filter((f) =>
      codeLines(read(f)).some((l) => /\bfetch\(|\bD1Database\b|\bDate\.now\(|\benv\.|from '(hono|drizzle-orm)[^']*'|cloudflare:/.test(l)),
    );
    expect(offenders).toEqual([]);
  });

  it('services take what a request gives them as a ServiceContext, never from a side door', () => {
    const offenders = filesUnder(path.join('worker', 'services')).filter((f) =>
      codeLines(read(f)).some(
        (l) =>
          /import\s*\{[^}]*\benv\b[^}]*\}\s*from\s*'cloudflare:workers'/.test(l) ||
          /from 'hono(\/[^']*)?'/.test(l) ||
          /\bc\.(env|req|set|executionCtx)\b/.test(l),
      ),
    );
    expect(offenders).toEqual([]);
  });

  it('services take the context first, not a loose handle (one exception: the Durable Object client)', () => {
    // Exported async functions whose first parameter is a bare handle, the bindings or a Hono-like
    // context (`c`). Statement builders take the handle they build on and run nothing: plain
    // `function`s, or async ones named for what they return (`…Statement`, `…Statements`: they
    // await only a hash, never D1) for the caller's batch. They are not services.
    const loose = /export async function (\w+)(?:<[^>]*>)?\(\s*(?:d1|db|env|io|c)\s*:/g;
    const found = filesUnder(path.join('worker', 'services')).flatMap((f) =>
      [...read(f).matchAll(loose)].filter((m) => !/Statements?$/.test(m[1]!)).map((m) => `${f.split(path.sep).slice(2).join('/')}:${m[1]}`),
    );
    // The one exception: the Durable Object's client, whose binding is what it talks to.
    const exceptions = new Set(['auth-throttle.ts:judgeAuthAttempt']);
    expect(found.filter((f) => !exceptions.has(f))).toEqual([]);
  });

  it('no file cites a document outside the repository', () => {
    const dirs = ['worker', 'admin/src', 'snippet', 'scripts', 'tests', 'db', 'bench', 'docs'];
    const files = dirs.flatMap((d) => filesUnder(d, ['.ts', '.tsx', '.mjs', '.js', '.md', '.sql', '.css', '.html', '.py']));
    // Spelled in parts, so this file does not carry the citations it looks for (and needs no exemption).
    const shared = ['..', 'shared', ''].join('/');
    const style = ['STY', 'LE'].join('');
    const cites = new RegExp(
      [['CONTRACT', '§'].join(' '), ['DESIGN', 'principle'].join(' '), `\\(${style}`, `${style}:`, shared.replace(/[./]/g, '\\$&')].join(
        '|',
      ),
    );
    const offenders = [...files, 'README.md', 'SECURITY.md'].filter((f) => cites.test(read(f)));
    expect(offenders).toEqual([]);
  });
});
