/**
 * Daily caps hold per day of the event across requests: back-dated events sent one request
 * at a time earn one cap's worth per day, however they interleave.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { eid, json, loadDemo, post, vid, visitor } from './helpers';

beforeAll(loadDemo);

const DAY = 86_400_000;

describe('daily caps across requests', () => {
  it('12 form inquiries dated 1–3 days ago, one per request, score one inquiry (50) per day', async () => {
    const v = vid('caps');
    const base = Date.now();
    // Newest day first, then round after round: each older day arrives after a newer one
    // already moved the profile on, which is where a ledger of the latest day alone lets
    // every request through again.
    const order = [1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3];
    for (const daysAgo of order) {
      const at = new Date(base - daysAgo * DAY).toISOString();
      const res = await post('/v1/collect', {
        visitorId: v,
        events: [{ id: eid('inq'), type: 'form_inquiry', at, props: { form: 'contact' } }],
      });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ accepted: 1, rejected: [] });
    }
    // 50 a day ago, 50 − 1 two days ago, 50 − 2 three days ago (added as late events), all
    // then decayed by the one day since the latest: 147 − 1.
    expect((await visitor(v)).score).toBe(146);
  });
});
