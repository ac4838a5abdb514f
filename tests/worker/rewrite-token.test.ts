/**
 * Rewrite mode's profile token (docs/edge-rewrite.md#returning-visitors-read-nothing), through the
 * real worker (workerd, local D1, the writes queue) in front of the real origin server: the
 * decision block of a personalized page carries the next page's token; the next page with it in
 * the `dw_pt` cookie reads nothing from D1 and is decided exactly as the read path decides it; a
 * page view still in the queue counts on the next page; a tampered, foreign or expired token
 * is ignored (one read, same decision); inline writes and crawlers get no token.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKEN_MAX_AGE_MS, TOKEN_MAX_BYTES } from '../../worker/core/profile-token';
import { readProfileToken, signProfileToken } from '../../worker/lib/profile-token';
import type { WriteMessage } from '../../worker/services/writes/message';
import { loadDemo, signIn, vid } from './helpers';
import { putPage, splitDecision, throughEdge } from './origin/client';
import { countedDb } from './storage-probes';
import { recordingWritesQueue } from './writes-recorder';

beforeAll(loadDemo);

const SECRET = 'dev-profile-secret';
const HTML = { 'content-type': 'text/html; charset=utf-8' };
const PAGE =
  '<!doctype html><html><head><meta charset="utf-8"><meta name="dw:category" content="blog"></head><body>' +
  '<div data-dw-slot="hero"><h1>既定</h1></div><div data-dw-slot="cta"><a href="/contact">問い合わせ</a></div></body></html>';
const SAAS = { industry: 'SaaS', employees: 120 };

const member = (label: string) => signIn(vid(label), `m-${crypto.randomUUID()}`, SAAS);

/**
 * Statements on the page's own account: a decide without a read may re-check the configuration's
 * stamp after answering (one tiny statement in `waitUntil`, when the isolate's stamp is over 5 s
 * old), which is not a read of this visitor.
 */
const visitorReads = (sql: string[]) => sql.filter((q) => !/^SELECT value FROM settings WHERE key = 'config_version'$/.test(q.trim()));

/** One page through the edge with the writes queue; `keep: false` sends its writes nowhere. */
async function visit(path: string, cookie: string, opts: { keep?: boolean; writes?: 'queue' | 'inline'; ua?: string } = {}) {
  const { sql, db } = countedDb();
  const recording = recordingWritesQueue();
  const bindings: Record<string, unknown> = { DB: db, DECIDE_WRITES: opts.writes ?? 'queue' };
  if (opts.keep === false) bindings.WRITES_QUEUE = recording.queue;
  const headers: Record<string, string> = { cookie };
  if (opts.ua) headers['user-agent'] = opts.ua;
  const { res, settled } = await throughEdge(path, { headers, bindings });
  const html = await res.text();
  await settled();
  const { decision } = splitDecision(html);
  return { res, html, decision, sql, sent: recording.sent };
}

/** The decision without its token, to compare what two pages showed. */
const shown = (decision: { token?: string }) => {
  const { token: _, ...rest } = decision;
  return rest;
};

