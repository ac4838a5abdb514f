/**
 * The OpenAPI document lists every API route Hono knows, with the request body or query schema
 * its validator checks. (Validity against the OpenAPI 3.1 schema is checked in Node, where the
 * validator can compile schemas: tests/browser/openapi.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import app from '../../worker/index';
import { DecideRequest } from '../../worker/schema/api';
import { openApiPath } from '../../worker/openapi';
import { call, json } from './helpers';

/** Actions whose whole input is their path (no body to describe). */
const BODYLESS = new Set([
  'post /api/changes/{id}/restore',
  'post /api/segment-history/count',
  'post /api/alerts/{id}/secret',
  'post /api/alerts/{id}/test',
  'post /api/deliveries/{id}/replay',
]);

describe('/openapi.json', () => {
  it('lists every API route of the app', async () => {
    const doc = await json(await call('GET', '/openapi.json'));
    expect(doc.openapi).toBe('3.1.0');
    const routes = app.routes.filter(
      (r) => r.method !== 'ALL' && !r.path.includes('*') && /^\/(v1|api|demo\/api)\/|^\/healthz$|^\/openapi\.json$/.test(r.path),
    );
    expect(routes.length).toBeGreaterThan(30);
    for (const r of routes) {
      expect(doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()], `${r.method} ${r.path}`).toBeDefined();
    }
  });

  it('describes the body of every POST and PUT from the schema its route validates with', async () => {
    const doc = await json(await call('GET', '/openapi.json'));
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      for (const method of ['post', 'put']) {
        if (!ops[method] || BODYLESS.has(`${method} ${path}`)) continue;
        const content = ops[method].requestBody?.content ?? {};
        expect(Object.values<{ schema?: unknown }>(content)[0]?.schema, `${method} ${path}`).toBeDefined();
      }
    }
    const decide = doc.paths['/v1/decide'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(decide.properties).sort()).toEqual(Object.keys(DecideRequest.shape).sort());
    // A first page may leave visitorId out: the worker makes one (docs/storage.md).
    expect(decide.required).toEqual(['slots']);
    expect(decide.properties.visitorId).toBeDefined();
    expect(doc.paths['/v1/decide'].post.requestBody.content['text/plain']).toBeDefined();
  });

  it('puts auth where the routes require it', async () => {
    const doc = await json(await call('GET', '/openapi.json'));
    expect(doc.paths['/v1/server/collect'].post.security).toEqual([{ serverKey: [] }]);
    expect(doc.paths['/api/segments'].get.security).toEqual([{ adminToken: [] }]);
    expect(doc.paths['/v1/decide'].post.security).toBeUndefined();
  });

  it('documents query strings from their schemas', async () => {
    const doc = await json(await call('GET', '/openapi.json'));
    const names = (path: string) =>
      doc.paths[path].get.parameters
        .filter((p: { in: string }) => p.in === 'query')
        .map((p: { name: string }) => p.name)
        .sort();
    expect(names('/api/lift')).toContain('status');
    expect(names('/api/variants')).toEqual(['segment', 'slot']);
    expect(names('/api/models/{key}/members')).toEqual(['limit']);
  });
});
