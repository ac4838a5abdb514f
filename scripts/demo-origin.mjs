/**
 * @module
 * The demo site as its owner's own web server would serve it: a small origin for rewrite mode.
 * `npm start` runs it beside the edge and points `ORIGIN_URL` at it, so the same demo pages can be
 * seen both ways: at /demo/ (snippet mode: /dw.js decides in the browser) and at / (rewrite mode:
 * the edge forwards to this server and personalizes the HTML on the way).
 *
 * - `/`, `/pricing.html`, …: the pages of snippet/demo, UTF-8, links pointing at the site's root.
 * - `/sjis/…`: the same pages in Shift_JIS, declared only in `<meta charset>` (no charset in the
 *   Content-Type), as many older Japanese member sites are served.
 * - Like a real server: gzip when accepted, `ETag` + `304`, `Cache-Control: public, max-age=60`.
 *   The styles, script and files stay the edge's (`/demo/…`), so they are not served here.
 *
 * @example
 *   const origin = await startDemoOrigin({ port: 8900 });
 *   // wrangler dev --var ORIGIN_URL:http://127.0.0.1:8900
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const demoDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../snippet/demo');

/** Shift_JIS through the project's CP932 encoder; a character it cannot hold becomes a reference. */
async function shiftJis() {
  const { createCp932Encoder } = await import('../worker/core/cp932.ts');
  const encoder = createCp932Encoder();
  return (text) => {
    const parts = [];
    for (const ch of text) {
      const before = encoder.unmappable;
      const bytes = encoder.encode(ch);
      parts.push(encoder.unmappable > before ? Buffer.from(`&#${ch.codePointAt(0)};`) : Buffer.from(bytes));
    }
    return Buffer.concat(parts);
  };
}

/** A demo page as this site serves it: its links on the site's root (or /sjis/), not /demo/. */
function sitePage(html, base) {
  return html.replace(/href="\/demo\/([a-z-]+\.html)?"/g, (_, file) => `href="${base}${file ?? ''}"`);
}

/**
 * @param {{ port?: number, host?: string }} [options]
 * @returns {Promise<{ url: string, port: number, close(): Promise<void> }>}
 */
export async function startDemoOrigin({ port = 0, host = '127.0.0.1' } = {}) {
  const toShiftJis = await shiftJis();
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://origin.local');
    const sjis = url.pathname === '/sjis/' || url.pathname.startsWith('/sjis/');
    const name = url.pathname.replace(/^\/(sjis\/)?/, '') || 'index.html';
    const file = path.join(demoDir, name);
    if (!/^[a-z-]+\.html$/.test(name) || !existsSync(file) || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res
        .writeHead(404, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>404</title><p>Not found on the demo origin.</p>');
      return;
    }
    let html = sitePage(readFileSync(file, 'utf8'), sjis ? '/sjis/' : '/');
    let body;
    if (sjis) {
      html = html.replace('<meta charset="utf-8">', '<meta charset="Shift_JIS">');
      body = toShiftJis(html);
    } else {
      body = Buffer.from(html);
    }
    const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 16)}"`;
    const headers = {
      // Shift_JIS pages say it only in their <meta>: the edge has to find it there.
      'content-type': sjis ? 'text/html' : 'text/html; charset=utf-8',
      'cache-control': 'public, max-age=60',
      etag,
      vary: 'accept-encoding',
    };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag, 'cache-control': headers['cache-control'] }).end();
      return;
    }
    if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
      body = gzipSync(body);
      headers['content-encoding'] = 'gzip';
    }
    headers['content-length'] = String(body.length);
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const bound = server.address().port;
  return {
    url: `http://${host}:${bound}`,
    port: bound,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
