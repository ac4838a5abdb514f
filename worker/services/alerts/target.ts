/**
 * @module
 * May this deployment send to this URL? The pure check (core/alerts/webhook-url.ts) first;
 * outside local dev, a host name must also resolve, and only to public addresses — looked up
 * over DNS-over-HTTPS (Workers have no resolver API), at save time and again before each send,
 * so a name that later points inside a network is refused then too.
 */
import { checkWebhookUrl, isPublicAddress, type UrlProblem } from '../../core/alerts/webhook-url';
import type { Env } from '../../env';
import { isLocalDev } from '../../lib/secrets';

export type TargetProblem = UrlProblem | 'unresolvable';

/** Local dev with `ALLOW_PRIVATE_WEBHOOKS = "true"`: loopback receivers (a test server) are fine. */
export function allowsLoopback(env: Pick<Env, 'LOCAL_DEV'> & { ALLOW_PRIVATE_WEBHOOKS?: string }): boolean {
  return isLocalDev(env) && env.ALLOW_PRIVATE_WEBHOOKS === 'true';
}

/** Answers a host name's A and AAAA records, or null when the lookup itself failed. */
export type Resolver = (host: string) => Promise<string[] | null>;

const DOH = 'https://cloudflare-dns.com/dns-query';

/** DNS over HTTPS (JSON API). */
export const dohResolver: Resolver = async (host) => {
  try {
    const answers = await Promise.all(
      ['A', 'AAAA'].map(async (type) => {
        const res = await fetch(`${DOH}?name=${encodeURIComponent(host)}&type=${type}`, {
          headers: { accept: 'application/dns-json' },
          signal: AbortSignal.timeout(3000),
        });
        if (!res.ok) throw new Error(`DoH ${res.status}`);
        const body = (await res.json()) as { Answer?: { type: number; data: string }[] };
        return (body.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data);
      }),
    );
    return answers.flat();
  } catch {
    return null;
  }
};

/**
 * Null when `url` may be sent to; otherwise why not.
 * @example await targetProblem('https://10.0.0.1/hook', env) // 'private_address'
 */
export async function targetProblem(url: string, env: Env, resolve: Resolver = dohResolver): Promise<TargetProblem | null> {
  const loopback = allowsLoopback(env);
  const check = checkWebhookUrl(url, { allowLoopback: loopback });
  if (!check.ok) return check.reason;
  if (isLocalDev(env)) return null;
  const host = check.url.hostname;
  if (/^[\d.]+$/.test(host) || host.startsWith('[')) return null; // a literal, already checked
  const addresses = await resolve(host);
  if (addresses === null || addresses.length === 0) return 'unresolvable';
  return addresses.every(isPublicAddress) ? null : 'private_address';
}
