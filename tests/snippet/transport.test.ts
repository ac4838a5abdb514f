/**
 * @module
 * Retry-After: after a 429 or 503 the snippet stays quiet until the edge's time, never for more
 * than an hour, and a stored time from an earlier page is read back within the same bounds.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_WAIT_MS, heldUntil, MAX_WAIT_MS, retryAt } from '../../snippet/src/transport';

const NOW = Date.parse('2026-11-20T10:00:00Z');
const answer = (status: number, retryAfter?: string) =>
  new Response(null, { status, headers: retryAfter === undefined ? {} : { 'Retry-After': retryAfter } });

describe('retryAt (when the edge may be sent something again)', () => {
  it.each([429, 503])('%i with Retry-After seconds: that many seconds from now', (status) => {
    expect(retryAt(answer(status, '30'), NOW)).toBe(NOW + 30_000);
    expect(retryAt(answer(status, '5'), NOW)).toBe(NOW + 5_000);
  });

  it.each([200, 204, 400, 401, 413, 500, 502])('%i: no wait, whatever the header says', (status) => {
    expect(retryAt(answer(status, '30'), NOW)).toBe(0);
  });

  it('caps the wait at an hour', () => {
    expect(MAX_WAIT_MS).toBe(3_600_000);
    expect(retryAt(answer(429, '86400'), NOW)).toBe(NOW + MAX_WAIT_MS);
    expect(retryAt(answer(429, '1e12'), NOW)).toBe(NOW + MAX_WAIT_MS);
  });

  // A cross-origin page cannot read the header unless the edge exposes it: null, as if missing.
  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['zero', '0'],
    ['not a number', 'soon'],
    ['an HTTP date (the edge sends seconds)', 'Fri, 20 Nov 2026 10:05:00 GMT'],
  ])('%s Retry-After: the default wait', (_, header) => {
    expect(retryAt(answer(429, header), NOW)).toBe(NOW + DEFAULT_WAIT_MS);
    expect(retryAt(answer(503, header), NOW)).toBe(NOW + DEFAULT_WAIT_MS);
  });

  it('a negative Retry-After waits nothing', () => {
    expect(retryAt(answer(429, '-5'), NOW)).toBeLessThanOrEqual(NOW);
  });
});

describe('heldUntil (the stored time, as the next page reads it)', () => {
  it('keeps a time within the next hour', () => {
    expect(heldUntil(String(NOW + 30_000), NOW)).toBe(NOW + 30_000);
  });
  it('a time in the past holds nothing', () => {
    expect(heldUntil(String(NOW - 1), NOW)).toBeLessThan(NOW);
  });
  it('never more than an hour ahead (the clock may have been set back)', () => {
    expect(heldUntil(String(NOW + 10 * 86_400_000), NOW)).toBe(NOW + MAX_WAIT_MS);
  });
  it.each([null, undefined, '', 'garbage', 'NaN'])('%j: no wait', (stored) => {
    expect(heldUntil(stored, NOW)).toBe(0);
  });
});
