/**
 * The bounds a segment filter reads members through: their shape per condition (table), and
 * that they are sound: for thousands of generated histories, whenever a demo segment's rule
 * matches now, the member's stored columns satisfy the bound (so the list never misses one).
 */
import { describe, expect, it } from 'vitest';
import { demo } from '../../db/seed/sql.mjs';
import { ruleBound, type Bound } from '../../worker/core/member-bounds';
import { decodeCursor, encodeCursor } from '../../worker/core/list-cursor';
import { applyEvents, emptyProfile } from '../../worker/core/profile';
import { compileSegments } from '../../worker/core/segments';
import { DAY_MS, type NormalizedEvent } from '../../worker/core/types';
import type { Condition, EventType, ScoringSettings, Segment } from '../../worker/schema/config';
import { DEFAULT_SCORING } from './helpers';
import cases from './cases/member-bounds.json';
import { seededRandom } from '../../worker/core/random';

const NOW = Date.UTC(2026, 11, 1, 9, 30);

type CaseBound = { kind: string; daysAgo?: number; orWithinMinutes?: number; value?: number; of?: CaseBound[] };
function expected(b: CaseBound): Bound {
  switch (b.kind) {
    case 'activeSince':
      return { kind: 'activeSince', at: NOW - b.daysAgo! * DAY_MS };
    case 'quietSince':
      return { kind: 'quietSince', before: NOW - b.daysAgo! * DAY_MS, orAfter: NOW - b.orWithinMinutes! * 60_000 };
    case 'all':
    case 'any':
      return { kind: b.kind, of: b.of!.map(expected) };
    default:
      return b as Bound;
  }
}

describe('segment bounds', () => {
  it.each(cases.cases)('$name', ({ rule, bound }) => {
    expect(ruleBound(rule as { match: string; conditions: Condition[] }, cases.settings, NOW)).toEqual(expected(bound as CaseBound));
  });
});

/** Does a member with this stored score and last activity satisfy the bound? */
function holds(b: Bound, score: number, last: number | null): boolean {
  switch (b.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'all':
      return b.of.every((x) => holds(x, score, last));
    case 'any':
      return b.of.some((x) => holds(x, score, last));
    case 'storedScoreAtLeast':
      return score >= b.value;
    case 'activeSince':
      return last !== null && last >= b.at;
    case 'quietSince':
      return last !== null && (last <= b.before || last >= b.orAfter);
    case 'everActive':
      return last !== null;
  }
}

const KINDS: [EventType, Record<string, unknown>][] = [
  ['page_view', { category: 'pricing' }],
  ['page_view', { category: 'blog' }],
  ['page_view', {}],
  ['download', { asset: 'a.pdf', kind: 'case_study' }],
  ['download', { asset: 'w.pdf', kind: 'whitepaper' }],
  ['form_inquiry', { form: 'contact' }],
  ['seminar_attend', { seminar: 's' }],
];

describe('segment bounds are sound', () => {
  const settings: ScoringSettings = DEFAULT_SCORING.settings;
  const segments = demo.segments as Segment[];
  const compiled = compileSegments(segments);
  const extra: Segment[] = [
    {
      id: 'hot',
      key: 'hot',
      name: 'hot',
      description: '',
      priority: 90,
      enabled: true,
      rule: { match: 'all', conditions: [{ type: 'tier', in: ['hot'] }] },
    },
    {
      id: 'score',
      key: 'score',
      name: 'score',
      description: '',
      priority: 91,
      enabled: true,
      rule: { match: 'all', conditions: [{ type: 'score', op: 'gt', value: 40 }] },
    },
    {
      id: 'recent',
      key: 'recent',
      name: 'recent',
      description: '',
      priority: 92,
      enabled: true,
      rule: {
        match: 'any',
        conditions: [
          { type: 'behavior', event: 'download', where: {}, withinDays: 3, op: 'gte', count: 2 },
          { type: 'inactivity', op: 'gt', days: 30 },
        ],
      },
    },
  ];
  const all = [...segments, ...extra];
  const rules = compileSegments(all);

  it('never excludes a member whose segment rule matches now (3 000 generated histories)', () => {
    const rand = seededRandom(20261201);
    let matched = 0;
    for (let n = 0; n < 3000; n++) {
      const events: NormalizedEvent[] = [];
      const count = Math.floor(rand() * 12);
      // Histories spread over 200 days, some right now (a visit going on), some long ago.
      for (let i = 0; i < count; i++) {
        const [type, props] = KINDS[Math.floor(rand() * KINDS.length)]!;
        const ago = rand() < 0.15 ? rand() * 20 * 60_000 : rand() * 200 * DAY_MS;
        events.push({ id: `e${n}-${i}`, type, at: NOW - ago, props });
      }
      const { profile } = applyEvents(emptyProfile(), events, DEFAULT_SCORING, { now: NOW, retentionDays: 365 });
      const traits = rand() < 0.5 ? { industry: 'IT', employees: 120 } : { industry: 'Manufacturing', employees: 10 };
      for (const c of rules) {
        if (!c.test({ traits, profile, now: NOW, settings })) continue;
        matched++;
        const bound = ruleBound(c.segment.rule, settings, NOW);
        expect(holds(bound, profile.score, profile.lastActiveAt), `${c.segment.key} #${n}`).toBe(true);
      }
    }
    expect(matched).toBeGreaterThan(1000);
    expect(compiled.length).toBe(5);
  });
});

describe('list cursor', () => {
  it('round-trips', () => {
    const c = { at: NOW, sort: 'score' as const, key: 42, id: '会員-001' };
    expect(decodeCursor(encodeCursor(c))).toEqual(c);
    const n = { at: NOW, sort: 'lastActive' as const, key: null, id: 'm' };
    expect(decodeCursor(encodeCursor(n))).toEqual(n);
  });

  it.each(['', 'not-base64!', btoa('[1,"score",1]'), btoa('[1,"other",1,"x"]'), btoa('{"a":1}'), btoa('[1,"score","x","id"]')])(
    'refuses %s',
    (text) => {
      expect(decodeCursor(text)).toBeNull();
    },
  );
});
