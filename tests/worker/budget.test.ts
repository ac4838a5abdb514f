/**
 * The hot-path budget (docs/architecture.md#the-storage-budget, docs/storage.md), counted through
 * the real worker: a decide answers after one read and no write on a warm isolate — its writes
 * go to the writes queue, whose consumer applies them in one batch — with the demo config and
 * with 50 segments; collect still costs one read and one batched write; configuration is read
 * again only after it changes.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { configStatements } from '../../db/seed/sql.mjs';
import { configLoads, invalidateConfig } from '../../worker/services/config-store';
import { count, eid, json, loadDemo, pageView, post, vid } from './helpers';

function d1Usage(res: Response) {
  const header = res.headers.get('server-timing') ?? '';
  const m = /reads=(\d+) batches=(\d+) statements=(\d+)/.exec(header);
  if (!m) throw new Error(`no d1 usage in Server-Timing: ${header}`);
  return { reads: Number(m[1]), batches: Number(m[2]), statements: Number(m[3]) };
}

async function decide(visitorId: string, events: unknown[], slots = ['hero', 'cta']) {
  return post('/v1/decide', { visitorId, slots, events });
}

/** 50 segments that never match a plain visitor, so resolution walks all of them. */
async function loadManySegments(n: number) {
  const stmts = [env.DB.prepare('DELETE FROM segments')];
  for (let i = 0; i < n; i++) {
    const rule = {
      match: 'all',
      conditions: [
        { type: 'trait', trait: 'industry', op: 'in', value: ['IT', 'SaaS'] },
        { type: 'behavior', event: 'page_view', where: { category: `c${i}` }, withinDays: 7, op: 'gte', count: 2 },
      ],
    };
    stmts.push(
      env.DB.prepare('INSERT INTO segments (id, key, name, priority, enabled, rule) VALUES (?, ?, ?, ?, 1, ?)').bind(
        `s${i}`,
        `s${i}`,
        `S${i}`,
        i,
        JSON.stringify(rule),
      ),
    );
  }
  stmts.push(env.DB.prepare(`UPDATE settings SET value = json_quote(?) WHERE key = 'config_version'`).bind(`many-${n}`));
  await env.DB.batch(stmts);
}

describe('D1 statements per request', () => {
  beforeAll(loadDemo);

  it('decide on a warm isolate: 1 read, writes queued (demo config), no config read', async () => {
    await decide(vid('warmup'), [pageView()]);
    const loadsBefore = configLoads.count;
    const v = vid('budget');
    const first = await decide(v, [pageView()]);
    expect(d1Usage(first)).toEqual({ reads: 1, batches: 0, statements: 0 });
    const again = await decide(v, [pageView('pricing'), { id: eid(), type: 'download', props: { asset: 'a' } }]);
    expect(d1Usage(again)).toEqual({ reads: 1, batches: 0, statements: 0 });
    expect(configLoads.count).toBe(loadsBefore);
    // …and the queue stored all three events (the helper waits for it to drain).
    expect(await count('events', 'visitor_id = ?', v)).toBe(3);
  });

  it('decide with nothing new to store: 1 read, no write', async () => {
    const v = vid('noop');
    await decide(v, [pageView()]);
    expect(d1Usage(await decide(v, []))).toEqual({ reads: 1, batches: 0, statements: 0 });
  });

  it('collect: 1 read + 1 batch for a batch of 50 events', async () => {
    const events = Array.from({ length: 50 }, () => pageView());
    const res = await post('/v1/collect', { visitorId: vid('fifty'), events });
    expect((await json(res)).accepted).toBe(50);
    expect(d1Usage(res)).toMatchObject({ reads: 1, batches: 1 });
  });

  it('decide with the inline path (local dev header, for the bench): 1 read + 1 batch', async () => {
    const res = await post('/v1/decide', { visitorId: vid('inline'), slots: ['hero'], events: [pageView()] }, { 'x-dw-writes': 'inline' });
    expect(d1Usage(res)).toMatchObject({ reads: 1, batches: 1 });
  });

  it('the same with 50 segments × 20 slots', async () => {
    await loadManySegments(50);
    const slots = Array.from({ length: 20 }, (_, i) => `slot${i}`);
    await decide(vid('warm50'), [pageView()], slots); // reloads config once (version changed)
    const loadsBefore = configLoads.count;
    const res = await decide(vid('fifty-seg'), [pageView()], slots);
    expect(res.status).toBe(200);
    expect(d1Usage(res)).toEqual({ reads: 1, batches: 0, statements: 0 });
    expect(configLoads.count).toBe(loadsBefore);
    // Restore the demo for later tests in this file.
    await env.DB.batch([env.DB.prepare('DELETE FROM segments'), ...configStatements().map((s: string) => env.DB.prepare(s))]);
    await env.DB.prepare(`UPDATE settings SET value = json_quote('restored') WHERE key = 'config_version'`).run();
    invalidateConfig();
  });
});

describe('configuration refresh', () => {
  beforeAll(loadDemo);

  it('a change made elsewhere (another isolate) is picked up on the next decide through the version stamp', async () => {
    const v = vid('refresh');
    await post('/v1/identify', {
      visitorId: v,
      token: await (await import('./helpers')).identifyToken(`m-${v}`, { industry: 'Manufacturing', employees: 10 }),
    });
    expect((await json(await decide(v, [pageView()]))).slots.cta.variant).toBe('non_target_cta');
    const loads = configLoads.count;
    // Simulate another isolate's admin write: new content and a new version stamp.
    await env.DB.batch([
      env.DB.prepare(`UPDATE variants SET html = '<p>updated</p>' WHERE id = 'non_target_cta'`),
      env.DB.prepare(`UPDATE settings SET value = json_quote('changed-elsewhere') WHERE key = 'config_version'`),
    ]);
    const body = await json(await decide(v, [pageView()]));
    expect(body.slots.cta.content.html).toBe('<p>updated</p>');
    expect(configLoads.count).toBe(loads + 1);
  });
});
