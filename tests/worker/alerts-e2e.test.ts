/**
 * Alerts end to end through the real parts: a server event makes a member cross into hot_lead,
 * the outbox row is written with the event, the real local queue delivers it to the consumer,
 * and the Node receiver gets one signed message, which it verifies with its own code.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, SERVER, call, eid, json, loadDemo, post } from './helpers';
import { createAlert, deliveriesOf, received, resetAlerts, script, waitForReceived } from './receiver/client';

const hotTraits = { company: '株式会社サンプル', industry: 'SaaS', employees: 120 };

async function serverCollect(memberId: string, events: unknown[]) {
  const res = await post('/v1/server/collect', { memberId, events }, SERVER);
  expect(res.status).toBe(200);
  return json(res);
}

describe('a member crossing into hot_lead', () => {
  beforeAll(loadDemo);

  it('sends one signed message within seconds, and nothing more while the member stays', async () => {
    const alert = await createAlert('e2e');
    const memberId = `m-e2e-${Date.now()}`;
    expect((await call('PUT', `/v1/server/members/${memberId}`, { traits: hotTraits }, SERVER)).status).toBe(200);
    await serverCollect(memberId, [{ id: eid(), type: 'page_view', props: { category: 'pricing' } }]);
    expect(await deliveriesOf(alert.id)).toHaveLength(0);
    await serverCollect(memberId, [{ id: eid(), type: 'download', props: { asset: 'guide', kind: 'document' } }]);
    const rows = await deliveriesOf(alert.id);
    expect(rows).toHaveLength(1);
    const [msg] = await waitForReceived('e2e', 1);
    expect(msg!.verified).toBe(true);
    expect(msg!.id).toBe(rows[0]!.id);
    expect(msg!.body).toMatchObject({
      type: 'alert.fired',
      id: rows[0]!.id,
      alert: { id: alert.id },
      member: { id: memberId, traits: hotTraits },
      segment: { key: 'hot_lead', name: 'ホットリード' },
    });
    await serverCollect(memberId, [{ id: eid(), type: 'page_view', props: { category: 'pricing' } }]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await received('e2e')).toHaveLength(1);
    const log = await json(await call('GET', `/api/deliveries?alert=${alert.id}`, undefined, ADMIN));
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({ status: 'delivered', attempts: 1, lastStatusCode: 200, memberId });
  });

  it('a receiver that fails once gets the same message again about 5 s later, through the real queue', async () => {
    await resetAlerts();
    const alert = await createAlert('e2e-retry', { trigger: { type: 'tier_reached', tier: 'warm' } });
    await script('e2e-retry', { responses: [{ status: 503, body: 'maintenance' }] });
    const memberId = `m-e2e-retry-${Date.now()}`;
    await serverCollect(memberId, [{ id: eid(), type: 'seminar_attend', props: { seminar: 'dx-2026' } }]);
    const log = await waitForReceived('e2e-retry', 2, 20_000);
    expect(log.map((e) => e.answered)).toEqual([503, 200]);
    expect(log[1]!.id).toBe(log[0]!.id);
    expect(log[1]!.arrivedAt - log[0]!.arrivedAt).toBeGreaterThanOrEqual(5000);
    expect(log.every((e) => e.verified)).toBe(true);
    const until = Date.now() + 5000;
    let row = (await deliveriesOf(alert.id))[0];
    while (row?.status !== 'delivered' && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      row = (await deliveriesOf(alert.id))[0];
    }
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 200 });
    void env;
  }, 30_000);
});
