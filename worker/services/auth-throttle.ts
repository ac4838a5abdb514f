/**
 * @module
 * Where the bearer guards count failed attempts: one Durable Object per (guard, client).
 *
 * Why not a Workers rate limiting binding (like RL_CLIENT): its `limit()` counts every call and
 * cannot look without counting. Counting only failures would leave a right-token request with no
 * way to ask "is this client locked out?", and counting every request would lock out an admin
 * after ten ordinary clicks. Its counters are also per Cloudflare location and approximate.
 * Why not a counter in the worker's memory: every isolate (and every location) would have its
 * own, so a client spreading its guesses would get ten per isolate.
 *
 * A Durable Object is one instance worldwide per name and runs one request at a time: the check
 * and the update below happen in a single synchronous step, so even a burst of parallel guesses
 * is judged in one order — the eleventh is refused whichever token it carries. The price is one
 * Durable Object call per authenticated request (admin API and server API), to the object for
 * that client only. The client address only names the object; the object stores nothing but
 * failure times, deleted by an alarm once they are a minute old. Each guard counts on its own, so
 * someone mistyping the admin token cannot lock out the site's server behind the same address.
 */
import { DurableObject } from 'cloudflare:workers';
import { FAILURE_WINDOW_MS, judgeAttempt, type AuthVerdict } from '../core/auth-failures';
import type { Env } from '../env';
import { ApiError } from '../errors';

const FAILURES_KEY = 'failures';

export class AuthThrottle extends DurableObject<Env> {
  /** Judges one attempt; `failed` says whether its token was wrong or missing. */
  async attempt(failed: boolean): Promise<AuthVerdict> {
    // Synchronous storage (SQLite-backed object): nothing else runs between the read and the write.
    const kv = this.ctx.storage.kv;
    const now = Date.now();
    const { verdict, failures } = judgeAttempt(kv.get<number[]>(FAILURES_KEY) ?? [], failed, now);
    if (verdict.allowed && failed) {
      kv.put(FAILURES_KEY, failures);
      // The newest failure (this one) is the last to leave the window.
      await this.ctx.storage.setAlarm(now + FAILURE_WINDOW_MS);
    }
    return verdict;
  }

  override async alarm(): Promise<void> {
    const now = Date.now();
    const recent = (this.ctx.storage.kv.get<number[]>(FAILURES_KEY) ?? []).filter((at) => at > now - FAILURE_WINDOW_MS);
    if (recent.length) {
      this.ctx.storage.kv.put(FAILURES_KEY, recent);
      await this.ctx.storage.setAlarm(recent[recent.length - 1]! + FAILURE_WINDOW_MS);
    } else {
      await this.ctx.storage.deleteAll();
    }
  }
}

/**
 * Local `wrangler dev` and tests send no `cf-connecting-ip`: they share one key, which only
 * ever holds the developer's own failures.
 */
export function authClientKey(connectingIp: string | undefined): string {
  return connectingIp?.trim() || 'local';
}

/**
 * Fails closed: when the object cannot answer, the request gets a 503, never a pass — otherwise
 * a client could overload its own object and then guess unchecked.
 * @example
 *   const verdict = await judgeAuthAttempt(c.env, 'ADMIN_TOKEN', authClientKey(ip), !tokenMatches);
 */
export async function judgeAuthAttempt(env: Env, guard: string, client: string, failed: boolean): Promise<AuthVerdict> {
  try {
    return await env.AUTH_THROTTLE.getByName(`${guard}:${client}`).attempt(failed);
  } catch (err) {
    console.error('auth throttle unavailable', err);
    throw new ApiError(503, 'unavailable', 'Sign-in checks are unavailable; retry later', undefined, { 'Retry-After': '5' });
  }
}
