/**
 * Property-based fuzzing (fast-check): ≥ 500 random and mutated envelopes at every public and
 * server endpoint, with deep nesting, huge unique props and control characters among them. Whatever arrives, the answer is 2xx or 4xx with the JSON error shape — never
 * a 5xx — and a rejected request writes nothing.
 */
import fc from 'fast-check';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { EventType } from '../../worker/schema/config';
import { SERVER, call, eid, loadDemo } from './helpers';

beforeAll(loadDemo);

const TABLES = ['visitors', 'members', 'events', 'exposures', 'conversions'];
async function snapshot(): Promise<number[]> {
  const rows = await env.DB.batch(TABLES.map((t) => env.DB.prepare(`SELECT COUNT(*) AS n FROM ${t}`)));
  return rows.map((r) => (r.results[0] as { n: number }).n);
}

// Every real event type (from the schema) plus names the edge must refuse.
const types = [...EventType.options, 'teleport', '', 'PAGE_VIEW'];
const junk = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
  fc.constantFrom('__proto__', 'constructor', '<script>', '\u0000', 'a'.repeat(70), '2026-13-45T99:99:99Z', '-1', 'NaN'),
);
/** Objects nested up to 3 000 deep: nothing may recurse on props unguarded. */
const deep = fc.nat({ max: 3000 }).map((n) => {
  let o: unknown = { leaf: 1 };
  for (let i = 0; i < n; i++) o = { o };
  return o;
});
/** Control, bidi-override, zero-width and lone-surrogate characters. */
const controlChars = fc.constantFrom('\u0000', 'a\u202eb', 'a\u200bb', '\u0007bell', '\ud800', 'line\nbreak', '\u2066iso\u2069');
/** Many unique keys and long unique values: the profile must not grow with them. */
const hugeProps = fc.dictionary(fc.string({ minLength: 1, maxLength: 64 }), fc.oneof(fc.string({ maxLength: 300 }), controlChars, deep), {
  maxKeys: 24,
});
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, junk, deep, controlChars);
const visitorId = maybe(fc.stringMatching(/^[A-Za-z0-9_-]{16,24}$/));
const props = fc.oneof(
  hugeProps,
  maybe(
    fc.record(
      {
        category: maybe(fc.constantFrom('pricing', 'blog', 'product')),
        kind: maybe(fc.constantFrom('whitepaper', 'case_study')),
        asset: maybe(fc.constantFrom('/a.pdf', 'x')),
        goal: maybe(fc.constantFrom('signup', 'Bad Goal')),
        name: maybe(fc.constantFrom('clicked', '')),
        form: maybe(fc.constant('contact')),
        seminar: maybe(fc.constant('dx')),
        campaign: maybe(fc.constant('nov')),
        value: maybe(fc.double()),
      },
      { requiredKeys: [] },
    ),
  ),
);
const event = fc.record(
  {
    id: maybe(fc.stringMatching(/^[A-Za-z0-9_-]{8,20}$/)),
    type: maybe(fc.constantFrom(...types)),
    at: maybe(fc.date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true }).map((d) => d.toISOString())),
    url: maybe(fc.webUrl()),
    props,
  },
  { requiredKeys: [] },
);
const events = maybe(fc.array(maybe(event), { maxLength: 60 }));
const slots = maybe(fc.array(maybe(fc.constantFrom('hero', 'cta', 'x', 'Bad Slot')), { maxLength: 22 }));

const envelopes: Record<string, fc.Arbitrary<unknown>> = {
  '/v1/decide': fc.record({ visitorId, slots, events, url: maybe(fc.webUrl()) }, { requiredKeys: [] }),
  '/v1/collect': fc.record({ visitorId, events }, { requiredKeys: [] }),
  '/v1/identify': fc.record({ visitorId, token: maybe(fc.constantFrom('a.b.c', 'eyJhbGciOiJIUzI1NiJ9.e30.x')) }, { requiredKeys: [] }),
  '/v1/server/collect': fc.record(
    { memberId: maybe(fc.constantFrom('m-1', 'm 2', 'm/3', 'm\u202e4', 'm\u200b5', 'm\u00006')), events },
    { requiredKeys: [] },
  ),
};

/** Envelope mutations: truncation, wrong top-level type, byte flips. */
const mutate = (body: unknown) =>
  fc.oneof(
    fc.constant(JSON.stringify(body)),
    fc.nat().map((n) => JSON.stringify(body).slice(0, n % (JSON.stringify(body).length + 1))),
    fc.constant(JSON.stringify([body])),
    fc.tuple(fc.nat(), fc.integer({ min: 32, max: 126 })).map(([i, ch]) => {
      const s = JSON.stringify(body);
      const at = i % Math.max(1, s.length);
      return s.slice(0, at) + String.fromCharCode(ch) + s.slice(at + 1);
    }),
  );

describe('fuzzing the public and server endpoints', () => {
  for (const [path, arb] of Object.entries(envelopes)) {
    it(`${path}: 150 random and mutated envelopes → only 2xx/4xx, 4xx writes nothing`, { timeout: 60_000 }, async () => {
      const headers = path.startsWith('/v1/server') ? SERVER : {};
      await fc.assert(
        fc.asyncProperty(arb.chain(mutate), async (raw) => {
          const before = await snapshot();
          const res = await call('POST', path, raw, headers);
          const text = await res.text();
          expect(res.status, text).toBeLessThan(500);
          if (res.status >= 400) {
            expect(JSON.parse(text).error.code).toEqual(expect.any(String));
            expect(await snapshot()).toEqual(before);
          } else if (path.endsWith('collect')) {
            const body = JSON.parse(text);
            const after = await snapshot();
            // Exactly the accepted events were written, nothing more.
            expect(after[2]! - before[2]!).toBe(body.accepted);
          }
        }),
        { numRuns: 150, seed: 20261123 },
      );
    });
  }

  it('PUT and DELETE /v1/server/members/:id with random ids and bodies → never 5xx', { timeout: 60_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ minLength: 1, maxLength: 40 }),
        maybe(fc.record({ traits: maybe(fc.dictionary(fc.string({ maxLength: 70 }), junk)) })),
        async (id, body) => {
          const path = `/v1/server/members/${encodeURIComponent(id)}`;
          const put = await call('PUT', path, body, SERVER);
          expect(put.status).toBeLessThan(500);
          const del = await call('DELETE', path, undefined, SERVER);
          expect(del.status).toBeLessThan(500);
        },
      ),
      { numRuns: 100, seed: 7 },
    );
  });

  it('sanity: valid events still get stored among the noise', async () => {
    const res = await call('POST', '/v1/collect', { visitorId: 'fuzz-sanity-visitor-01', events: [{ id: eid(), type: 'login' }] });
    expect(res.status).toBe(200);
  });
});
