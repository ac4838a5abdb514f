/**
 * @module
 * Builds the snippet (snippet/src → dist/public/dw.js: one minified IIFE for ES2019 browsers)
 * and copies the demo site (snippet/demo → dist/public/demo). Fails over the size budget, so a
 * change that bloats every customer's page load cannot land unnoticed.
 */
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GZIP_BUDGET, snippetFile, snippetSize } from './size.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const publicDir = path.dirname(snippetFile);

await build({
  entryPoints: [path.join(here, 'src/index.ts')],
  outfile: snippetFile,
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2019',
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
  // Not the repo tsconfig: its `strict` would add a "use strict" prologue the IIFE does not need.
  tsconfigRaw: '{}',
});

mkdirSync(path.join(publicDir, 'demo'), { recursive: true });
cpSync(path.join(here, 'demo'), path.join(publicDir, 'demo'), { recursive: true });

const { minified, gzip } = snippetSize();
console.log(`dw.js: ${minified} B minified, ${gzip} B gzip (budget ${GZIP_BUDGET} B)`);
if (gzip > GZIP_BUDGET) {
  console.error(`dw.js is over its size budget by ${gzip - GZIP_BUDGET} B gzip`);
  process.exit(1);
}
