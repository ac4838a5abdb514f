/**
 * Segment history through the real worker and D1: the cron counts the site's day that ended
 * last exactly once, the next count sees entries and exits, the API answers sizes per day with
 * the 28-day outlook, the backfill rebuilds past days from events, and erasure takes a member's
 * membership row with it.
 */
import { env } from 'cloudflare:workers';
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { siteCalendar } from '../../worker/core/zone';
import { serviceContext } from '../../worker/services/context';
import { countSegmentDay } from '../../worker/services/segment-history';
import { call, count, daysAgo, eid, loadDemo, post, SERVER } from './helpers';
import { api } from './admin-helpers';

const TOKYO = siteCalendar('Asia/Tokyo');
const DAY = 86_400_000;
const yesterday = () => TOKYO.dayOf(Date.now()) - 1;

async function member(
  id: string,
  traits: Record<string, unknown>,
  events: { type: string; props?: Record<string, unknown>; daysAgo: number }[],
) {
  expect((await call('PUT', `/v1/server/members/${id}`, { traits }, { ...SERVER, 'content-type': 'application/json' })).status).toBe(200);
  const body = { memberId: id, events: events.map((e) => ({ id: eid(), type: e.type, props: e.props ?? {}, at: daysAgo(e.daysAgo) })) };
  expect((await post('/v1/server/collect', body, SERVER)).status).toBe(200);
}

const target = { industry: 'SaaS', employees: 120 };

async function runCron() {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: '* * * * *' }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function dayRows(day: number) {
  const { results } = await env.DB.prepare(
    'SELECT segment, size, entered, exited, active, reach28 FROM segment_days WHERE day = ?1 ORDER BY segment',
  )
    .bind(day)
    .all();
  return Object.fromEntries(results.map((r) => [r.segment, [r.size, r.entered, r.exited]]));
}

beforeAll(async () => {
  await loadDemo();
  await member('h-1', target, [
    { type: 'download', props: { asset: 'wp.pdf', kind: 'whitepaper' }, daysAgo: 3 },
    { type: 'page_view', props: { category: 'pricing' }, daysAgo: 2 },
  ]);
  await member('h-2', target, [
    { type: 'download', props: { asset: 'wp.pdf', kind: 'whitepaper' }, daysAgo: 3 },
    { type: 'page_view', props: { category: 'pricing' }, daysAgo: 1 },
  ]);
  await member('c-1', target, [{ type: 'download', props: { asset: 'cs.pdf', kind: 'case_study' }, daysAgo: 10 }]);
  await member('n-1', { industry: 'Retail' }, [{ type: 'page_view', daysAgo: 1 }]);
});

describe('the daily count', () => {
  it("the cron counts yesterday (on Tokyo's calendar) once, whatever the number of runs", async () => {
    await runCron();
    expect(await dayRows(yesterday())).toEqual({
      consideration: [1, 1, 0],
      dormant: [0, 0, 0],
      hot_lead: [2, 2, 0],
      info_gathering: [0, 0, 0],
      non_target: [1, 1, 0],
    });
    const claim = await env.DB.prepare('SELECT status, population FROM segment_counts WHERE day = ?1').bind(yesterday()).first();
    expect(claim).toEqual({ status: 'done', population: 4 });
    await runCron();
    expect(await count('segment_days', 'day = ?1', yesterday())).toBe(5);
    expect((await api('POST', '/segment-history/count')).body).toMatchObject({ day: yesterday(), counted: false });
  });

  it('the next day sees who entered and who left', async () => {
    // h-1 becomes a non-target (traits changed by the CRM); c-1 turns hot; a new member joins.
    await call('PUT', '/v1/server/members/h-1', { traits: { industry: 'Retail' } }, { ...SERVER, 'content-type': 'application/json' });
    await member('c-1', target, [
      { type: 'download', props: { asset: 'wp.pdf', kind: 'whitepaper' }, daysAgo: 0 },
      { type: 'page_view', props: { category: 'pricing' }, daysAgo: 0 },
    ]);
    await member('i-1', target, [{ type: 'page_view', props: { category: 'blog' }, daysAgo: 0 }]);
    const tomorrow = Date.now() + DAY;
    expect(await countSegmentDay(serviceContext(env.DB, env, tomorrow))).toMatchObject({
      day: yesterday() + 1,
      counted: true,
      population: 5,
    });
    expect(await dayRows(yesterday() + 1)).toEqual({
      consideration: [0, 0, 1],
      dormant: [0, 0, 0],
      hot_lead: [2, 1, 1],
      info_gathering: [1, 1, 0],
      non_target: [2, 1, 0],
    });
    const since = await env.DB.prepare(`SELECT segment, since FROM segment_members WHERE subject = 'm:n-1'`).first();
    expect(since).toEqual({ segment: 'non_target', since: yesterday() });
  });

  it('answers sizes per day with the 28-day outlook', async () => {
    const res = await api('GET', '/segment-history?days=30');
    expect(res.status).toBe(200);
    expect(res.body.timeZone).toBe('Asia/Tokyo');
    const hot = res.body.segments.find((s: { key: string }) => s.key === 'hot_lead');
    expect(hot.history.map((r: { size: number }) => r.size)).toEqual([2]);
    expect(hot.history[0]).toMatchObject({ entered: 2, exited: 0, active: 1, reach28: 2 });
    expect(hot.history[0].date).toBe(new Date(yesterday() * DAY).toISOString().slice(0, 10));
    expect(hot.outlook).toMatchObject({ reach28: 2, requiredPerArm: expect.any(Number), tooSmall: true });
    expect((await api('GET', '/segment-history?days=0')).status).toBe(400);
  });
});

describe('the backfill', () => {
  it('rebuilds past days from the events, replacing what was counted', async () => {
    const res = await api('POST', '/segment-history/backfill', { days: 14 });
    expect(res.status).toBe(200);
    // Profiles with events before today: i-1 only acted today, which a backfill does not cover.
    expect(res.body).toEqual({ days: 14, population: 4 });
    const hot = (await api('GET', '/segment-history?days=14')).body.segments.find((s: { key: string }) => s.key === 'hot_lead');
    expect(hot.history).toHaveLength(14);
    // h-2 is hot from its pricing view a day ago; h-1 from two days ago is non-target now (today's traits).
    expect(hot.history.map((r: { size: number }) => r.size).slice(-3)).toEqual([0, 0, 1]);
    // The first rebuilt day records no movement.
    expect(hot.history[0]).toMatchObject({ entered: 0, exited: 0 });
    expect(await count('segment_counts', `status = 'done' AND day <= ?1`, yesterday())).toBe(14);
    expect((await api('POST', '/segment-history/backfill', { days: 91 })).status).toBe(400);
  });

  it('erasure removes the member from the membership rows', async () => {
    expect(await count('segment_members', `subject = 'm:n-1'`)).toBe(1);
    expect((await call('DELETE', '/v1/server/members/n-1', undefined, SERVER)).status).toBe(204);
    expect(await count('segment_members', `subject = 'm:n-1'`)).toBe(0);
  });
});
