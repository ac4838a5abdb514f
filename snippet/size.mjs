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
 * consent; a late yes still personalises the page) added about 30 more. On pages the edge
 * decided (rewrite mode), reading the edge's decision so `dataLayer` gets the same `dw_exposure`
 * entries as after the snippet's own decide (experiment results in GA/GTM would otherwise miss
 * every edge-decided page) and `ready` callbacks get the answer: about 30 more (2,810). Keeping
 * the edge's profile token in the `dw_pt` cookie (the edge's next page then reads no storage) and
 * dropping it with the localStorage token: about 40 more (2,850). With the writes queue as the
 * default: sending the token with /v1/collect and keeping the collect's answer (a page still in
 * the queue and the collect's events both reach the next decide), and `new` on the first request
 * of an id made on the page (the edge then answers without a read): about 26 more (2,880). On a
 * page the edge decided, keeping its token for a collect too and the collect's answer in the
 * `dw_pt` cookie (the edge's next page then counts both without a read): about 8 more (2,890).
 * Decides and collects in turn (a `refresh()` during a collect, or during the page's decide, waits
 * for that answer and sends the token it brought, so the next decide counts both requests' events;
 * a turn not over within the page's timeout holds nobody back): 42 more, the timer 18 of them
 * (2,929). On a page the edge decided, a later decide (after identify, or `refresh()`) that
 * answers default for a slot the edge filled shows the page's own content again, from the
 * template the edge keeps it in (before, the other segment's variant stayed): 35 more (2,964).
 */
export const GZIP_BUDGET = 2964;

/**
 * @example
 *   const { minified, gzip } = snippetSize(); // bytes
 */
export function snippetSize(file = snippetFile) {
  const code = readFileSync(file);
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length };
}
