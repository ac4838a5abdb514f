/**
 * The failed-sign-in rule: ten failures in any rolling minute lock the client out, right token
 * or not, until the oldest of them is a minute old; Retry-After says when that is.
 */
import { describe, expect, it } from 'vitest';
import { FAILURE_WINDOW_MS, MAX_FAILURES, judgeAttempt } from '../../worker/core/auth-failures';

/** Replays attempts (time in ms, failed?) and returns each verdict. */
function replay(attempts: [number, boolean][]) {
  let failures: number[] = [];
  return attempts.map(([at, failed]) => {
    const out = judgeAttempt(failures, failed, at);
    failures = out.failures;
    return out.verdict;
  });
}

describe('judgeAttempt', () => {
  it('allows ten failures, then refuses every attempt with the time left', () => {
    const tenFailures = Array.from({ length: MAX_FAILURES }, (_, i): [number, boolean] => [i * 1000, true]);
    const verdicts = replay([...tenFailures, [10_000, false], [10_500, true]]);
    expect(verdicts.slice(0, MAX_FAILURES).every((v) => v.allowed)).toBe(true);
    // The first failure (at 0) leaves the window at 60 s.
    expect(verdicts[MAX_FAILURES]).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(verdicts[MAX_FAILURES + 1]).toEqual({ allowed: false, retryAfterSeconds: 50 });
  });

  it('is a rolling window: one attempt again once the oldest failure is a minute old', () => {
    const tenFailures = Array.from({ length: MAX_FAILURES }, (_, i): [number, boolean] => [i * 1000, true]);
    const verdicts = replay([...tenFailures, [FAILURE_WINDOW_MS - 1, false], [FAILURE_WINDOW_MS, true], [FAILURE_WINDOW_MS + 1, false]]);
    expect(verdicts[MAX_FAILURES]).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(verdicts[MAX_FAILURES + 1]).toEqual({ allowed: true });
    // That failure was the tenth in the window again: locked until the one at 1 s expires.
    expect(verdicts[MAX_FAILURES + 2]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('successes are not counted, and refused attempts do not extend the lock', () => {
    const successes = Array.from({ length: 50 }, (_, i): [number, boolean] => [i, false]);
    expect(replay(successes).every((v) => v.allowed)).toBe(true);
    let failures: number[] = [];
    for (let i = 0; i < MAX_FAILURES; i++) failures = judgeAttempt(failures, true, i).failures;
    for (let t = 100; t < 1000; t += 100) {
      const out = judgeAttempt(failures, true, t);
      expect(out.verdict.allowed).toBe(false);
      failures = out.failures;
    }
    expect(failures).toHaveLength(MAX_FAILURES);
    expect(judgeAttempt(failures, false, FAILURE_WINDOW_MS).verdict.allowed).toBe(true);
  });

  it('nine failures a minute forever are never locked', () => {
    const attempts: [number, boolean][] = [];
    for (let minute = 0; minute < 5; minute++)
      for (let i = 0; i < MAX_FAILURES - 1; i++) attempts.push([minute * FAILURE_WINDOW_MS + i * 10, true]);
    expect(replay(attempts).every((v) => v.allowed)).toBe(true);
  });
});
