/**
 * The worker's cron runs event retention with the deployment's settings: wrangler.toml's
 * EVENT_RETENTION_DAYS (400) and the ARCHIVE bucket the tests bind. An event older than the
 * horizon (written as the worker writes one, dated before the server API would take it) is
 * archived under its day and deleted; one 399 days old stays.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { retentionCut } from '../../worker/core/retention';
import { DAY_MS } from '../../worker/core/types';
import worker from '../../worker/index';
import { count, eid, loadDemo, post, SERVER } from './helpers';

const NOW = Date.now();
const OLD = NOW - 500 * DAY_MS;
const oldId = eid('old');

beforeAll(async () => {
  await loadDemo();
  const kept = { id: eid('kept'), type: 'page_view', at: new Date(NOW - 399 * DAY_MS).toISOString(), props: { category: 'pricing' } };
  expect((await post('/v1/server/collect', { memberId: 'cron-a', events: [kept] }, SERVER)).status).toBe(200);
  await env.DB.prepare(
    `INSERT INTO events (subject, id, visitor_id, member_id, type, at, url, props, points, breakdown, score_after, received_at)
     VALUES ('m:cron-a', ?1, NULL, 'cron-a', 'page_view', ?2, NULL, '{"category":"pricing"}', 5, '[]', 5, ?2)`,
  )
    .bind(oldId, OLD)
    .run();
});

describe('the cron', () => {
  it('archives and deletes what is older than EVENT_RETENTION_DAYS, and keeps the rest', async () => {
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: NOW, cron: '* * * * *' }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await count('events', 'id = ?', oldId)).toBe(0);
    expect(await count('events', `member_id = 'cron-a'`)).toBe(1);
    const last = await env.DB.prepare('SELECT lease_until, last_run FROM retention_state WHERE id = 1').first<{
      lease_until: number;
      last_run: string;
    }>();
    expect(last!.lease_until).toBe(0);
    const run = JSON.parse(last!.last_run);
    expect(run).toMatchObject({ horizonDays: 400, deleted: 1, archived: 1, done: true });
    expect(run.cut).toBe(retentionCut(run.at, 400));
    const listed = await env.ARCHIVE.list({ prefix: `events/${new Date(OLD).toISOString().slice(0, 10)}/` });
    expect(listed.objects.length).toBe(1);
    const line = JSON.parse((await (await env.ARCHIVE.get(listed.objects[0]!.key))!.text()).trim());
    expect(line).toMatchObject({ id: oldId, member_id: 'cron-a', at: OLD });
    expect(await count('event_folds', `member_id = 'cron-a'`)).toBe(1);
  });
});
