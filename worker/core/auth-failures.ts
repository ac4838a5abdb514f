/**
 * @module
 * The failed-sign-in rule behind the bearer guards: at most {@link MAX_FAILURES} failed attempts
 * per client in any rolling {@link FAILURE_WINDOW_MS}; past that, every attempt from the client
 * (right token or not) is refused until the oldest of those failures leaves the window. Pure, so
 * the window arithmetic is tested without waiting a minute; the state lives in
 * services/auth-throttle.ts.
 */

export const MAX_FAILURES = 10;
export const FAILURE_WINDOW_MS = 60_000;

export type AuthVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Judges one attempt against the client's recent failures (ascending times in ms) and returns the
 * failures to keep. A refused attempt is not recorded: the token was never checked for the
 * caller, and recording it would let a client that keeps retrying stay locked out forever.
 * @example
 *   judgeAttempt([], true, 1000) // → { verdict: { allowed: true }, failures: [1000] }
 */
export function judgeAttempt(failures: readonly number[], failed: boolean, now: number): { verdict: AuthVerdict; failures: number[] } {
  const recent = failures.filter((at) => at > now - FAILURE_WINDOW_MS);
  if (recent.length >= MAX_FAILURES) {
    // Allowed again once fewer than MAX_FAILURES remain inside the window.
    const lifts = recent[recent.length - MAX_FAILURES]! + FAILURE_WINDOW_MS;
    return { verdict: { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((lifts - now) / 1000)) }, failures: recent };
  }
  return { verdict: { allowed: true }, failures: failed ? [...recent, now] : recent };
}
