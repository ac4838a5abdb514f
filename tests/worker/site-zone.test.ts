/**
 * The site's time zone through the worker and D1: the demo's Asia/Tokyo, daily caps on the hot
 * path by Tokyo days, a refused zone writes nothing, and a change re-dates stored exposures and
 * conversions (results by day) in the same batch.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { eid, json, loadDemo, post, signIn, vid, visitor } from './helpers';
import { api, configVersion } from './admin-helpers';

beforeAll(loadDemo);

const DAY = 86_400_000;

/** A UTC instant a few days back at the given UTC time of day. */
function utcAt(daysAgo: number, hh: number, mm: number): number {
  const d = new Date(Date.now() - daysAgo * DAY);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hh, mm);
}

describe("the site's time zone", () => {
  it('is Asia/Tokyo in the demo', async () => {
    expect((await api('GET', '/site')).body).toEqual({ timeZone: 'Asia/Tokyo', previewStylesheet: null });
  });

  it('caps inquiries per Tokyo day: 14:59 and 15:01 UTC are two days there', async () => {
    const v = vid('zone');
    const events = [utcAt(3, 14, 59), utcAt(3, 15, 1)].map((at) => ({
      id: eid('inq'),
      type: 'form_inquiry',
      at: new Date(at).toISOString(),
      props: { form: 'c' },
    }));
    const res = await post('/v1/collect', { visitorId: v, events });
    expect(await json(res)).toMatchObject({ accepted: 2 });
    const score = (await visitor(v)).score;
    // Two capped days of 50, decayed by the whole days since the later one.
    const days = Math.floor((Date.now() - utcAt(3, 15, 1)) / DAY);
    expect(score).toBe(100 - days);
  });

  it('refuses an unknown zone on its field and writes nothing', async () => {
    const before = await configVersion();
    const res = await api('PUT', '/site', { timeZone: 'Mars/Olympus' });
    expect(res.status).toBe(400);
    expect(res.body.error.issues).toEqual([
      expect.objectContaining({ path: ['timeZone'], params: expect.objectContaining({ reason: 'unknown_time_zone' }) }),
    ]);
    expect(await configVersion()).toBe(before);
    expect((await api('GET', '/site')).body.timeZone).toBe('Asia/Tokyo');
  });

  it('a change re-dates exposures and conversions to the new days, in one batch with the setting', async () => {
    // 20:00 UTC is the next day in Tokyo, the same day in UTC.
    const at = utcAt(5, 20, 0);
    const utcDay = Math.floor(at / DAY);
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO exposures (experiment_id, visitor_id, arm, segment, at, day) VALUES ('exp_zone', 'vz', 'control', 'consideration', ?1, ?2)`,
      ).bind(at, utcDay + 1),
      env.DB.prepare(
        `INSERT INTO conversions (experiment_id, visitor_id, arm, event_id, at, day) VALUES ('exp_zone', 'vz', 'control', 'ez', ?1, ?2)`,
      ).bind(at, utcDay + 1),
    ]);
    const before = await configVersion();
    expect((await api('PUT', '/site', { timeZone: 'UTC' })).status).toBe(200);
    expect(await configVersion()).not.toBe(before);
    const days = async () =>
      (
        await env.DB.prepare(
          `SELECT day FROM exposures WHERE experiment_id = 'exp_zone' UNION ALL SELECT day FROM conversions WHERE experiment_id = 'exp_zone'`,
        ).all<{ day: number }>()
      ).results.map((r) => r.day);
    expect(await days()).toEqual([utcDay, utcDay]);
    expect((await api('PUT', '/site', { timeZone: 'Pacific/Honolulu' })).status).toBe(200);
    expect(await days()).toEqual([utcDay, utcDay]);
    expect((await api('PUT', '/site', { timeZone: 'Asia/Tokyo' })).status).toBe(200);
    expect(await days()).toEqual([utcDay + 1, utcDay + 1]);
  });

  it("new exposures are dated by the site's day", async () => {
    const v = await signIn(vid('zexp'), 'zone-m', { employees: 120, industry: 'SaaS' });
    const res = await post('/v1/decide', {
      visitorId: v,
      slots: ['hero'],
      events: [{ id: eid('dl'), type: 'download', props: { asset: 'a.pdf', kind: 'case_study' } }],
    });
    expect((await json(res)).segment?.key).toBe('consideration');
    const row = await env.DB.prepare('SELECT at, day FROM exposures WHERE visitor_id = ?1').bind(v).first<{ at: number; day: number }>();
    expect(row).not.toBeNull();
    expect(row!.day).toBe(Math.floor((row!.at + 9 * 3_600_000) / DAY));
  });
});
