/**
 * @module
 * The rewrite-mode tests' side of the origin server (server.ts): writing pages, releasing held
 * ones, reading what it saw; and requests through the real worker with `ORIGIN_URL` pointing at
 * it (`app.fetch` with an execution context, so the writes left in `waitUntil` can be awaited).
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import app from '../../../worker/index';
import { drainWrites } from '../helpers';
import type { PageSpec } from './server';

export const ORIGIN = inject('originUrl');
export const BROWSER_UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
export const NAVIGATION = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br, zstd',
  'user-agent': BROWSER_UA,
};

const enc = new TextEncoder();

/** Base64 of bytes or UTF-8 text. */
export function b64(data: string | Uint8Array): string {
  const bytes = typeof data === 'string' ? enc.encode(data) : data;
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Serves `parts` (strings are UTF-8) at `path` on the origin. */
export async function putPage(path: string, spec: Omit<PageSpec, 'parts'> & { parts?: (string | Uint8Array)[] }): Promise<void> {
  const res = await fetch(`${ORIGIN}/__pages${path}`, { method: 'PUT', body: JSON.stringify({ ...spec, parts: spec.parts?.map(b64) }) });
  if (res.status !== 204) throw new Error(`origin rejected the page: ${res.status}`);
}

export const release = (path: string) => fetch(`${ORIGIN}/__release${path}`, { method: 'POST' });
export const originState = async (path: string) =>
  (await (await fetch(`${ORIGIN}/__state${path}`)).json()) as { requests: number; finished: number };
export const originLog = async () =>
  (await (await fetch(`${ORIGIN}/__log`)).json()) as { method: string; path: string; headers: Record<string, string> }[];

export interface EdgeOptions extends RequestInit {
  /** `https://` instead of `http://` for the public URL. */
  https?: boolean;
  /** Bindings to override (a faulty D1, CONSENT_REQUIRED…). */
  bindings?: Partial<Cloudflare.Env> & Record<string, unknown>;
}

/**
 * A request to the public site through the edge. `settled()` waits for the work the edge left
 * running after the response (the decision's writes), and for the writes queue to apply them.
 */
export async function throughEdge(path: string, opts: EdgeOptions = {}) {
  const { https, bindings, headers, ...init } = opts;
  const req = new Request(`${https ? 'https' : 'http'}://site.test${path}`, {
    ...init,
    headers: { ...NAVIGATION, ...(headers as Record<string, string>) },
  });
  const ctx = createExecutionContext();
  const res = await app.fetch(req, { ...env, ORIGIN_URL: ORIGIN, ...bindings }, ctx);
  // The decision's writes: in waitUntil, then (DECIDE_WRITES = "queue" in the tests) through the writes queue.
  return { res, settled: () => waitOnExecutionContext(ctx).then(() => drainWrites()) };
}

/** Reads a whole body as bytes. */
export const bytesOf = async (res: Response) => new Uint8Array(await res.arrayBuffer());

/** The index of `needle` in `hay` (bytes), or -1. */
export function indexOfBytes(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

export const concatBytes = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

const DECISION_OPEN = '<script type="application/json" id="dw-decision">';

/**
 * A decided page split into the page itself and the edge's decision block at its very end
 * (`decision` null when there is none), so byte-for-byte checks compare the origin's bytes.
 */
export function splitDecision(html: string): { html: string; decision: any } {
  const at = html.lastIndexOf(DECISION_OPEN);
  if (at < 0 || !html.endsWith('</script>')) return { html, decision: null };
  return { html: html.slice(0, at), decision: JSON.parse(html.slice(at + DECISION_OPEN.length, -'</script>'.length)) };
}

/** `splitDecision` for bytes in any ASCII-compatible encoding (the block itself is ASCII). */
export function splitDecisionBytes(bytes: Uint8Array): { bytes: Uint8Array; decision: any } {
  const at = indexOfBytes(bytes, new TextEncoder().encode(DECISION_OPEN), Math.max(0, bytes.length - 4096));
  if (at < 0) return { bytes, decision: null };
  return { bytes: bytes.subarray(0, at), decision: splitDecision(new TextDecoder().decode(bytes.subarray(at))).decision };
}
