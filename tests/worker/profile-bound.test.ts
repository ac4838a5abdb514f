/**
 * A profile stays within MAX_PROFILE_BYTES whatever a page sends: values nothing reads are not
 * counted one by one, so unique download names and extra props cannot grow the stored row.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { MAX_PROFILE_BYTES } from '../../worker/core/profile';
import { eid, json, loadDemo, post, vid, visitor } from './helpers';

beforeAll(loadDemo);

const unique = (label: string, length: number) => `${label}-${crypto.randomUUID()}-`.padEnd(length, 'z');

describe('profile size', () => {
  it('20 requests of 50 downloads with unique 200-character values keep the profile under 64 KB, and scoring goes on', async () => {
    const v = vid('bound');
    for (let request = 0; request < 20; request++) {
      const events = Array.from({ length: 50 }, (_, i) => ({
        id: eid('dl'),
        type: 'download',
        props: {
          asset: unique(`/files/${request}-${i}`, 200),
          [`extra_${request}_${i}`]: unique('note', 200),
          n: request * 50 + i,
          flag: i % 2 === 0,
        },
      }));
      const res = await post('/v1/collect', { visitorId: v, events });
      expect(res.status).toBe(200);
      expect(await json(res)).toMatchObject({ accepted: 50, rejected: [] });
    }
    const row = await env.DB.prepare('SELECT length(profile) AS n FROM visitors WHERE id = ?').bind(v).first<{ n: number }>();
    expect(row!.n).toBeGreaterThan(0);
    expect(row!.n).toBeLessThanOrEqual(MAX_PROFILE_BYTES);
    // 1000 downloads today stop at the download cap (30); a later inquiry still adds its 50.
    expect((await visitor(v)).score).toBe(30);
    await post('/v1/collect', { visitorId: v, events: [{ id: eid('inq'), type: 'form_inquiry', props: { form: 'contact' } }] });
    expect((await visitor(v)).score).toBe(80);
  });
});
