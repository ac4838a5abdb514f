/**
 * @module
 * Size of the built snippet as a browser downloads it: minified bytes and gzip bytes.
 * Used by snippet/build.mjs (the budget check) and by the bench report.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/** The built file the worker serves as /dw.js. */
export const snippetFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/public/dw.js');

/**
 * The gzip budget: the snippet is on every page of every customer site, so it stays tiny. It was
 * 2.5 KB (2,560 B) until identify's new visitor id and result, reset(), Retry-After and the
 * preview-link cleanup: about 320 B gzip, of which a smaller minifier (oxc) and a tighter decide
 * body won back about 100. Consent remembered and honoured late (defaults at once without
 * consent; a late yes still personalises the page) added about 30 more.
 */
export const GZIP_BUDGET = 2780;

/**
 * @example
 *   const { minified, gzip } = snippetSize(); // bytes
 */
export function snippetSize(file = snippetFile) {
  const code = readFileSync(file);
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
