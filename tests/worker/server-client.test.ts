/**
 * The typed server-to-server API: a site's backend uses `hc<ServerApi>` and gets request and
 * response types from the worker itself (a renamed field breaks its build, not production).
 */
import { exports } from 'cloudflare:workers';
import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { ServerApi } from '../../worker/index';
import { eid, loadDemo } from './helpers';

const server = hc<ServerApi>('http://edge.test/v1/server', {
  headers: { authorization: 'Bearer dev-server-key' },
  fetch: (input: RequestInfo | URL, init?: RequestInit) => exports.default.fetch(new Request(input, init)),
});

describe('typed server client', () => {
  it('collects, upserts traits and erases with typed calls', async () => {
    await loadDemo();
    const memberId = `typed-${crypto.randomUUID()}`;
    const put = await server.members[':memberId'].$put({ param: { memberId }, json: { traits: { industry: 'IT', employees: 300 } } });
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({ memberId, traits: { industry: 'IT', employees: 300 } });

    const collected = await server.collect.$post({
      json: { memberId, events: [{ id: eid(), type: 'seminar_attend', props: { seminar: 'dx-2026' } }] },
    });
    expect(collected.status).toBe(200);
    const body = await collected.json();
    expect(body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] });

    const erased = await server.members[':memberId'].$delete({ param: { memberId } });
    expect(erased.status).toBe(204);
  });
});
