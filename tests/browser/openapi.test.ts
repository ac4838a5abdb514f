/**
 * The served `/openapi.json` is a valid OpenAPI 3.1 document (checked with an independent
 * validator of the official schema) from a real local edge.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { sharedEdge } from './support/edge';

const edge = await sharedEdge();

describe('/openapi.json', () => {
  it('validates against the OpenAPI 3.1 schema', async () => {
    const res = await fetch(`${edge.url}/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? [], JSON.stringify(result.errors, null, 1)?.slice(0, 2000)).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });
});
