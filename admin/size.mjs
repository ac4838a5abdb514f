/**
 * @module
 * The admin console's initial download: min+gzip bytes of the JS and CSS that
 * dist/public/admin/index.html loads up front (scripts, stylesheets, modulepreloads).
 * Lazily loaded screens are not part of it. Used by the build check and the bench.
 *
 * @example
 *   import { adminInitialSize } from './admin/size.mjs';
 *   adminInitialSize() // {files: ['assets/index-x.js', 'assets/index-y.css'], raw: 61234, gzip: 21456, budget: 61440}
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ADMIN_GZIP_BUDGET = 60 * 1024;
export const adminDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'public', 'admin');

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
  let raw = 0;
  let gzip = 0;
  const files = [...refs];
  for (const file of files) {
    const bytes = readFileSync(path.join(dir, file));
    raw += bytes.length;
    gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return { files, raw, gzip, budget: ADMIN_GZIP_BUDGET };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const s = adminInitialSize();
  console.log(`admin initial download: ${s.raw} B minified, ${s.gzip} B gzip (budget ${s.budget} B) — ${s.files.join(', ')}`);
  if (s.gzip > s.budget) process.exit(1);
}
