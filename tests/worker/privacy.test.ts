/**
 * Privacy: the client address and user agent reach the worker on every request, and neither is
 * stored anywhere. Every text column of every table is searched after a full visitor journey.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { SERVER, eid, identifyToken, loadDemo, pageView, post, vid } from './helpers';

beforeAll(loadDemo);

const IP = '203.0.113.77';
const UA = 'Mozilla/5.0 (PrivacyProbe 9.9)';

describe('no IP address or user agent stored', () => {
  it('after decide, collect, identify and server calls, no table contains them', async () => {
    const headers = { 'cf-connecting-ip': IP, 'x-forwarded-for': IP, 'user-agent': UA };
    const v = vid('privacy');
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView('pricing')] }, headers);
    await post(
      '/v1/collect',
      { visitorId: v, events: [{ id: eid(), type: 'download', props: { asset: '/cs.pdf', kind: 'case_study' } }] },
      headers,
    );
    await post('/v1/identify', { visitorId: v, token: await identifyToken(`m-${v}`, { industry: 'SaaS', employees: 120 }) }, headers);
    await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] }, headers);
    await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'form_inquiry', props: { form: 'c' } }] }, headers);
    await post(
      '/v1/server/collect',
      { memberId: `m-${v}`, events: [{ id: eid(), type: 'email_open', props: { campaign: 'x' } }] },
      { ...SERVER, ...headers },
    );

    const { results: tables } = await env.DB.prepare(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
    ).all<{ name: string }>();
    let rowsSearched = 0;
    for (const { name } of tables) {
      const { results: rows } = await env.DB.prepare(`SELECT * FROM ${name}`).all<Record<string, unknown>>();
      rowsSearched += rows.length;
      for (const row of rows) {
        const text = JSON.stringify(row);
        expect(text, `${name} stores the client address`).not.toContain(IP);
        expect(text, `${name} stores the user agent`).not.toContain('PrivacyProbe');
      }
    }
    // The journey was stored: the search looked at real rows.
    expect(rowsSearched).toBeGreaterThan(20);
  });
});
