/**
 * `DECIDE_READS = "replica"` (docs/storage.md#read-replicas): a decide's read goes through a D1
 * session started `first-unconstrained` (the nearest copy once read replication is on), on
 * `POST /v1/decide` and on the rewrite proxy's page decision alike; every other request, and the
 * shipped default, reads the binding itself (the primary). Through the real app and the real
 * local D1, the binding wrapped only to see which way each statement went.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { drainWrites, eid, json, loadDemo, pageView, post, signIn, vid } from './helpers';
import { putPage, throughEdge } from './origin/client';

beforeAll(loadDemo);

/** The real binding, counting statements run on it directly and through each session it opened. */
function watchedD1() {
  const seen = { sessions: [] as (string | undefined)[], sessionStatements: 0, directStatements: 0 };
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'prepare')
        return (query: string) => {
          seen.directStatements++;
          return target.prepare(query);
        };
      if (prop === 'withSession')
        return (constraint?: string) => {
          seen.sessions.push(constraint);
          const session = target.withSession(constraint);
          return {
            prepare(query: string) {
              seen.sessionStatements++;
              return session.prepare(query);
            },
            batch: (statements: D1PreparedStatement[]) => session.batch(statements),
            getBookmark: () => session.getBookmark(),
          };
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db, seen };
}

async function send(path: string, body: unknown, bindings: Record<string, unknown>) {
  const req = new Request(`http://edge.test${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify(body),
  });
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
  const res = await app.fetch(req, { ...env, ...bindings }, ctx);
  await drainWrites();
  return res;
}

const SAAS = { industry: 'SaaS', employees: 120 };

describe('POST /v1/decide', () => {
  it('with DECIDE_READS = "replica", reads through one first-unconstrained session and decides as the primary would', async () => {
    const v = await signIn(vid('rr'), `m-${crypto.randomUUID()}`, SAAS);
    // A blog reader: a segment of its own, from what D1 holds.
    expect((await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView('blog')] })).status).toBe(200);
    const primary = watchedD1();
    const fromPrimary = await send('/v1/decide', { visitorId: v, slots: ['hero', 'cta'] }, { DB: primary.db, DECIDE_READS: 'primary' });
    const replica = watchedD1();
    const fromReplica = await send('/v1/decide', { visitorId: v, slots: ['hero', 'cta'] }, { DB: replica.db, DECIDE_READS: 'replica' });

    expect(primary.seen.sessions).toEqual([]);
    expect(primary.seen.directStatements).toBeGreaterThan(0);
    expect(replica.seen.sessions).toEqual(['first-unconstrained']);
    expect(replica.seen.sessionStatements).toBeGreaterThan(0);
    expect(replica.seen.directStatements).toBe(0);

    const a = await json(fromPrimary);
    const b = await json(fromReplica);
    expect(b.segment).not.toBeNull();
    expect({ segment: b.segment, slots: b.slots }).toEqual({ segment: a.segment, slots: a.slots });
  });

  it('the shipped wrangler.toml reads the primary', () => {
    expect(env.DECIDE_READS).toBe('primary');
  });
});

describe('other requests read the primary even with DECIDE_READS = "replica"', () => {
  it('POST /v1/collect', async () => {
    const { db, seen } = watchedD1();
    const res = await send(
      '/v1/collect',
      { visitorId: vid('rr-c'), events: [{ id: eid(), type: 'download', props: { asset: 'a.pdf', kind: 'whitepaper' } }] },
      { DB: db, DECIDE_READS: 'replica' },
    );
    expect(res.status).toBe(200);
    expect((await json(res)).accepted).toBe(1);
    expect(seen.sessions).toEqual([]);
    expect(seen.directStatements).toBeGreaterThan(0);
  });
});

describe('the rewrite proxy', () => {
  it('reads a member’s profile through the same kind of session', async () => {
    const v = await signIn(vid('rr-rw'), `m-${crypto.randomUUID()}`, SAAS);
    await putPage('/rr/page', {
      headers: { 'content-type': 'text/html; charset=utf-8' },
      parts: ['<!doctype html><html><head><meta charset="utf-8"></head><body><div data-dw-slot="hero"><h1>既定</h1></div></body></html>'],
    });
    const { db, seen } = watchedD1();
    const { res, settled } = await throughEdge('/rr/page', {
      headers: { cookie: `dw_vid=${v}` },
      bindings: { DB: db, DECIDE_READS: 'replica' },
    });
    const html = await res.text();
    await settled();
    expect(html).toContain('data-dw-decided');
    expect(seen.sessions).toEqual(['first-unconstrained']);
    expect(seen.sessionStatements).toBeGreaterThan(0);
  });
});
