/**
 * @module
 * Builds the snippet (snippet/src → dist/public/dw.js: one minified IIFE for ES2019 browsers)
 * and copies the demo site (snippet/demo → dist/public/demo). Fails over the size budget, so a
 * change that bloats every customer's page load cannot land unnoticed.
 *
 * esbuild bundles and strips the types; oxc (through vite) minifies: on this code its output is
 * about 80 B gzip smaller than esbuild's own minifier, on every page view of every customer site.
 */
import { build } from 'esbuild';
import { minify } from 'vite';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GZIP_BUDGET, snippetFile, snippetSize } from './size.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.dirname(snippetFile);

const bundle = await build({
  entryPoints: [path.join(here, 'src/index.ts')],
  write: false,
  bundle: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  // Not the repo tsconfig: its `strict` would add a "use strict" prologue the IIFE does not need.
  tsconfigRaw: '{}',
});
const minified = await minify('dw.js', bundle.outputFiles[0].text, { compress: { target: 'es2019' } });
if (minified.errors.length) throw new Error(`minify dw.js: ${minified.errors.map((e) => e.message).join('; ')}`);
mkdirSync(publicDir, { recursive: true });
writeFileSync(snippetFile, minified.code);
// Response headers for the static assets (the snippet's Cache-Control).
cpSync(path.join(here, '_headers'), path.join(publicDir, '_headers'));

mkdirSync(path.join(publicDir, 'demo'), { recursive: true });
cpSync(path.join(here, 'demo'), path.join(publicDir, 'demo'), { recursive: true });

const { minified: bytes, gzip } = snippetSize();
console.log(`dw.js: ${bytes} B minified, ${gzip} B gzip (budget ${GZIP_BUDGET} B)`);
if (gzip > GZIP_BUDGET) {
  console.error(`dw.js is over its size budget by ${gzip - GZIP_BUDGET} B gzip`);
  process.exit(1);
}
