/**
 * When alerts fire, through the real pipeline: once per entry, the cooldown held by the outbox
 * even when the profile's memory is lost, re-entry after the cooldown, sign-in (identify) as a
 * crossing, the hot path's budget with alerts on, what the message says (checked against the
 * stored events, computed independently here) and erasure of the member's deliveries.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DAY_MS } from '../../worker/core/types';
import { ADMIN, SERVER, call, eid, identifyToken, json, loadDemo, post, vid } from './helpers';
import {
  consume,
  createAlert,
  crossIntoHotLead,
  deliveriesOf,
  HOT_TRAITS,
  received,
  recordingQueue,
  requestWithQueue,
  resetAlerts,
} from './receiver/client';

let n = 0;
const member = (label: string) => `m-${label}-${Date.now().toString(36)}-${n++}`;

async function collect(queue: ReturnType<typeof recordingQueue>, memberId: string, events: unknown[]) {
  const res = await requestWithQueue(queue, '/v1/server/collect', { memberId, events }, SERVER);
  expect(res.status).toBe(200);
}

beforeAll(loadDemo);
beforeEach(resetAlerts);

describe('firing', () => {
  it('once per entry: more activity while in the segment fires nothing', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('once');
    const id = member('once');
    expect(await crossIntoHotLead(queue, id)).toHaveLength(1);
    for (let i = 0; i < 5; i++) await collect(queue, id, [{ id: eid(), type: 'page_view', props: { category: 'pricing' } }]);
    expect(queue.take()).toEqual([]);
    expect(await deliveriesOf(alert.id)).toHaveLength(1);
  });

  it('anonymous visitors never fire: alerts are about members', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('anon', { trigger: { type: 'score_reached', score: 5 } });
    const res = await requestWithQueue(queue, '/v1/collect', {
      visitorId: vid('anon'),
      events: [{ id: eid(), type: 'download', props: { asset: 'a' } }],
    });
    expect(res.status).toBe(200);
    expect(await deliveriesOf(alert.id)).toHaveLength(0);
  });

  it('the outbox holds the cooldown even when the profile’s memory says "not in"', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('memory');
    const id = member('memory');
    await crossIntoHotLead(queue, id);
    // Forget that the member is in (as a lost memory would): the pipeline decides to fire again…
    await env.DB.prepare(`UPDATE members SET profile = json_set(profile, '$.alerts', json('{}')) WHERE id = ?1`).bind(id).run();
    await collect(queue, id, [{ id: eid(), type: 'page_view', props: { category: 'pricing' } }]);
    // …but the insert finds the delivery of 0 days ago within the 7-day cooldown and writes nothing.
    expect(await deliveriesOf(alert.id)).toHaveLength(1);
    const messages = queue.take();
    await consume(
      messages.map((m) => m.body),
      queue,
    );
    expect(await received('memory')).toHaveLength(0);
  });

  it('leaving and coming back inside the cooldown is silent; after it, fires again', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('reentry');
    const id = member('reentry');
    await crossIntoHotLead(queue, id);
    const leave = async () => {
      await call('PUT', `/v1/server/members/${id}`, { traits: { industry: 'Manufacturing' } }, SERVER);
      await collect(queue, id, [{ id: eid(), type: 'page_view', props: {} }]);
    };
    const comeBack = async () => {
      await call('PUT', `/v1/server/members/${id}`, { traits: HOT_TRAITS }, SERVER);
      await collect(queue, id, [{ id: eid(), type: 'page_view', props: { category: 'pricing' } }]);
    };
    await leave();
    await comeBack();
    expect(await deliveriesOf(alert.id)).toHaveLength(1);
    await leave();
    // Eight days pass since the alert fired (in the log and in the member's memory).
    const shift = 8 * DAY_MS;
    await env.DB.batch([
      env.DB.prepare('UPDATE alert_deliveries SET created_at = created_at - ?2 WHERE alert_id = ?1').bind(alert.id, shift),
      env.DB.prepare(
        `UPDATE members SET profile = (SELECT json_set(m.profile, '$.alerts.' || json_quote(j.key) || '.firedAt', json_extract(j.value, '$.firedAt') - ?2)
           FROM members m, json_each(m.profile, '$.alerts') j WHERE m.id = ?1) WHERE id = ?1`,
      ).bind(id, shift),
    ]);
    await comeBack();
    expect(await deliveriesOf(alert.id)).toHaveLength(2);
  });

  it('a switched-off alert fires nothing, and its pending deliveries fail when their turn comes', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('off');
    const [pending] = await crossIntoHotLead(queue, member('off'));
    const body = {
      name: alert.name,
      enabled: false,
      trigger: alert.trigger,
      destination: alert.destination,
      cooldownDays: alert.cooldownDays,
    };
    expect((await call('PUT', `/api/alerts/${alert.id}`, body, ADMIN)).status).toBe(200);
    expect(await crossIntoHotLead(queue, member('off-2'))).toEqual([]);
    await consume([pending!], queue);
    expect((await deliveriesOf(alert.id))[0]).toMatchObject({ status: 'failed', last_error: 'alert_disabled' });
    expect(await received('off')).toHaveLength(0);
  });

  it('signing in can be the crossing: anonymous history joins the member and the alert fires', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('identify');
    const visitor = vid('idf');
    const browse = await requestWithQueue(queue, '/v1/collect', {
      visitorId: visitor,
      events: [
        { id: eid(), type: 'page_view', props: { category: 'pricing' } },
        { id: eid(), type: 'download', props: { asset: 'wp', kind: 'whitepaper' } },
      ],
    });
    expect(browse.status).toBe(200);
    expect(await deliveriesOf(alert.id)).toHaveLength(0);
    const id = member('identify');
    const res = await requestWithQueue(queue, '/v1/identify', { visitorId: visitor, token: await identifyToken(id, HOT_TRAITS) });
    expect(res.status).toBe(200);
    expect((await json(res)).segment).toBe('hot_lead');
    const [msg] = queue.take();
    expect(msg!.body.id).toBe((await deliveriesOf(alert.id))[0]!.id);
    await consume([msg!.body], queue);
    const [got] = await received('identify');
    expect(got!.verified).toBe(true);
    expect(got!.body.member.id).toBe(id);
    expect(got!.body.recent.map((e: { type: string }) => e.type)).toEqual(['download', 'page_view']);
  });

  it('a decide that fires an alert still answers after one read, no write; the queued write fires it once', async () => {
    await createAlert('budget', { trigger: { type: 'score_reached', score: 40 } });
    const visitor = await (async () => {
      const res = await post('/v1/identify', { visitorId: vid('budget'), token: await identifyToken(member('budget'), HOT_TRAITS) });
      return (await json(res)).visitorId as string;
    })();
    const usage = (res: Response) =>
      /reads=(\d+) batches=(\d+)/
        .exec(res.headers.get('server-timing') ?? '')!
        .slice(1)
        .map(Number);
    // Warm-up: the first request after the alert was created loads the alert rules once.
    await post('/v1/decide', { visitorId: visitor, slots: ['hero'], events: [{ id: eid(), type: 'page_view', props: {} }] });
    const res = await post('/v1/decide', {
      visitorId: visitor,
      slots: ['hero'],
      events: [{ id: eid(), type: 'form_inquiry', props: { form: 'contact' } }],
    });
    expect(res.status).toBe(200);
    // The alert is fired by the writes queue's consumer, in the batch that stores the event.
    expect(usage(res)).toEqual([1, 0]);
    const row = await env.DB.prepare(
      `SELECT COUNT(*) AS n FROM alert_deliveries WHERE kind = 'alert' AND json_extract(snapshot, '$.score') >= 40`,
    ).first<{ n: number }>();
    expect(row!.n).toBe(1);
  });
});

describe('what the message says', () => {
  it('reasons and recent events match the stored events; the sentence names what was done', async () => {
    const queue = recordingQueue();
    await createAlert('content');
    const id = member('content');
    await call('PUT', `/v1/server/members/${id}`, { traits: HOT_TRAITS }, SERVER);
    const day = (d: number) => new Date(Date.now() - d * DAY_MS).toISOString();
    // History: older than 30 days (no reason), then pricing three times, a blog post, then a download.
    await collect(queue, id, [
      { id: eid(), type: 'email_open', at: day(40), props: { campaign: 'old' } },
      { id: eid(), type: 'page_view', at: day(3), props: { category: 'blog' } },
      ...[2, 1.5, 1].map((d) => ({ id: eid(), type: 'page_view', at: day(d), props: { category: 'pricing' } })),
    ]);
    await collect(queue, id, [{ id: eid(), type: 'download', props: { asset: 'guide', kind: 'document' } }]);
    const [msg] = queue.take();
    await consume([msg!.body], queue);
    const [got] = await received('content');
    const body = got!.body;

    // Independently: sum each rule's points in the last 30 days from the stored breakdowns.
    const { results: events } = await env.DB.prepare(
      'SELECT type, at, url, props, breakdown FROM events WHERE member_id = ?1 ORDER BY at DESC',
    )
      .bind(id)
      .all<{ type: string; at: number; breakdown: string; url: string | null; props: string }>();
    const firedAt = Date.parse(body.occurredAt);
    const expected = new Map<string, { points: number; count: number; lastAt: number }>();
    for (const e of events) {
      if (e.at <= firedAt - 30 * DAY_MS) continue;
      for (const b of JSON.parse(e.breakdown) as { ruleId: string; points: number }[]) {
        if (b.points <= 0) continue;
        const r = expected.get(b.ruleId) ?? { points: 0, count: 0, lastAt: 0 };
        expected.set(b.ruleId, { points: r.points + b.points, count: r.count + 1, lastAt: Math.max(r.lastAt, e.at) });
      }
    }
    const want = [...expected.entries()]
      .sort((a, b) => b[1].points - a[1].points || b[1].lastAt - a[1].lastAt || a[0].localeCompare(b[0]))
      .map(([ruleId, r]) => ({ ruleId, points: r.points, count: r.count, lastAt: new Date(r.lastAt).toISOString() }));
    expect(body.reasons.map(({ label: _l, ...r }: { label: string }) => r)).toEqual(want);
    expect(body.reasons.find((r: { ruleId: string }) => r.ruleId === 'email_open')).toBeUndefined();
    expect(body.recent).toEqual(
      events.slice(0, 10).map((e) => ({ type: e.type, at: new Date(e.at).toISOString(), url: e.url, props: JSON.parse(e.props) })),
    );

    const score = body.score.value;
    expect(body.summary).toBe(
      `SaaS・120名の株式会社サンプルが料金ページを3回見て資料をダウンロードし、スコア${score}で「ホットリード」になりました`,
    );
    expect(body.adminUrl).toBe(`http://edge.test/admin/members/${id}`);
    const memberScore = (await json(await call('GET', `/api/members/${id}`, undefined, ADMIN))).score;
    expect(score).toBe(memberScore);
  });

  it('the member page’s list: GET /api/deliveries?member=', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('member-page');
    const id = member('member-page');
    await crossIntoHotLead(queue, id);
    const list = await json(await call('GET', `/api/deliveries?member=${id}`, undefined, ADMIN));
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({
      alertId: alert.id,
      alertName: alert.name,
      memberId: id,
      status: 'pending',
      snapshot: { segment: 'hot_lead' },
    });
  });

  it('erasing the member erases its messages', async () => {
    const queue = recordingQueue();
    const alert = await createAlert('erase');
    const id = member('erase');
    await consume(await crossIntoHotLead(queue, id), queue);
    expect(await deliveriesOf(alert.id)).toHaveLength(1);
    expect((await call('DELETE', `/v1/server/members/${id}`, undefined, SERVER)).status).toBe(204);
    expect(await deliveriesOf(alert.id)).toHaveLength(0);
  });
});
