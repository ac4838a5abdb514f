/**
 * @module
 * The admin console's initial download: min+gzip bytes of what a first visit fetches before the
 * console shows anything — the JS and CSS that dist/public/admin/index.html loads up front
 * (scripts, stylesheets, modulepreloads) plus one language's words (the larger of the
 * `assets/lang-*.js` chunks, loaded before the first render). Lazily loaded screens are not part
 * of it. Used by the build check (tests/admin/size.test.ts) and the bench.
 *
 * @example
 *   import { adminInitialSize } from './admin/size.mjs';
 *   adminInitialSize() // {files: ['assets/index-x.js', 'assets/index-y.css', 'assets/lang-ja-z.js'], raw: 91234, gzip: 49456, budget: 61440, language: {file: 'assets/lang-ja-z.js', gzip: 17540}}
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ADMIN_GZIP_BUDGET = 60 * 1024;
export const adminDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'public', 'admin');

const gzipOf = (bytes) => gzipSync(bytes, { level: 9 }).length;

/** @param {string} [dir] the built admin (defaults to dist/public/admin) */
export function adminInitialSize(dir = adminDir) {
  const html = readFileSync(path.join(dir, 'index.html'), 'utf8');
  const refs = new Set();
  const attr = /<(script|link)\b[^>]*?\b(src|href)="([^"]+)"[^>]*>/g;
  for (const m of html.matchAll(attr)) {
    const tag = m[0];
    const ref = m[3];
    if (m[1] === 'link' && !/rel="(stylesheet|modulepreload)"/.test(tag)) continue;
    if (!/\.(m?js|css)(\?|$)/.test(ref)) continue;
    refs.add(
      ref
        .replace(/^\/admin\//, '')
        .replace(/^\.\//, '')
        .replace(/\?.*$/, ''),
    );
  }
  // The words come in one chunk per language; a visit loads one of them before rendering, so the
  // larger one counts (Japanese, the console's first language).
  const languages = readdirSync(path.join(dir, 'assets'))
    .filter((f) => /^lang-\w+-[\w-]+\.js$/.test(f))
    .map((f) => ({ file: `assets/${f}`, gzip: gzipOf(readFileSync(path.join(dir, 'assets', f))) }))
    .sort((a, b) => b.gzip - a.gzip);
  const language = languages[0] ?? null;
  if (language) refs.add(language.file);
  let raw = 0;
  let gzip = 0;
  const files = [...refs];
  for (const file of files) {
    const bytes = readFileSync(path.join(dir, file));
    raw += bytes.length;
    gzip += gzipOf(bytes);
  }
  return { files, raw, gzip, budget: ADMIN_GZIP_BUDGET, language };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = adminInitialSize();
  console.log(`admin initial download: ${s.raw} B minified, ${s.gzip} B gzip (budget ${s.budget} B) — ${s.files.join(', ')}`);
  if (s.gzip > s.budget) process.exit(1);
}