describe('rewrite mode with the profile token cookie', () => {
  it('the next page within 60 s reads nothing and is decided as the read path decides it', async () => {
    const v = await member('rwt-next');
    await putPage('/t/next', { headers: HTML, parts: [PAGE] });
    const first = await visit('/t/next', `dw_vid=${v}`);
    expect(visitorReads(first.sql).length).toBeGreaterThan(0);
    const token = first.decision.token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThanOrEqual(TOKEN_MAX_BYTES);
    expect((await readProfileToken(SECRET, token))?.v).toBe(v);
    expect(first.decision.segment?.key).toBe('info_gathering');

    // The same next page twice, writes kept out of D1 so both see the same stored profile:
    // with the token (no read), and without it (one read).
    const withToken = await visit('/t/next', `dw_vid=${v}; dw_pt=${token}`, { keep: false });
    const withoutToken = await visit('/t/next', `dw_vid=${v}`, { keep: false });
    expect(visitorReads(withToken.sql)).toEqual([]);
    expect(visitorReads(withoutToken.sql).length).toBeGreaterThan(0);
    expect(shown(withToken.decision)).toEqual(shown(withoutToken.decision));
    expect(withToken.html).toContain('data-dw-decided="info_gathering_hero"');
    // Both hand the page view to the queue the same way, and both hand on a token.
    const events = (sent: WriteMessage[]) => sent.flatMap((m) => m.events.map((e) => [e.type, e.props]));
    expect(events(withToken.sent)).toEqual([['page_view', { category: 'blog' }]]);
    expect(events(withoutToken.sent)).toEqual(events(withToken.sent));
    expect((await readProfileToken(SECRET, withToken.decision.token))?.v).toBe(v);
  });

  it('a page whose writes are still in the queue counts on the next page (the token carries it)', async () => {
    const v = await member('rwt-lag');
    await putPage('/t/lag', { headers: HTML, parts: [PAGE] });
    // The first page's writes never reach D1 (still "in the queue" for good).
    const first = await visit('/t/lag', `dw_vid=${v}`, { keep: false });
    const claims = await readProfileToken(SECRET, first.decision.token);
    expect(claims?.l).toBe(first.sent[0]!.events[0]!.id);
    const next = await visit('/t/lag', `dw_vid=${v}; dw_pt=${first.decision.token}`, { keep: false });
    expect(visitorReads(next.sql)).toEqual([]);
    // The next token descends from the same read and counts both page views.
    const after = (await readProfileToken(SECRET, next.decision.token))!;
    expect(after.t).toBe(claims!.t);
    expect(after.e!.length).toBe(claims!.e!.length * 2);
  });

  it('a tampered, foreign or expired token is ignored: one read, the same decision', async () => {
    const v = await member('rwt-bad');
    const other = await member('rwt-other');
    await putPage('/t/bad', { headers: HTML, parts: [PAGE] });
    const mine = (await visit('/t/bad', `dw_vid=${v}`)).decision.token as string;
    const theirs = (await visit('/t/bad', `dw_vid=${other}`)).decision.token as string;
    const claims = (await readProfileToken(SECRET, mine))!;
    const expired = (await signProfileToken(SECRET, { ...claims, t: Date.now() - TOKEN_MAX_AGE_MS - 1000 }))!;
    const forged = (await signProfileToken('another-secret-of-32-bytes-or-more!!', claims))!;
    const flipped = mine.slice(0, -1) + (mine.endsWith('A') ? 'B' : 'A');
    const reference = await visit('/t/bad', `dw_vid=${v}`, { keep: false });
    for (const bad of [flipped, forged, theirs, expired, 'not-a-token']) {
      const out = await visit('/t/bad', `dw_vid=${v}; dw_pt=${bad}`, { keep: false });
      expect(visitorReads(out.sql).length, bad.slice(0, 12)).toBeGreaterThan(0);
      expect(shown(out.decision), bad.slice(0, 12)).toEqual(shown(reference.decision));
      expect(out.decision.visitorId).toBe(v);
    }
  });

  it('inline writes hand out no token; a crawler gets neither a decision nor a token', async () => {
    const v = await member('rwt-inline');
    await putPage('/t/inline', { headers: HTML, parts: [PAGE] });
    const inline = await visit('/t/inline', `dw_vid=${v}`, { writes: 'inline' });
    expect(inline.decision.segment?.key).toBe('info_gathering');
    expect(inline.decision.token).toBeUndefined();
    const crawler = await visit('/t/inline', `dw_vid=${v}`, {
      ua: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    });
    expect(crawler.decision).toBeNull();
    expect(crawler.html).toBe(PAGE);
    expect(crawler.res.headers.get('set-cookie')).toBeNull();
  });
});
