/**
 * The built server SDK against a real local edge: member events, traits, an identify token it
 * signed, refusals as DashiwakeError with the edge's code, and erasure.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { root, sharedEdge } from './support/edge';

type Sdk = typeof import('../../packages/server-sdk/src/index');
execFileSync(process.execPath, [path.join(root, 'packages/server-sdk/build.mjs')], { cwd: root, stdio: 'pipe' });
const sdk = (await import(pathToFileURL(path.join(root, 'packages/server-sdk/dist/index.js')).href)) as Sdk;
// Its own member and visitor ids: the run's shared edge.
const edge = await sharedEdge();

const admin = (p: string) =>
  fetch(`${edge.url}/api${p}`, { headers: { authorization: 'Bearer dev-admin-token' } }).then((r) => r.json() as Promise<any>);

describe('@dashiwake/server-sdk against the edge', () => {
  it('sends events and traits, signs identify tokens the edge accepts, and erases', async () => {
    const dw = sdk.createServerClient({ endpoint: edge.url, apiKey: 'dev-server-key' });
    const memberId = `sdk-${Date.now()}`;
    const first = await dw.collect(memberId, [
      { id: `${memberId}-seminar`, type: 'seminar_attend', props: { seminar: 'dx-2026' } },
      { id: `${memberId}-mail`, type: 'email_click', at: new Date(Date.now() - 86_400_000), props: { campaign: 'nov' } },
    ]);
    expect(first).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });
    // Retrying the same batch is a no-op.
    expect(
      await dw.collect(memberId, [{ id: `${memberId}-seminar`, type: 'seminar_attend', props: { seminar: 'dx-2026' } }]),
    ).toMatchObject({
      accepted: 0,
      duplicates: 1,
    });
    expect(await dw.upsertTraits(memberId, { industry: 'SaaS', employees: 120 })).toEqual({
      memberId,
      traits: { industry: 'SaaS', employees: 120 },
    });

    const visitorId = `sdk-visitor-${Date.now()}`.padEnd(20, 'x');
    const token = await sdk.signIdentifyToken({ sub: memberId, traits: { level: 'manager' }, vid: visitorId }, 'dev-identify-secret');
    const identified = await fetch(`${edge.url}/v1/identify`, { method: 'POST', body: JSON.stringify({ visitorId, token }) });
    expect(identified.status).toBe(200);
    const { visitorId: rotated } = (await identified.json()) as { visitorId: string };
    expect(await admin(`/visitors/${rotated}`)).toMatchObject({ memberId, traits: { industry: 'SaaS', employees: 120, level: 'manager' } });

    await dw.erase(memberId);
    expect((await fetch(`${edge.url}/api/visitors/${rotated}`, { headers: { authorization: 'Bearer dev-admin-token' } })).status).toBe(404);
  });

  it('turns refusals into DashiwakeError with the code, issues and status', async () => {
    const dw = sdk.createServerClient({ endpoint: edge.url, apiKey: 'dev-server-key' });
    // A batch with no valid event is a 400 (a backend bug to see, not a 200 to ignore).
    const bad = await dw.collect('m-sdk-bad', [{ id: 'x', type: 'login' }]).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(sdk.DashiwakeError);
    expect(bad).toMatchObject({ status: 400, code: 'invalid_events' });
    expect((bad as InstanceType<Sdk['DashiwakeError']>).issues[0]?.path).toEqual(['events', 0]);

    const wrongKey = sdk.createServerClient({ endpoint: edge.url, apiKey: 'not-the-key' });
    await expect(wrongKey.upsertTraits('m-1', { a: 1 })).rejects.toMatchObject({ status: 401, code: 'unauthorized' });
  });
});
