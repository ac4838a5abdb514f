/**
 * @module
 * Which URLs an alert may send to (a server-side request forgery guard). A webhook URL is typed
 * by whoever holds the admin token, but the request is made by the edge: it must never reach
 * the edge's own network, a cloud metadata address or anything else not meant to be public.
 *
 * - https only; `http:` only to loopback, and only when local dev allows private webhooks.
 * - No user:password in the URL (it would be sent as credentials and shown in the console).
 * - Literal addresses are checked against the private, loopback, link-local, shared, multicast
 *   and reserved ranges, IPv4-mapped and NAT64 IPv6 included. The URL parser has already turned
 *   `http://2130706433/` or `0x7f.1` into dotted form, so those are caught too.
 * - Names that only mean something inside a network (`localhost`, `*.local`, `*.internal`,
 *   single-label names…) are refused; what a public name resolves to is checked separately
 *   (worker/services/alerts/resolve.ts) with `isPublicAddress`.
 */

export type UrlProblem = 'invalid' | 'scheme' | 'credentials' | 'private_address' | 'local_name';

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: UrlProblem };

/** [first address, prefix length] of IPv4 ranges no webhook may target. */
const BLOCKED_V4: [string, number][] = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local (cloud metadata lives here)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved + broadcast
];

const LOCAL_SUFFIXES = ['.localhost', '.local', '.internal', '.intranet', '.lan', '.home', '.corp', '.home.arpa', '.localdomain'];

function v4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let n = 0;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return null;
    n = n * 256 + Number(p);
  }
  return n;
}

function inV4Range(n: number, [base, bits]: [string, number]): boolean {
  const b = v4ToInt(base)!;
  const size = 2 ** (32 - bits);
  return n >= b && n < b + size;
}

/** Expands an IPv6 literal (no brackets) into 8 16-bit groups, or null. */
function v6Groups(ip: string): number[] | null {
  let text = ip.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  // A trailing dotted IPv4 (::ffff:1.2.3.4) becomes two groups.
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) {
    const n = v4ToInt(dotted[1]!);
    if (n === null) return null;
    text = `${text.slice(0, -dotted[1]!.length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 0) return null;
  const groups = [...head, ...Array(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return groups.some(Number.isNaN) || groups.length !== 8 ? null : groups;
}

function isLoopbackV6(g: number[]): boolean {
  return g.slice(0, 7).every((x) => x === 0) && g[7] === 1;
}

/**
 * Whether an address (IPv4 dotted or IPv6, no brackets) is on the public internet.
 * @example isPublicAddress('93.184.216.34') // true
 * @example isPublicAddress('::ffff:10.0.0.1') // false
 */
export function isPublicAddress(ip: string): boolean {
  const n = v4ToInt(ip);
  if (n !== null) return !BLOCKED_V4.some((r) => inV4Range(n, r));
  const g = v6Groups(ip);
  if (!g) return false;
  if (g.every((x) => x === 0) || isLoopbackV6(g)) return false; // :: and ::1
  const embeddedV4 = () => `${g[6]! >>> 8}.${g[6]! & 255}.${g[7]! >>> 8}.${g[7]! & 255}`;
  // ::ffff:a.b.c.d (mapped), ::a.b.c.d (compatible) and 64:ff9b::a.b.c.d (NAT64) reach IPv4.
  if (g.slice(0, 5).every((x) => x === 0) && (g[5] === 0xffff || g[5] === 0)) return isPublicAddress(embeddedV4());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return isPublicAddress(embeddedV4());
  if ((g[0]! & 0xfe00) === 0xfc00) return false; // unique local fc00::/7
  if ((g[0]! & 0xffc0) === 0xfe80) return false; // link-local fe80::/10
  if ((g[0]! & 0xffc0) === 0xfec0) return false; // site-local (deprecated) fec0::/10
  if ((g[0]! & 0xff00) === 0xff00) return false; // multicast
  if (g[0] === 0x2001 && g[1] === 0x0db8) return false; // documentation
  if (g[0] === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return false; // discard-only 100::/64
  return true;
}

/** Whether `host` (from `URL.hostname`) is a loopback address or name. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const n = v4ToInt(h);
  if (n !== null) return inV4Range(n, ['127.0.0.0', 8]);
  const g = v6Groups(h);
  return g !== null && isLoopbackV6(g);
}

const isIpLiteral = (host: string) => v4ToInt(host) !== null || host.startsWith('[');

/**
 * Checks a webhook URL. `allowLoopback` is true only in local dev with private webhooks allowed:
 * then `http://127.0.0.1:8900/hook` (and https to loopback) pass, nothing else private does.
 * @example checkWebhookUrl('https://hooks.example.com/x', {allowLoopback: false}).ok // true
 * @example checkWebhookUrl('https://169.254.169.254/latest', {allowLoopback: false}) // {ok: false, reason: 'private_address'}
 */
export function checkWebhookUrl(raw: string, opts: { allowLoopback: boolean }): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'invalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { ok: false, reason: 'scheme' };
  if (url.username || url.password) return { ok: false, reason: 'credentials' };
  const host = url.hostname.toLowerCase();
  if (!host) return { ok: false, reason: 'invalid' };
  const loopback = isLoopbackHost(host);
  if (opts.allowLoopback && loopback) return { ok: true, url };
  if (url.protocol !== 'https:') return { ok: false, reason: 'scheme' };
  if (isIpLiteral(host))
    return isPublicAddress(host.replace(/^\[|\]$/g, '')) ? { ok: true, url } : { ok: false, reason: 'private_address' };
  if (loopback) return { ok: false, reason: 'local_name' };
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!name.includes('.') || LOCAL_SUFFIXES.some((s) => name.endsWith(s))) return { ok: false, reason: 'local_name' };
  return { ok: true, url };
}
