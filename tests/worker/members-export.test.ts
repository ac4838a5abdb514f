/**
 * GET /api/members.csv and GET /api/traits/quality through the worker and a real local D1:
 * UTF-8 with BOM and Shift_JIS bytes (the golden characters decoded back by the runtime's own
 * decoder), the fixed header and sorted trait columns, filters, the formula guard, an export
 * that imports back as all `unchanged`, and trait shares counted independently here.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../worker/core/csv';
import { api } from './admin-helpers';
import { eid, loadDemo, post, SERVER, call } from './helpers';

async function download(query = '') {
  const res = await exports.default.fetch(
    new Request(`http://edge.test/api/members.csv${query ? `?${query}` : ''}`, { headers: { authorization: 'Bearer dev-admin-token' } }),
  );
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

const put = (id: string, traits: Record<string, unknown>) =>
  call('PUT', `/v1/server/members/${encodeURIComponent(id)}`, { traits }, { ...SERVER, 'content-type': 'application/json' });
const GOLDEN = '①㈱髙﨑～－ｱｲｳ 株式会社';

beforeAll(async () => {
  await loadDemo();
  await put('x-1', { company: GOLDEN, industry: 'IT', employees: 120 });
  await put('x-2', { company: '=HYPERLINK("http://evil")', industry: 'SaaS', note: '-5', flag: true, debt: -3 });
  await put('x-3', { company: 'Plain, with comma', region: '関東' });
  await put('x-4', { industry: '' });
  // x-1 becomes hot: a form inquiry (50) and a seminar (30).
  await post(
    '/v1/server/collect',
    {
      memberId: 'x-1',
      events: [
        { id: eid(), type: 'form_inquiry', props: { form: 'c' } },
        { id: eid(), type: 'seminar_attend', props: { seminar: 's' } },
      ],
    },
    SERVER,
  );
  await post('/v1/server/collect', { memberId: 'x-3', events: [{ id: eid(), type: 'page_view', props: {} }] }, SERVER);
});

describe('GET /api/members.csv', () => {
  it('UTF-8 with a BOM, the fixed header then the trait keys sorted, one row per member as listed', async () => {
    const { status, headers, bytes } = await download();
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(headers.get('content-disposition')).toMatch(/^attachment; filename="members-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes);
    expect(text.includes('\r\n')).toBe(true);
    const [header, ...rows] = parseCsv(text).map((r) => r.cells);
    expect(header).toEqual([
      'member_id',
      'score',
      'tier',
      'segment',
      'last_active_at',
      'company',
      'debt',
      'employees',
      'flag',
      'industry',
      'note',
      'region',
    ]);
    const list = await api('GET', '/members?limit=200');
    expect(rows.map((r) => r[0])).toEqual(list.body.items.map((i: { id: string }) => i.id));
    const x1 = rows.find((r) => r[0] === 'x-1')!;
    const item = list.body.items.find((i: { id: string }) => i.id === 'x-1');
    expect(x1).toEqual(['x-1', String(item.score), 'hot', item.segment ?? '', item.lastActiveAt, GOLDEN, '', '120', '', 'IT', '', '']);
  });

  it('guards cells a spreadsheet would run, keeps numbers as numbers', async () => {
    const text = new TextDecoder().decode((await download()).bytes);
    const x2 = parseCsv(text).find((r) => r.cells[0] === 'x-2')!.cells;
    expect(x2.slice(5)).toEqual(['\'=HYPERLINK("http://evil")', '-3', '', 'true', 'SaaS', "'-5", '']);
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
  });

  it('Shift_JIS: no BOM, and the runtime decoder reads the golden characters back', async () => {
    const { headers, bytes } = await download('encoding=shift_jis');
    expect(headers.get('content-type')).toBe('text/csv; charset=Shift_JIS');
    expect(headers.get('content-disposition')).toContain('-sjis.csv');
    expect(bytes[0]).toBe(0x6d); // "m" of member_id
    const text = new TextDecoder('shift_jis').decode(bytes);
    expect(parseCsv(text).find((r) => r.cells[0] === 'x-1')!.cells[5]).toBe(GOLDEN);
    expect(parseCsv(text).find((r) => r.cells[0] === 'x-3')!.cells).toContain('関東');
    // ① is NEC row 13 (87 40), 髙 the IBM row (FB FC): the bytes themselves, not only the round trip.
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    expect(hex).toContain('8740878afbfcfab18160817cb1b2b3');
  });

  it('applies the list filters', async () => {
    const text = new TextDecoder().decode((await download('tier=hot')).bytes);
    expect(
      parseCsv(text)
        .slice(1)
        .map((r) => r.cells[0]),
    ).toEqual(['x-1']);
    const none = new TextDecoder().decode((await download('q=nobody-here')).bytes);
    expect(parseCsv(none).length).toBe(1);
  });

  it('bad filters are a 400 before any byte of the file', async () => {
    const res = await download('tier=lukewarm');
    expect(res.status).toBe(400);
    expect(JSON.parse(new TextDecoder().decode(res.bytes)).error.code).toBe('invalid_request');
    expect((await download('encoding=latin1')).status).toBe(400);
  });

  it('an export imports back with every member unchanged, in either encoding', async () => {
    for (const encoding of ['utf-8', 'shift_jis']) {
      const { bytes } = await download(`encoding=${encoding}`);
      // The computed columns are not traits: leave them out.
      const mapping = encodeURIComponent(JSON.stringify({ score: null, tier: null, segment: null, last_active_at: null }));
      const res = await exports.default.fetch(
        new Request(`http://edge.test/api/members/import?dryRun=true&mapping=${mapping}`, {
          method: 'POST',
          headers: { authorization: 'Bearer dev-admin-token', 'content-type': 'text/csv' },
          body: bytes as BodyInit,
        }),
      );
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body.errors)).toBe(200);
      // x-1 was stored by a CRM sync as ①㈱…: an import normalizes it (NFKC), the rest is unchanged.
      expect(body).toMatchObject({ encoding, created: 0, updated: 1, errorCount: 0 });
      expect(body.unchanged).toBe(body.rows - 1);
      expect(body.preview.filter((p: { status: string }) => p.status === 'updated').map((p: { memberId: string }) => p.memberId)).toEqual([
        'x-1',
      ]);
    }
  });
});

describe('GET /api/traits/quality', () => {
  it('counts members with a value, shares, distinct and top values, and warns where a segment reads a scarce trait', async () => {
    const total = (await env.DB.prepare('SELECT COUNT(*) AS n FROM members').first<{ n: number }>())!.n;
    const rows = (await env.DB.prepare('SELECT traits FROM members').all<{ traits: string }>()).results.map(
      (r) => JSON.parse(r.traits) as Record<string, unknown>,
    );
    const have = (k: string) => rows.filter((t) => t[k] !== undefined && t[k] !== null && t[k] !== '').length;
    const res = await api('GET', '/traits/quality');
    expect(res.status).toBe(200);
    expect(res.body.members).toBe(total);
    const industry = res.body.traits.find((t: { key: string }) => t.key === 'industry');
    expect(industry).toMatchObject({
      members: have('industry'),
      share: have('industry') / total,
      distinct: 2,
      segments: ['hot_lead', 'consideration', 'info_gathering', 'non_target'],
    });
    expect(industry.top).toEqual([
      { value: 'IT', members: 1 },
      { value: 'SaaS', members: 1 },
    ]);
    const flag = res.body.traits.find((t: { key: string }) => t.key === 'flag');
    expect(flag).toMatchObject({ members: 1, top: [{ value: 'true', members: 1 }] });
    // Industry is known for 2 of 4 members (x-4's empty text does not count): 50 %, not below it.
    expect(have('industry') / total).toBe(0.5);
    expect(res.body.warnings.map((w: { trait: string }) => w.trait)).not.toContain('industry');
    const employees = res.body.traits.find((t: { key: string }) => t.key === 'employees');
    expect(employees.share).toBe(0.25);
    expect(res.body.warnings).toEqual(
      expect.arrayContaining([expect.objectContaining({ segment: 'hot_lead', trait: 'employees', share: 0.25 })]),
    );
    expect(res.body.warnings.every((w: { share: number }) => w.share < 0.5)).toBe(true);
  });
});
