/**
 * Event retention in the core (cases/retention.json): the horizon and its floor, the cut, chunk
 * bounds, archive names and index owners, erasure of archived lines — and the property the
 * whole design rests on: a history folded in chunks, then replayed from the fold, is exactly the
 * history replayed whole (score, decay, daily caps, visits, counters, pruning).
 */
import { describe, expect, it } from 'vitest';
import demo from '../../db/seed/demo.json';
import { compileConfig } from '../../worker/core/compile';
import { applyEvents, emptyProfile } from '../../worker/core/profile';
import {
  archiveKey,
  archiveLine,
  chunkLimit,
  configuredHorizonDays,
  type EventRow,
  effectiveHorizonDays,
  foldEvents,
  ownerOf,
  retentionCut,
  trimChunk,
  utcDay,
  withoutErased,
} from '../../worker/core/retention';
import { DAY_MS, type NormalizedEvent, type Profile } from '../../worker/core/types';
import { Segment, type SiteConfig } from '../../worker/schema/config';
import cases from './cases/retention.json';
import { DEFAULT_SCORING, ms } from './helpers';

describe('the horizon', () => {
  it.each(cases.configured)('EVENT_RETENTION_DAYS: $name', ({ value, days }) => {
    expect(configuredHorizonDays(value ?? undefined)).toBe(days);
  });
  it.each(cases.effective)('$name', ({ configured, profileDays, days }) => {
    expect(effectiveHorizonDays(configured, profileDays)).toBe(days);
  });
  it.each(cases.cuts)('cut: $name', ({ now, days, cut }) => {
    expect(retentionCut(ms(now), days)).toBe(ms(cut));
  });
});

describe('chunks', () => {
  it.each(cases.limits)('end: $name', ({ oldest, cut, limit }) => {
    expect(chunkLimit(ms(oldest), ms(cut))).toBe(ms(limit));
  });
  it.each(cases.trims)('$name', ({ ats, size, kept }) => {
    const out = trimChunk(
      ats.map((at) => ({ at })),
      size,
    );
    expect(out === null ? null : out.map((r) => r.at)).toEqual(kept);
  });
});

describe('the archive', () => {
  it.each(cases.keys)('key: $name', ({ at, rid, key, day }) => {
    expect(archiveKey({ at: ms(at), rid })).toBe(key);
    expect(utcDay(ms(at))).toBe(day);
  });
  it.each(cases.owners)('index owner: $name', ({ key, owner }) => {
    expect(ownerOf(key)).toBe(owner);
    // Shifted left 16 and or'ed with a day, it stays within a signed 64-bit integer.
    expect(BigInt(owner) * 65_536n + 65_535n).toBeLessThan(2n ** 63n);
  });

  const row = (id: string, member: string | null, visitor: string | null): EventRow => ({
    rid: 1,
    subject: member ? `m:${member}` : `v:${visitor}`,
    id,
    visitor_id: visitor,
    member_id: member,
    type: 'page_view',
    at: 1_000,
    url: null,
    props: '{"category":"pricing"}',
    points: 3,
    breakdown: '[{"ruleId":"r1","points":3}]',
    score_after: 3,
    received_at: 2_000,
  });

  it('a line is the row, JSON columns as JSON', () => {
    expect(JSON.parse(archiveLine(row('e1', 'm-1', 'v-1')))).toEqual({
      subject: 'm:m-1',
      id: 'e1',
      visitor_id: 'v-1',
      member_id: 'm-1',
      type: 'page_view',
      at: 1_000,
      url: null,
      props: { category: 'pricing' },
      points: 3,
      breakdown: [{ ruleId: 'r1', points: 3 }],
      score_after: 3,
      received_at: 2_000,
    });
  });

  it('erasure removes the lines of erased members and browsers, and nothing else', async () => {
    const text = [row('e1', 'm-1', null), row('e2', null, 'v-1'), row('e3', 'm-2', 'v-1'), row('e4', 'm-2', 'v-2')]
      .map(archiveLine)
      .join('\n');
    const keyOf = async (subject: string) => `key(${subject})`;
    const out = await withoutErased(`${text}\n`, new Set(['key(m:m-1)', 'key(v:v-1)']), keyOf);
    expect(out!.removed).toBe(3);
    expect(
      out!.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).id),
    ).toEqual(['e4']);
    expect(await withoutErased(`${text}\n`, new Set(['key(m:nobody)']), keyOf)).toBeNull();
    expect((await withoutErased(archiveLine(row('e1', 'm-1', null)), new Set(['key(m:m-1)']), keyOf))!.text).toBe('');
  });
});

describe('a history folded in chunks replays exactly', () => {
  const config = compileConfig({
    version: '1',
    timeZone: 'Asia/Tokyo',
    scoring: DEFAULT_SCORING,
    categories: [],
    segments: demo.segments.map((s) => Segment.parse(s)),
    slots: [],
    variants: [],
    experiments: [],
  } as SiteConfig);
  const TYPES: [NormalizedEvent['type'], Record<string, string>][] = [
    ['page_view', { category: 'pricing' }],
    ['page_view', { category: 'blog' }],
    ['download', { kind: 'whitepaper' }],
    ['form_inquiry', { form: 'contact' }],
    ['seminar_attend', { seminar: 's1' }],
  ];
  function rng(seed: number) {
    let s = seed;
    return () => {
      s = (s * 1_103_515_245 + 12_345) % 2_147_483_648;
      return s / 2_147_483_648;
    };
  }
  const END = ms('2026-12-01T00:00:00Z');

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i', (seed) => {
    const r = rng(seed);
    const events: NormalizedEvent[] = [];
    let at = END - 500 * DAY_MS;
    for (let i = 0; i < 300; i++) {
      // Bursts within minutes (daily caps, visits) and gaps of days (decay, new visits).
      at += r() < 0.6 ? Math.floor(r() * 20 * 60_000) + 1 : Math.floor(r() * 5 * DAY_MS);
      const [type, props] = TYPES[Math.floor(r() * TYPES.length)]!;
      events.push({ id: `e${i}`, type, at, props });
    }
    const replayAt = END;
    const opts = { now: replayAt, retentionDays: config.retentionDays, countedKeys: config.countedKeys, calendar: config.calendar };
    const whole = applyEvents(emptyProfile(), events, config.source.scoring, opts).profile;

    // Retention deletes the events before a cut, in chunks of random sizes (never splitting an instant).
    const cut = events[Math.floor(events.length * (0.3 + r() * 0.5))]!.at;
    const deleted = events.filter((e) => e.at < cut);
    let fold: Profile | null = null;
    for (let i = 0; i < deleted.length; ) {
      const n = 1 + Math.floor(r() * 40);
      const chunk = deleted.slice(i, i + n);
      fold = foldEvents(config, fold, chunk, chunk[chunk.length - 1]!.at);
      i += n;
    }
    const kept = events.filter((e) => e.at >= cut);
    const replayed = applyEvents(fold!, kept, config.source.scoring, opts).profile;
    expect(replayed).toEqual(whole);
    expect(whole.score).toBeGreaterThan(0);
  });
});
