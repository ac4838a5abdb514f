/**
 * @module
 * Events as the snippet builds them: what `track` accepts and what it drops. (The `/v1/decide`
 * body is checked in Chromium: tests/browser/snippet-resilience.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { makeEvent, pageView, slotNames } from '../../snippet/src/events';

const URL_ = 'https://www.example.co.jp/pricing';
const NOW = Date.parse('2026-11-20T10:00:00Z');

describe('makeEvent', () => {
  it('builds a complete event', () => {
    const e = makeEvent('download', { asset: '/wp.pdf', kind: 'whitepaper' }, URL_, NOW)!;
    expect(e).toEqual({
      id: expect.stringMatching(/^[A-Za-z0-9_-]{24}$/),
      type: 'download',
      at: '2026-11-20T10:00:00.000Z',
      url: URL_,
      props: { asset: '/wp.pdf', kind: 'whitepaper' },
    });
  });

  it('gives every event its own id', () => {
    expect(makeEvent('login', {}, URL_, NOW)!.id).not.toBe(makeEvent('login', {}, URL_, NOW)!.id);
  });

  it('copies props, so later changes by the page do not leak in', () => {
    const props = { seminar: 'dx-2026', nested: { a: 1 } };
    const e = makeEvent('seminar_signup', props, URL_, NOW)!;
    props.nested.a = 2;
    expect(e.props).toEqual({ seminar: 'dx-2026', nested: { a: 1 } });
  });

  it.each([
    ['no type', undefined, {}],
    ['a number type', 42, {}],
    ['an object type', { type: 'x' }, {}],
    ['an upper-case type', 'PageView', {}],
    ['an empty type', '', {}],
  ])('drops a call with %s', (_, type, props) => {
    expect(makeEvent(type, props, URL_, NOW)).toBeUndefined();
  });

  it('drops props that cannot be JSON (cycles, BigInt) without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(makeEvent('custom', cyclic, URL_, NOW)).toBeUndefined();
    expect(makeEvent('custom', { n: 1n }, URL_, NOW)).toBeUndefined();
  });

  it('drops props over 2 KB (the server would refuse them)', () => {
    expect(makeEvent('custom', { name: 'x', blob: 'y'.repeat(2100) }, URL_, NOW)).toBeUndefined();
    expect(makeEvent('custom', { name: 'x', blob: 'y'.repeat(1900) }, URL_, NOW)).toBeDefined();
  });

  it.each([
    ['missing', undefined, {}],
    ['null', null, {}],
    ['a number', 7, {}],
  ])('turns %s props into {}', (_, props, expected) => {
    expect(makeEvent('login', props, URL_, NOW)!.props).toEqual(expected);
  });
});

describe('pageView', () => {
  it('carries the page category', () => {
    expect(pageView('pricing', URL_, NOW)).toMatchObject({ type: 'page_view', url: URL_, props: { category: 'pricing' } });
  });
  it.each([null, undefined, '', 'Not A Slug'])('leaves out a category of %j', (category) => {
    expect(pageView(category, URL_, NOW).props).toEqual({});
  });
});

describe('slotNames', () => {
  it('keeps slugs, in page order', () => {
    expect(slotNames(['hero', 'cta'])).toEqual(['hero', 'cta']);
  });
  it('drops names the server would refuse', () => {
    expect(slotNames(['hero', 'Bad Name', '', 'cta'])).toEqual(['hero', 'cta']);
  });
  it('sends at most 20', () => {
    expect(slotNames(Array.from({ length: 25 }, (_, i) => `s${i}`))).toHaveLength(20);
  });
});
