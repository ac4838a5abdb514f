/**
 * The profile token (docs/storage.md#read-your-writes), through the real worker and a local D1:
 * a returning visitor's decide with a fresh token reads nothing (counted in Server-Timing) and
 * still counts the previous page whose writes are in the queue; a tampered, foreign, expired or
 * other-secret token falls back to one read and cannot raise a score; erasure and trait changes
 * reach decides within 60 s of the last read; the token stays under 1 KB for a heavy profile;
 * events are stored exactly once; a first page without an id is answered with no read.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_MAX_AGE_MS, TOKEN_MAX_BYTES, type TokenClaims } from '../../worker/core/profile-token';
import { readProfileToken, signProfileToken } from '../../worker/lib/profile-token';
import app from '../../worker/index';
import { invalidateConfig } from '../../worker/services/config-store';
import { count, daysAgo, drainWrites, eid, fetchNoDrain, json, loadDemo, pageView, post, SERVER, signIn, vid, call } from './helpers';

const SECRET = 'dev-profile-secret';
const TRAITS = { employees: 200, industry: 'IT' };

function d1Usage(res: Response) {
  const m = /reads=(\d+) batches=(\d+)/.exec(res.headers.get('server-timing') ?? '');
  if (!m) throw new Error('no d1 usage in Server-Timing');
  return { reads: Number(m[1]), batches: Number(m[2]) };
}

async function decide(body: Record<string, unknown>, drain = true) {
  const payload = { slots: ['hero', 'cta'], events: [], ...body };
  const res = drain ? await post('/v1/decide', payload) : await fetchNoDrain('POST', '/v1/decide', payload);
  expect(res.status).toBe(200);
  return { res, body: await json(res), usage: d1Usage(res), source: res.headers.get('x-dw-profile') };
}

const download = () => ({ id: eid('dl'), type: 'download', props: { asset: '/wp.pdf' } });

/** The token's claims, changed by `edit` and signed again with `secret`. */
async function resigned(token: string, edit: (c: TokenClaims) => void, secret = SECRET): Promise<string> {
  const claims = (await readProfileToken(SECRET, token))!;
  edit(claims);
  return (await signProfileToken(secret, claims))!;
}

async function score(visitorId: string): Promise<number> {
  const row = await env.DB.prepare('SELECT score FROM visitors WHERE id = ?').bind(visitorId).first<{ score: number }>();
  return row?.score ?? -1;
}

/** A signed-in browser (demo traits that make it a hot lead once it downloaded and saw pricing). */
async function member(label: string, traits: Record<string, unknown> = TRAITS) {
  return signIn(vid(label), `tok-${vid(label)}`, traits);
}

