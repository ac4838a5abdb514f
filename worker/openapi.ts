/**
 * @module
 * The OpenAPI 3.1 description of the HTTP API, served at `/openapi.json`. It is generated, not
 * written: every route Hono knows is listed, and request bodies and query strings come from the
 * zod schemas their validators check (worker/middleware/described.ts), converted with zod's own
 * JSON Schema output (OpenAPI 3.1 uses JSON Schema 2020-12 as it is).
 */
import type { Hono } from 'hono';
import { z } from 'zod';
import { describedInput, type DescribedInput } from './middleware/described';

type Json = Record<string, unknown>;

/** Paths that are part of the HTTP API (the rest are the admin shell and static assets). */
const API_PREFIXES = ['/v1/', '/api/', '/demo/api/', '/healthz', '/openapi.json'];

const SECURITY: [string, string][] = [
  ['/v1/server/', 'serverKey'],
  ['/api/', 'adminToken'],
];

const TAGS: [string, string, string][] = [
  ['/v1/server/', 'server', 'Your backend: server events, CRM traits, erasure (Bearer SERVER_API_KEY)'],
  ['/v1/', 'browser', 'The snippet: decide, collect, identify (allowed origins only)'],
  ['/api/', 'admin', 'The console: configuration, content, experiments, results, members (Bearer ADMIN_TOKEN)'],
  ['/demo/api/', 'demo', 'Local demo only (DEMO_MODE = "true" in .dev.vars); 404 in production'],
  ['/', 'meta', 'Health and this document'],
];

/** Hono's `/experiments/:id` is OpenAPI's `/experiments/{id}`. */
export function openApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

/**
 * zod's JSON Schema of `schema`. Recursive parts (rule groups) come out as local `$defs`; in an
 * OpenAPI document `#/$defs/…` would resolve against the document root, so they move to
 * `components.schemas` under names prefixed with the operation.
 */
function jsonSchema(schema: z.ZodType, prefix: string, components: Record<string, Json>): Json {
  const out = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Json;
  delete out.$schema;
  const defs = (out.$defs ?? {}) as Record<string, Json>;
  delete out.$defs;
  const rename = (name: string) => `${prefix}_${name.replace(/^_+/, '')}`;
  const relink = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(relink);
    if (!value || typeof value !== 'object') return value;
    const copy: Json = {};
    for (const [k, v] of Object.entries(value)) {
      copy[k] =
        k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/') ? `#/components/schemas/${rename(v.slice(8))}` : relink(v);
    }
    return copy;
  };
  for (const [name, def] of Object.entries(defs)) components[rename(name)] = relink(def) as Json;
  return relink(out) as Json;
}

function queryParameters(schema: z.ZodType, prefix: string, components: Record<string, Json>): Json[] {
  const described = jsonSchema(schema, prefix, components);
  const properties = (described.properties ?? {}) as Record<string, Json>;
  const required = new Set((described.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: 'query',
    required: required.has(name) && s.default === undefined,
    schema: s,
  }));
}

function operation(method: string, path: string, inputs: DescribedInput[], components: Record<string, Json>): Json {
  const tag = TAGS.find(([prefix]) => path.startsWith(prefix))?.[1] ?? 'meta';
  const scheme = SECURITY.find(([prefix]) => path.startsWith(prefix))?.[1];
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const operationId = `${method}${path.replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, ch: string | undefined) => (ch ? ch.toUpperCase() : ''))}`;
  const op: Json = {
    operationId,
    tags: [tag],
    responses: {
      '200': { description: 'Success', content: { 'application/json': {} } },
      '4XX': {
        description: 'Client error: the request was refused and nothing was written',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
      '5XX': {
        description: 'Storage unavailable or not configured (retry after `Retry-After`)',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      },
    },
  };
  if (scheme) op.security = [{ [scheme]: [] }];
  const query = inputs.filter((i) => i.target === 'query').flatMap((i) => queryParameters(i.schema, `${operationId}Query`, components));
  if (params.length || query.length) op.parameters = [...params, ...query];
  const raw = inputs.find((i) => i.target === 'raw');
  if (raw?.contentType) op.requestBody = { required: true, content: { [raw.contentType]: { schema: { type: 'string' } } } };
  const body = inputs.find((i) => i.target === 'json');
  if (body) {
    // The browser endpoints also take the same JSON as text/plain (no CORS preflight).
    const content: Json = { 'application/json': { schema: jsonSchema(body.schema, `${operationId}Body`, components) } };
    if (path.startsWith('/v1/') && !path.startsWith('/v1/server/')) content['text/plain'] = content['application/json'];
    op.requestBody = { required: true, content };
  }
  return op;
}

/**
 * Builds the document from the app's routes.
 * @example
 *   app.get('/openapi.json', (c) => c.json(openApiDocument(app), 200));
 */
export function openApiDocument(app: Hono<any, any, any>): Json {
  const byOperation = new Map<string, { method: string; path: string; inputs: DescribedInput[] }>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    if (!API_PREFIXES.some((p) => route.path.startsWith(p))) continue;
    const path = openApiPath(route.path);
    const key = `${route.method} ${path}`;
    let entry = byOperation.get(key);
    if (!entry) byOperation.set(key, (entry = { method: route.method.toLowerCase(), path, inputs: [] }));
    const input = describedInput(route.handler);
    if (input) entry.inputs.push(input);
  }
  const paths: Record<string, Json> = {};
  const schemas: Record<string, Json> = {};
  for (const { method, path, inputs } of [...byOperation.values()].sort((a, b) => a.path.localeCompare(b.path))) {
    (paths[path] ??= {})[method] = operation(method, path, inputs, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'dashiwake',
      version: '2',
      description:
        'Edge personalization: events in, lead score and segment at the edge, content per page slot out. Errors are always `{"error": {"code", "message", "params"?, "issues"?}}`.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: TAGS.map(([, name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        serverKey: { type: 'http', scheme: 'bearer', description: 'SERVER_API_KEY' },
      },
      schemas: {
        ...schemas,
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message'],
              properties: {
                code: { type: 'string', description: 'Stable machine-readable code, e.g. invalid_request, not_found, rate_limited' },
                message: { type: 'string', description: 'English, for API users' },
                params: { type: 'object', description: 'The values a message needs (a limit, the experiments in the way, …)' },
                issues: {
                  type: 'array',
                  description: 'Per-field validation problems',
                  items: {
                    type: 'object',
                    required: ['path', 'code', 'message'],
                    properties: {
                      path: { type: 'array', items: { type: ['string', 'integer'] } },
                      code: {
                        type: 'string',
                        description: 'zod issue code (too_small, too_big, invalid_type, invalid_format, …) or custom',
                      },
                      params: { type: 'object', description: 'Limits ({origin, minimum}, …); for custom: {reason, …}' },
                      message: { type: 'string', description: 'English, for API users' },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
