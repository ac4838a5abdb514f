/**
 * @module
 * How /dw.js is cached, checked on the real local edge (`wrangler dev` serving dist/public with
 * its `_headers`): the snippet is on every page view of every customer site, so a browser keeps
 * it for a few minutes without asking and then refreshes it in the background.
 */
import { expect, it } from 'vitest';
import { sharedEdge } from './support/edge';

const edge = await sharedEdge();

it('serves /dw.js with a short max-age and stale-while-revalidate', async () => {
  const res = await fetch(`${edge.url}/dw.js`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/javascript/);
  const directives = (res.headers.get('cache-control') ?? '').split(',').map((d) => d.trim());
  expect(directives).toContain('public');
  expect(directives).not.toContain('must-revalidate');
  const seconds = (name: string) => Number(directives.find((d) => d.startsWith(`${name}=`))?.split('=')[1]);
  expect(seconds('max-age')).toBeGreaterThanOrEqual(60);
  expect(seconds('max-age')).toBeLessThanOrEqual(600);
  expect(seconds('stale-while-revalidate')).toBeGreaterThanOrEqual(3600);
  await res.arrayBuffer();
});

it('does not serve the _headers file itself', async () => {
  const res = await fetch(`${edge.url}/_headers`);
  expect(res.status).not.toBe(200);
  await res.arrayBuffer();
});