describe('profile token', () => {
  beforeAll(loadDemo);

  it('a returning visitor with a fresh token: zero reads, and the previous page counts before the queue applied it', async () => {
    const v = await member('rt');
    const first = await decide({ visitorId: v, events: [download()] }, false);
    expect(first.usage.reads).toBe(1);
    expect(first.source).toBe('read');
    expect(typeof first.body.token).toBe('string');
    // The next page comes before the queue applied the download: the token carries it.
    const second = await decide({ visitorId: v, token: first.body.token, events: [pageView('pricing')] }, false);
    expect(second.usage).toEqual({ reads: 0, batches: 0 });
    expect(second.source).toBe('token');
    expect(second.body.segment?.key).toBe('hot_lead');
    await drainWrites();
    expect(await count('events', 'visitor_id = ?', v)).toBe(2);
    // The same answer without a token, once the queue drained, reads and agrees.
    const third = await decide({ visitorId: v });
    expect(third.usage.reads).toBe(1);
    expect(third.body.segment?.key).toBe('hot_lead');
  });

  it('answers from the token exactly as from storage (score, segment, arms)', async () => {
    const v = await member('same');
    let token: string | undefined;
    for (const e of [pageView('blog'), download(), pageView('pricing'), pageView()]) {
      const out = await decide({ visitorId: v, token, events: [e] });
      token = out.body.token;
    }
    const fromToken = await decide({ visitorId: v, token, events: [pageView('pricing')] });
    expect(fromToken.source).toBe('token');
    const stored = (await readProfileToken(SECRET, fromToken.body.token))!;
    // After the drain, a read gives the same decision and the token the same score.
    const fromRead = await decide({ visitorId: v });
    expect(fromRead.source).toBe('read');
    expect(fromRead.body.slots).toEqual(fromToken.body.slots);
    expect(fromRead.body.segment).toEqual(fromToken.body.segment);
    const readClaims = (await readProfileToken(SECRET, fromRead.body.token))!;
    expect(readClaims.s).toBeCloseTo(stored.s, 9);
    expect(readClaims.w).toEqual(stored.w);
    expect(readClaims.x).toEqual(stored.x);
  });

  it('a token whose last page storage does not hold yet is merged even when this isolate has no configuration cached (an edit just dropped it)', async () => {
    const v = await signIn(vid('cold'), `cold-${vid()}`, TRAITS);
    const first = await decide({ visitorId: v, events: [download()] });
    expect(first.body.segment).toBeNull();
    const lagging = await resigned(first.body.token, (c) => {
      c.w = { ...c.w, 'page_view.category=pricing': [1] };
      c.l = eid('pv-queued');
    });
    invalidateConfig();
    const merged = await decide({ visitorId: v, token: lagging, events: [] });
    expect(merged.source).toBe('read+token');
    expect(merged.body.segment?.key).toBe('hot_lead');
  });

  it('past 60 s, a token whose last page storage does not hold yet is merged into the read (read your writes across the lag)', async () => {
    const memberId = `lag-${vid()}`;
    const v = await signIn(vid('lag'), memberId, TRAITS);
    const first = await decide({ visitorId: v, events: [download()] });
    expect(first.body.segment).toBeNull(); // no pricing view yet
    // As if the next page (a pricing view) were still in the queue when its token expired: the
    // token counts it, its last page id is not in D1.
    const lagging = await resigned(first.body.token, (c) => {
      c.w = { ...c.w, 'page_view.category=pricing': [1] };
      c.l = eid('pv-queued');
      c.t = Date.now() - TOKEN_MAX_AGE_MS - 1000;
    });
    const merged = await decide({ visitorId: v, token: lagging, events: [] });
    expect(merged.usage.reads).toBe(1);
    expect(merged.source).toBe('read+token');
    expect(merged.body.segment?.key).toBe('hot_lead');
    // Once storage holds the token's last page, the read alone is used.
    const caughtUp = await resigned(first.body.token, (c) => {
      c.w = { ...c.w, 'page_view.category=pricing': [1] };
      c.t = Date.now() - TOKEN_MAX_AGE_MS - 1000;
    });
    const plain = await decide({ visitorId: v, token: caughtUp, events: [] });
    expect(plain.source).toBe('read');
    expect(plain.body.segment).toBeNull();
    // Traits and erasure come from the read: after an erasure nothing is merged or answered.
    expect((await call('DELETE', `/v1/server/members/${memberId}`, undefined, SERVER)).status).toBe(204);
    const erased = await decide({ visitorId: v, token: lagging, events: [] });
    expect(erased.body.segment).toBeNull();
    expect(erased.body.token).toBeUndefined();
  });

  it('chains keep the time of the read they descend from, and past 60 s the decide reads again', async () => {
    const v = vid('chain');
    const first = await decide({ visitorId: v, events: [pageView()] });
    const c1 = (await readProfileToken(SECRET, first.body.token))!;
    const second = await decide({ visitorId: v, token: first.body.token, events: [pageView()] });
    expect(second.source).toBe('token');
    const c2 = (await readProfileToken(SECRET, second.body.token))!;
    expect(c2.t).toBe(c1.t);
    const old = await resigned(second.body.token, (c) => {
      c.t = Date.now() - TOKEN_MAX_AGE_MS - 1000;
    });
    const third = await decide({ visitorId: v, token: old, events: [pageView()] });
    expect(third.usage.reads).toBe(1);
    const c3 = (await readProfileToken(SECRET, third.body.token))!;
    expect(c3.t).toBeGreaterThan(c1.t);
  });

  it('tampered, foreign, other-secret and unknown tokens fall back to one read and cannot raise a score', async () => {
    const v = vid('forge');
    const first = await decide({ visitorId: v, events: [pageView()] });
    const honest = await score(v);
    expect(honest).toBeGreaterThan(0);
    const [body, sig] = first.body.token.split('.');
    const claims = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')));
    claims.s = 10_000;
    const raised = `${btoa(JSON.stringify(claims)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.${sig}`;
    const flipped = `${body}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const otherSecret = await resigned(
      first.body.token,
      (c) => {
        c.s = 10_000;
      },
      'another-secret-of-32-bytes-or-more!!',
    );
    const foreign = (await decide({ visitorId: vid('other'), events: [] })).body.token;
    for (const token of [raised, flipped, otherSecret, foreign, 'garbage', `${body}.`]) {
      const out = await decide({ visitorId: v, token, events: [] });
      expect(out.usage.reads, token.slice(0, 12)).toBe(1);
      expect(out.source).toBe('read');
      const next = (await readProfileToken(SECRET, out.body.token))!;
      expect(next.s).toBeLessThan(1000);
    }
    // A forged high score with an event: stored exactly as without a token.
    const e = pageView('pricing');
    await decide({ visitorId: v, token: raised, events: [e] });
    const control = vid('forge-control');
    await decide({ visitorId: control, events: [pageView()] });
    await decide({ visitorId: control, events: [pageView('pricing')] });
    expect(await score(v)).toBeCloseTo(await score(control), 6);
  });

  it('a new configuration version this isolate has not loaded: the decide reads it, and its token carries the new version', async () => {
    const v = vid('config');
    const first = await decide({ visitorId: v, events: [pageView()] });
    await env.DB.prepare(`UPDATE settings SET value = json_quote(?) WHERE key = 'config_version'`).bind(`tok-${Date.now()}`).run();
    invalidateConfig();
    const second = await decide({ visitorId: v, token: first.body.token, events: [] });
    expect(second.usage.reads).toBe(1);
    const third = await decide({ visitorId: v, token: second.body.token, events: [] });
    expect(third.source).toBe('token');
    expect((await readProfileToken(SECRET, third.body.token))!.c).toMatch(/^tok-/);
    await loadDemo();
  });

  it('erasure reaches decides within 60 s: no token older than that is used without a read', async () => {
    const memberId = `erase-tok-${vid()}`;
    const v = await signIn(vid('erase'), memberId, TRAITS);
    const a = await decide({ visitorId: v, events: [download(), pageView('pricing')] });
    expect(a.body.segment?.key).toBe('hot_lead');
    expect((await call('DELETE', `/v1/server/members/${memberId}`, undefined, SERVER)).status).toBe(204);
    // Within 60 s of its read the token is the answer (the documented bound)…
    const within = await decide({ visitorId: v, token: a.body.token, events: [] });
    expect(within.source).toBe('token');
    // …and once its read is 60 s old the decide reads, sees the erasure, and personalises nothing.
    const stale = await resigned(a.body.token, (c) => {
      c.t = Date.now() - TOKEN_MAX_AGE_MS - 1;
    });
    const after = await decide({ visitorId: v, token: stale, events: [pageView()] });
    expect(after.usage.reads).toBe(1);
    expect(after.body.segment).toBeNull();
    expect(Object.values(after.body.slots).every((s) => s === null)).toBe(true);
    expect(after.body.token).toBeUndefined();
    await drainWrites();
    expect(await count('events', 'visitor_id = ?', v)).toBe(0);
  });

  it('trait changes reach decides within 60 s', async () => {
    const memberId = `traits-tok-${vid()}`;
    const v = await signIn(vid('traits'), memberId, TRAITS);
    const a = await decide({ visitorId: v, events: [download(), pageView('pricing')] });
    expect(a.body.segment?.key).toBe('hot_lead');
    const put = await call('PUT', `/v1/server/members/${memberId}`, { traits: { employees: 5, industry: 'Retail' } }, SERVER);
    expect(put.status).toBe(200);
    const stale = await resigned(a.body.token, (c) => {
      c.t = Date.now() - TOKEN_MAX_AGE_MS - 1;
    });
    const after = await decide({ visitorId: v, token: stale, events: [] });
    expect(after.usage.reads).toBe(1);
    expect(after.body.segment?.key).toBe('non_target');
    // The new token holds the new traits, signed: the next page answers from it.
    const next = await decide({ visitorId: v, token: after.body.token, events: [] });
    expect(next.source).toBe('token');
    expect(next.body.segment?.key).toBe('non_target');
  });

  it('stays under 1 KB for a heavy profile', async () => {
    const v = await member('heavy', { ...TRAITS, company: 'x'.repeat(200), title: 'y'.repeat(200) });
    let token: string | undefined;
    let longest = 0;
    let fromTokens = 0;
    for (let day = 29; day >= 0; day--) {
      const events = [
        pageView('pricing', daysAgo(day)),
        pageView('blog', daysAgo(day)),
        { id: eid('dl'), type: 'download', at: daysAgo(day), props: { asset: `/a${day}.pdf`, kind: 'case_study' } },
        { id: eid('ws'), type: 'seminar_signup', at: daysAgo(day), props: { seminar: `s${day}` } },
      ];
      const out = await decide({ visitorId: v, token, events });
      if (out.source === 'token') fromTokens++;
      token = out.body.token;
      longest = Math.max(longest, token?.length ?? 0);
    }
    // Most pages answered from the previous token (a chain holds 32 events, then one read).
    expect(fromTokens).toBeGreaterThanOrEqual(20);
    expect(longest).toBeLessThanOrEqual(TOKEN_MAX_BYTES);
    // A read now sees the whole history, and its token is under 1 KB too.
    const read = await decide({ visitorId: v, events: [pageView()] });
    expect(read.source).toBe('read');
    expect(read.body.token.length).toBeLessThanOrEqual(TOKEN_MAX_BYTES);
    const claims = (await readProfileToken(SECRET, read.body.token))!;
    // Only what the rules read: no trait the segments do not test.
    expect(Object.keys(claims.r ?? {}).sort()).toEqual(['employees', 'industry']);
    expect(await count('events', 'visitor_id = ?', v)).toBe(121);
  });

  it('stores every event exactly once when a page resends events the token already counted', async () => {
    const v = vid('once');
    const e1 = pageView('pricing');
    const first = await decide({ visitorId: v, events: [e1] }, false);
    const again = await decide({ visitorId: v, token: first.body.token, events: [e1, pageView()] }, false);
    expect(again.source).toBe('token');
    const c1 = (await readProfileToken(SECRET, first.body.token))!;
    const c2 = (await readProfileToken(SECRET, again.body.token))!;
    // The resent view is not counted twice in the answer either.
    expect(c2.w?.['page_view.category=pricing']?.[0]).toBe(c1.w?.['page_view.category=pricing']?.[0]);
    await drainWrites();
    expect(await count('events', 'visitor_id = ?', v)).toBe(2);
  });

  it('a first page without a visitor id: the worker makes one and answers with no read', async () => {
    await decide({ visitorId: vid('warm'), events: [] }); // the isolate has seen the config stamp
    const out = await decide({ events: [pageView()] });
    expect(out.usage).toEqual({ reads: 0, batches: 0 });
    expect(out.source).toBe('new');
    expect(out.body.visitorId).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(await count('events', 'visitor_id = ?', out.body.visitorId)).toBe(1);
    const next = await decide({ visitorId: out.body.visitorId, token: out.body.token, events: [pageView()] });
    expect(next.source).toBe('token');
  });

  it('outside local dev, a missing or short PROFILE_SECRET issues no token, and the decide still answers (a valid token it is sent changes nothing)', async () => {
    const prod = (secret: string | undefined) => {
      const base: Record<string, unknown> = { ...env, DECIDE_WRITES: 'queue', PROFILE_SECRET: secret };
      for (const key of ['LOCAL_DEV', 'DEMO_MODE', 'ALLOWED_ORIGINS', 'DEBUG_TIMING']) delete base[key];
      return base;
    };
    const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext;
    const v = vid('prod-token');
    const send = async (secret: string | undefined, token?: string) => {
      const body = JSON.stringify({ visitorId: v, slots: ['hero'], events: [pageView()], token });
      const res = await app.fetch(new Request('https://edge.example.jp/v1/decide', { method: 'POST', body }), prod(secret), ctx);
      expect(res.status).toBe(200);
      await drainWrites();
      return json(res);
    };
    const long = 'profile-'.padEnd(44, 'x');
    const valid = (await send(long)).token;
    expect(typeof valid).toBe('string');
    for (const secret of [undefined, '', 'short-secret']) {
      const out = await send(secret, valid);
      expect(out.token, String(secret)).toBeUndefined();
      expect(Object.keys(out.slots)).toEqual(['hero']);
    }
  });
});
