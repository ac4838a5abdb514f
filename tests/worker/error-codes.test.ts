/**
 * Every admin failure names its problem with a stable code and the values a message needs, so
 * the console can word it in the reader's language: zod's issue codes with their limits
 * (`too_small` + `{minimum: 1}`), `custom` + `{reason}` for checks zod cannot make alone, and a
 * top-level code + params for conflicts. `message` stays English for API users.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from './helpers';
import { api } from './admin-helpers';

beforeAll(loadDemo);

const rule = { match: 'all', conditions: [{ type: 'tier', in: ['hot'] }] };
const experiment = (over: Record<string, unknown> = {}) => ({
  name: 'x',
  slot: 'hero',
  segment: 'consideration',
  goal: { eventType: 'form_inquiry' },
  arms: [
    { key: 'control', weight: 0.5, variant: null },
    { key: 'b', weight: 0.5, variant: 'consideration_case_a' },
  ],
  ...over,
});

type Case = [
  label: string,
  method: string,
  path: string,
  body: unknown,
  status: number,
  code: string,
  issue: { path: (string | number)[]; code: string; params?: Record<string, unknown> } | null,
];

const cases: Case[] = [
  [
    'empty segment name',
    'POST',
    '/segments',
    { key: 'k1', name: '', rule },
    400,
    'invalid_request',
    { path: ['name'], code: 'too_small', params: { origin: 'string', minimum: 1 } },
  ],
  [
    'segment name over 100',
    'POST',
    '/segments',
    { key: 'k1', name: 'あ'.repeat(101), rule },
    400,
    'invalid_request',
    { path: ['name'], code: 'too_big', params: { origin: 'string', maximum: 100 } },
  ],
  [
    'key with capitals',
    'POST',
    '/segments',
    { key: 'Hot', name: 'n', rule },
    400,
    'invalid_request',
    { path: ['key'], code: 'invalid_format', params: { format: 'regex' } },
  ],
  [
    'count not a number',
    'POST',
    '/segments',
    { key: 'k1', name: 'n', rule: { match: 'all', conditions: [{ type: 'behavior', event: 'login', count: 'x' }] } },
    400,
    'invalid_request',
    { path: ['rule', 'conditions', 0, 'count'], code: 'invalid_type', params: { expected: 'number' } },
  ],
  [
    'behaviour on two props',
    'POST',
    '/segments',
    {
      key: 'k1',
      name: 'n',
      rule: { match: 'all', conditions: [{ type: 'behavior', event: 'page_view', where: { category: 'a', kind: 'b' } }] },
    },
    400,
    'invalid_request',
    { path: ['rule', 'conditions', 0, 'where'], code: 'custom', params: { reason: 'one_prop' } },
  ],
  [
    'duplicate segment key',
    'POST',
    '/segments',
    { key: 'hot_lead', name: 'n', rule },
    409,
    'duplicate',
    { path: ['key'], code: 'custom', params: { reason: 'duplicate' } },
  ],
  [
    'incomplete order',
    'PUT',
    '/segment-order',
    { keys: ['hot_lead'] },
    400,
    'invalid_request',
    { path: ['keys'], code: 'custom', params: { reason: 'incomplete_order' } },
  ],
  [
    'warm not below hot',
    'PUT',
    '/scoring',
    { rules: [], settings: { decayPerDay: 1, hotAt: 50, warmAt: 60 } },
    400,
    'invalid_request',
    { path: ['settings', 'warmAt'], code: 'custom', params: { reason: 'warm_below_hot' } },
  ],
  [
    'duplicate scoring rule id',
    'PUT',
    '/scoring',
    {
      rules: [
        { id: 'a', eventType: 'login', points: 1 },
        { id: 'a', eventType: 'login', points: 1 },
      ],
      settings: { decayPerDay: 1, hotAt: 50, warmAt: 10 },
    },
    400,
    'invalid_request',
    { path: ['rules', 1, 'id'], code: 'custom', params: { reason: 'duplicate' } },
  ],
  [
    'weights all zero',
    'POST',
    '/experiments',
    experiment({ arms: [{ key: 'control', weight: 0, variant: null }] }),
    400,
    'invalid_request',
    { path: ['arms'], code: 'custom', params: { reason: 'weights_positive' } },
  ],
  [
    'conversion goal without a name',
    'POST',
    '/experiments',
    experiment({ goal: { eventType: 'conversion' } }),
    400,
    'invalid_request',
    { path: ['goal', 'goal'], code: 'custom', params: { reason: 'goal_required' } },
  ],
  [
    'arm of another cell',
    'POST',
    '/experiments',
    experiment({
      arms: [
        { key: 'control', weight: 1, variant: null },
        { key: 'b', weight: 1, variant: 'hot_lead_hero' },
      ],
    }),
    400,
    'invalid_request',
    { path: ['arms', 1, 'variant'], code: 'custom', params: { reason: 'variant_mismatch' } },
  ],
  [
    'control with content',
    'POST',
    '/experiments',
    experiment({ arms: [{ key: 'control', weight: 1, variant: 'consideration_case_a' }] }),
    400,
    'invalid_request',
    { path: ['arms', 0, 'variant'], code: 'custom', params: { reason: 'control_has_variant' } },
  ],
  [
    'unknown slot',
    'POST',
    '/variants',
    { slot: 'nope', segment: 'hot_lead', html: '<p>x</p>' },
    400,
    'invalid_request',
    { path: ['slot'], code: 'custom', params: { reason: 'unknown', entity: 'slot' } },
  ],
  [
    'html too long',
    'POST',
    '/variants',
    { slot: 'hero', segment: 'hot_lead', html: 'x'.repeat(32_001) },
    400,
    'invalid_request',
    { path: ['html'], code: 'too_big', params: { origin: 'string', maximum: 32_000 } },
  ],
  ['delete a segment with a running experiment', 'DELETE', '/segments/consideration', undefined, 409, 'in_use', null],
  ['delete a running experiment', 'DELETE', '/experiments/exp_consideration_hero', undefined, 409, 'not_deletable', null],
  [
    'edit a running experiment',
    'PUT',
    '/experiments/exp_consideration_hero',
    { name: 'x', goal: { eventType: 'form_inquiry' }, arms: [{ key: 'control', weight: 1, variant: null }] },
    409,
    'not_editable',
    null,
  ],
  ['unknown segment', 'GET', '/segments/ghost', undefined, 404, 'not_found', null],
];

describe('error codes and issues', () => {
  it.each(cases)('%s → %i %s', async (_label, method, path, body, status, code, want) => {
    const res = await api(method, path, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(typeof res.body.error.message).toBe('string');
    if (want) {
      const found = res.body.error.issues.find((i: any) => i.path.join('.') === want.path.join('.'));
      expect(found, JSON.stringify(res.body.error.issues)).toMatchObject({
        code: want.code,
        ...(want.params ? { params: want.params } : {}),
      });
      expect(typeof found.message).toBe('string');
      // The input is never echoed back in params (it may be large or private).
      expect(JSON.stringify(found.params ?? {})).not.toContain('xxxxxxxx');
    }
  });

  it('conflicts carry what is in the way', async () => {
    const res = await api('DELETE', '/segments/consideration');
    expect(res.body.error.params).toEqual({ entity: 'segment', experiments: ['exp_consideration_hero'] });
    const running = await api('POST', '/experiments', experiment());
    expect(running.status).toBe(201);
    const start = await api('POST', `/experiments/${running.body.id}/status`, { status: 'running' });
    expect(start.status).toBe(409);
    expect(start.body.error).toMatchObject({ code: 'already_running', params: { experiment: 'exp_consideration_hero' } });
    const back = await api('POST', '/experiments/exp_consideration_hero/status', { status: 'stopped' });
    expect(back.status).toBe(200);
    const again = await api('POST', '/experiments/exp_consideration_hero/status', { status: 'running' });
    expect(again.body.error).toMatchObject({
      code: 'transition',
      issues: [{ path: ['status'], code: 'custom', params: { reason: 'transition', from: 'stopped', to: 'running' } }],
    });
  });

  it('a body over the cap names the limit', async () => {
    const res = await api('POST', '/segments', { key: 'big', pad: 'x'.repeat(70_000) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'payload_too_large', params: { maximum: 65_536 } });
  });
});
