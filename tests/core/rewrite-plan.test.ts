/**
 * Rewrite mode's decisions that need no I/O (cases/rewrite.json): the edge's own paths, page
 * loads worth an early storage read, which origin answers are rewritten, the visitor cookie, the
 * profile token cookie's shape and known crawlers.
 */
import { describe, expect, it } from 'vitest';
import { isCrawler } from '../../worker/core/crawlers';
import { isEdgePath, looksLikePageLoad, planFor } from '../../worker/core/rewrite-plan';
import { tokenFromCookies, visitorCookie, visitorFromCookies } from '../../worker/core/visitor-cookie';
import cases from './cases/rewrite.json';

describe('isEdgePath', () => {
  it.each(cases.paths)('$path → $edge', ({ path, edge }) => {
    expect(isEdgePath(path)).toBe(edge);
  });
});

describe('looksLikePageLoad', () => {
  it.each(cases.pageLoads)('$method $accept → $page', ({ method, accept, page }) => {
    expect(looksLikePageLoad(method, accept)).toBe(page);
  });
});

describe('planFor', () => {
  it.each(cases.plans)('$why → $plan', ({ plan, why: _why, ...answer }) => {
    const got = planFor(answer);
    expect(got.rewrite ? 'rewrite' : got.reason).toBe(plan);
  });
});

describe('visitorFromCookies', () => {
  it.each(cases.cookies)('$header', ({ header, visitor }) => {
    expect(visitorFromCookies(header)).toEqual(visitor);
  });
});

describe('tokenFromCookies', () => {
  it.each(cases.tokenCookies)('$header', ({ header, token }) => {
    expect(tokenFromCookies(header)).toBe(token);
  });
});

describe('visitorCookie', () => {
  it('is first-party, site-wide, two years, SameSite=Lax, readable by the snippet; Secure on https', () => {
    const https = visitorCookie('abcdefghijklmnop0123', true);
    expect(https).toBe('dw_vid=abcdefghijklmnop0123; Path=/; Max-Age=63072000; SameSite=Lax; Secure');
    expect(https).not.toMatch(/domain|httponly/i);
    expect(visitorCookie('abcdefghijklmnop0123', false)).toBe('dw_vid=abcdefghijklmnop0123; Path=/; Max-Age=63072000; SameSite=Lax');
  });

  it('reads back what it writes', () => {
    const set = visitorCookie('Qm3f_x9K0aZ-b1c2D3e4F5g6', true).split(';')[0];
    expect(visitorFromCookies(set)).toEqual({ kind: 'known', visitorId: 'Qm3f_x9K0aZ-b1c2D3e4F5g6' });
  });
});

describe('isCrawler', () => {
  it.each(cases.userAgents)('$ua → $crawler', ({ ua, crawler }) => {
    expect(isCrawler(ua)).toBe(crawler);
  });
});
