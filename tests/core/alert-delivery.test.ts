/**
 * Delivery verdicts and the retry schedule (worker/core/alerts/delivery.ts), from
 * cases/alert-delivery.json.
 */
import { describe, expect, it } from 'vitest';
import { type AttemptResult, judge, MAX_DELAY_S, RETRY_DELAYS_S, RETRY_SPAN_S, retryAfterSeconds } from '../../worker/core/alerts/delivery';
import cases from './cases/alert-delivery.json';

describe('judge', () => {
  it.each(cases.verdicts)('$name', ({ result, retriesUsed, verdict }) => {
    expect(judge(result as AttemptResult, retriesUsed)).toEqual(verdict);
  });
});

describe('the retry schedule', () => {
  it('retries first within 10 s and keeps trying for at least 72 hours', () => {
    expect(RETRY_DELAYS_S[0]).toBeLessThanOrEqual(10);
    expect(RETRY_SPAN_S).toBe(RETRY_DELAYS_S.reduce((a, b) => a + b, 0));
    expect(RETRY_SPAN_S).toBeGreaterThanOrEqual(72 * 3600);
  });

  it('never asks the queue for a delay beyond 12 hours, and never shrinks', () => {
    for (const d of RETRY_DELAYS_S) expect(d).toBeLessThanOrEqual(MAX_DELAY_S);
    for (let i = 1; i < RETRY_DELAYS_S.length; i++) expect(RETRY_DELAYS_S[i]).toBeGreaterThanOrEqual(RETRY_DELAYS_S[i - 1]!);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.UTC(2026, 11, 1, 0, 0, 0);
  it.each([
    ['120', 120],
    [' 7 ', 7],
    ['Tue, 01 Dec 2026 00:05:00 GMT', 300],
    ['soon', null],
    [null, null],
  ] as const)('%s → %s', (header, seconds) => {
    expect(retryAfterSeconds(header, now)).toBe(seconds);
  });
});
