/**
 * Alerts end to end through the real parts: a server event makes a member cross into hot_lead,
 * the outbox row is written with the event, the real local queue delivers it to the consumer,
 * and the Node receiver gets one signed message, which it verifies with its own code.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, SERVER, call, eid, json, loadDemo, post } from './helpers';
import { createAlert, deliveriesOf, received, waitForReceived } from './receiver/client';

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
    const started = Date.now();
    await serverCollect(memberId, [{ id: eid(), type: 'download', props: { asset: 'guide', kind: 'document' } }]);
    const rows = await deliveriesOf(alert.id);
    expect(rows).toHaveLength(1);
    const [msg] = await waitForReceived('e2e', 1);
    console.log(`first byte after ${msg!.arrivedAt - started} ms`);
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
    void env;
  });
});
