/**
 * POST /api/members/import through the worker and a real local D1, with files made here in each
 * encoding: UTF-8 with and without BOM, Shift_JIS (one file written byte by byte from the
 * Shift_JIS table, others through the encoder the core tests check), Japanese headers, NFKC,
 * employee ranges, every error reported with nothing written, skipInvalid, dryRun, mapping,
 * idempotent re-import, batches past D1's statement sizes, size limits and erasure.
 */
import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { createCp932Encoder } from '../../worker/core/cp932';
import { count, loadDemo, SERVER, call } from './helpers';

const utf8 = (text: string) => new TextEncoder().encode(text);
const bom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);
const sjis = (text: string) => createCp932Encoder().encode(text);

async function importFile(body: Uint8Array | ReadableStream, query = '', headers: Record<string, string> = {}) {
  const res = await exports.default.fetch(
    new Request(`http://edge.test/api/members/import${query ? `?${query}` : ''}`, {
      method: 'POST',
      headers: { authorization: 'Bearer dev-admin-token', 'content-type': 'text/csv', ...headers },
      body: body as BodyInit,
    }),
  );
  return { status: res.status, body: (await res.json()) as any };
}

async function traitsOf(id: string): Promise<Record<string, unknown> | null> {
  const row = await env.DB.prepare('SELECT traits FROM members WHERE id = ?').bind(id).first<{ traits: string }>();
  return row ? JSON.parse(row.traits) : null;
}

const staged = () => count('member_import_rows');
const codes = (errors: { row: number; column?: string; code: string }[]) => errors.map((e) => `${e.row}:${e.column ?? ''}:${e.code}`);

beforeAll(loadDemo);

describe('import: encodings', () => {
  const file =
    '会員ID,会社名,業種,従業員数,メールアドレス\r\nｕ－００１,㈱テスト,ＩＴ,１２０名,Taro@Example.JP\r\nu-002,"株式会社 ""引用"", 改行\r\nあり",SaaS,50〜99名,\r\n';

  it('UTF-8 with BOM: Japanese headers, NFKC, employee counts and ranges', async () => {
    const { status, body } = await importFile(bom(file));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({
      encoding: 'utf-8',
      rows: 2,
      created: 2,
      updated: 0,
      unchanged: 0,
      errors: [],
      dryRun: false,
      applied: true,
    });
    expect(body.columns).toEqual([
      { header: '会員ID', trait: 'member_id' },
      { header: '会社名', trait: 'company' },
      { header: '業種', trait: 'industry' },
      { header: '従業員数', trait: 'employees' },
      { header: 'メールアドレス', trait: 'email' },
    ]);
    expect(await traitsOf('u-001')).toEqual({ company: '(株)テスト', industry: 'IT', employees: 120, email: 'Taro@example.jp' });
    expect(await traitsOf('u-002')).toEqual({ company: '株式会社 "引用", 改行\r\nあり', industry: 'SaaS', employees: 50 });
    expect(await staged()).toBe(0);
  });

  it('the same file again changes nothing', async () => {
    const before = await env.DB.prepare("SELECT id, traits, updated_at FROM members WHERE id IN ('u-001', 'u-002') ORDER BY id").all();
    const { status, body } = await importFile(bom(file));
    expect(status).toBe(200);
    expect(body).toMatchObject({ rows: 2, created: 0, updated: 0, unchanged: 2 });
    const after = await env.DB.prepare("SELECT id, traits, updated_at FROM members WHERE id IN ('u-001', 'u-002') ORDER BY id").all();
    expect(after.results).toEqual(before.results);
  });

  it('UTF-8 without BOM is detected as UTF-8', async () => {
    const { body } = await importFile(utf8('id,industry\nu-010,ＳａａＳ\n'));
    expect(body).toMatchObject({ encoding: 'utf-8', created: 1 });
    expect(await traitsOf('u-010')).toEqual({ industry: 'SaaS' });
  });

  it('Shift_JIS written byte by byte from the table is detected and decoded', async () => {
    // 会員ID,会社名 / s-001,①㈱髙﨑～－ｱｲ  (89EF 88F5 = 会員, 89EF 8ED0 96BC = 会社名, 8740 = ①,
    // 878A = ㈱, FBFC = 髙, FAB1 = 﨑, 8160 = ～, 817C = －, B1 B2 = ｱｲ)
    const bytes = new Uint8Array([
      0x89, 0xef, 0x88, 0xf5, 0x49, 0x44, 0x2c, 0x89, 0xef, 0x8e, 0xd0, 0x96, 0xbc, 0x0d, 0x0a, 0x73, 0x2d, 0x30, 0x30, 0x31, 0x2c, 0x87,
      0x40, 0x87, 0x8a, 0xfb, 0xfc, 0xfa, 0xb1, 0x81, 0x60, 0x81, 0x7c, 0xb1, 0xb2, 0x0d, 0x0a,
    ]);
    const { status, body } = await importFile(bytes);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ encoding: 'shift_jis', created: 1 });
    // NFKC: ① → 1, ㈱ → (株), ～ → ~, － → -, ｱｲ → アイ; 髙 and 﨑 are their own characters.
    expect(await traitsOf('s-001')).toEqual({ company: '1(株)髙﨑~-アイ' });
  });

  it('Shift_JIS with NEC and IBM extension rows, header aliases and ranges', async () => {
    const text = '会員ID,会社名,従業員数,地域\r\ns-002,ｶﾌﾞｼｷｶﾞｲｼｬ ⅰⅱ,５０～９９名,関東\r\ns-003,纊 № ℡,"1,000名以上",近畿\r\n';
    const { body } = await importFile(sjis(text));
    expect(body).toMatchObject({ encoding: 'shift_jis', created: 2, errors: [] });
    expect(await traitsOf('s-002')).toEqual({ company: 'カブシキガイシャ iii', employees: 50, region: '関東' });
    expect(await traitsOf('s-003')).toEqual({ company: '纊 No TEL', employees: 1000, region: '近畿' });
  });

  it('encoding= overrides detection', async () => {
    const { body } = await importFile(utf8('id,industry\nu-020,IT\n'), 'encoding=shift_jis&dryRun=true');
    expect(body.encoding).toBe('shift_jis');
  });

  it('after the first MiB, bytes the chosen decoder cannot read make their row invalid', async () => {
    const filler = Array.from({ length: 40_000 }, (_, i) => `p-${i},Information Technology\r\n`).join(''); // ASCII, > 1 MiB with the header
    const head = utf8(`id,industry\r\n${filler}`);
    expect(head.byteLength).toBeGreaterThan(1024 * 1024);
    const tail = new Uint8Array([...utf8('p-late,'), 0x83, 0x65, 0x83, 0x58, 0x83, 0x67, 0x0d, 0x0a]); // テスト in Shift_JIS
    const all = new Uint8Array(head.byteLength + tail.byteLength);
    all.set(head);
    all.set(tail, head.byteLength);
    const { status, body } = await importFile(all, 'dryRun=true');
    expect(status).toBe(422);
    expect(body.encoding).toBe('utf-8');
    expect(codes(body.errors)).toEqual([`40002:industry:undecodable`]);
  });
});

describe('import: problems', () => {
  const bad = [
    'id,company,employees,email,メモ',
    'b-001,Good,10,ok@example.jp,',
    ',No id,10,,',
    'b 002,Space in id,10,,',
    'b-003,Bad employees,多数,taro,',
    'b-001,Duplicate,10,,',
    'b-004,Fine too,50〜99名,,',
  ].join('\r\n');

  it('lists every problem, answers 422 and writes nothing', async () => {
    const members = await count('members');
    const { status, body } = await importFile(utf8(bad));
    expect(status).toBe(422);
    expect(body.error.code).toBe('invalid_rows');
    expect(codes(body.errors)).toEqual([
      '1:メモ:unknown_column',
      '3:id:missing_id',
      '4:id:invalid_id',
      '5:employees:invalid_employees',
      '5:email:invalid_email',
      '6:id:duplicate_id',
    ]);
    expect(body).toMatchObject({ rows: 6, created: 2, skipped: 4, errorCount: 6, applied: false });
    expect(await count('members')).toBe(members);
    expect(await staged()).toBe(0);
  });

  it('skipInvalid imports the valid rows and still lists the others', async () => {
    const { status, body } = await importFile(utf8(bad), 'skipInvalid=true');
    expect(status).toBe(200);
    expect(body).toMatchObject({ created: 2, skipped: 4, errorCount: 6, applied: true });
    expect(await traitsOf('b-001')).toEqual({ company: 'Good', employees: 10, email: 'ok@example.jp' });
    expect(await traitsOf('b-004')).toEqual({ company: 'Fine too', employees: 50 });
    expect(await traitsOf('b-003')).toBeNull();
  });

  it('a mapping fixes the unknown column', async () => {
    const file = 'id,担当メモ,Lead Source\r\nmp-1,要フォロー,展示会\r\n';
    expect((await importFile(utf8(file))).status).toBe(422);
    const mapping = encodeURIComponent(JSON.stringify({ 担当メモ: null, 'Lead Source': 'lead_source' }));
    const { status, body } = await importFile(utf8(file), `mapping=${mapping}`);
    expect(status).toBe(200);
    expect(body.columns).toEqual([
      { header: 'id', trait: 'member_id' },
      { header: '担当メモ', trait: null },
      { header: 'Lead Source', trait: 'lead_source' },
    ]);
    expect(await traitsOf('mp-1')).toEqual({ lead_source: '展示会' });
  });

  it('no id column: 422 even with skipInvalid', async () => {
    const { status, body } = await importFile(utf8('company\nA\n'), 'skipInvalid=true');
    expect(status).toBe(422);
    expect(codes(body.errors)).toEqual(['1::missing_id_column']);
  });

  it('an empty file says so', async () => {
    const { status, body } = await importFile(new Uint8Array());
    expect(status).toBe(422);
    expect(codes(body.errors)).toEqual(['1::missing_id_column']);
  });

  it('a quote never closed is one error, not silently swallowed rows', async () => {
    const { status, body } = await importFile(utf8('id,company\nq-1,"open\nq-2,B\n'));
    expect(status).toBe(422);
    expect(codes(body.errors)).toEqual(['2::unterminated_quote']);
  });

  it('dryRun reports and writes nothing', async () => {
    const members = await count('members');
    const { status, body } = await importFile(utf8('id,industry\nd-1,IT\nu-001,SaaS\nu-002,SaaS\n'), 'dryRun=true');
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: true, applied: false, created: 1, updated: 1, unchanged: 1 });
    expect(body.preview).toEqual([
      { row: 2, memberId: 'd-1', traits: { industry: 'IT' }, status: 'created' },
      { row: 3, memberId: 'u-001', traits: { industry: 'SaaS' }, status: 'updated' },
      { row: 4, memberId: 'u-002', traits: { industry: 'SaaS' }, status: 'unchanged' },
    ]);
    expect(await count('members')).toBe(members);
    expect(await traitsOf('u-001')).toMatchObject({ industry: 'IT' });
  });

  it('updates merge into the stored traits (columns not in the file are kept)', async () => {
    const { body } = await importFile(utf8('id,industry\nu-001,SaaS\n'));
    expect(body).toMatchObject({ updated: 1 });
    expect(await traitsOf('u-001')).toEqual({ company: '(株)テスト', industry: 'SaaS', employees: 120, email: 'Taro@example.jp' });
  });

  it.each([
    ['dryRun=maybe', 'dryRun'],
    ['encoding=latin1', 'encoding'],
    ['mapping=%7Bnot%20json', 'mapping'],
    [`mapping=${encodeURIComponent('{"a": 1}')}`, 'mapping'],
  ])('%s → 400 on %s', async (qs, field) => {
    const { status, body } = await importFile(utf8('id\nx\n'), qs);
    expect(status).toBe(400);
    expect(body.error.issues[0].path).toEqual([field]);
  });
});

describe('import: size', () => {
  it('12 000 rows go through in batches (lookups, staging, application) and come back unchanged', { timeout: 60_000 }, async () => {
    const lines = ['member_id,company,industry,employees,region'];
    for (let i = 0; i < 12_000; i++)
      lines.push(`bulk-${i},会社${i},${i % 3 ? 'IT' : '製造業'},${i % 500}名,${['関東', '近畿', '九州'][i % 3]}`);
    const file = sjis(`${lines.join('\r\n')}\r\n`);
    const first = await importFile(file);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ encoding: 'shift_jis', rows: 12_000, created: 12_000, errorCount: 0 });
    expect(await count('members', "id LIKE 'bulk-%'")).toBe(12_000);
    expect(await traitsOf('bulk-11999')).toEqual({ company: '会社11999', industry: 'IT', employees: 499, region: '九州' });
    const second = await importFile(file);
    expect(second.body).toMatchObject({ rows: 12_000, created: 0, updated: 0, unchanged: 12_000 });
    expect(await staged()).toBe(0);
  });

  it('more than 100 000 rows → 413 and nothing written', { timeout: 60_000 }, async () => {
    const members = await count('members');
    const file = `id\n${Array.from({ length: 100_001 }, (_, i) => `r${i}`).join('\n')}\n`;
    const { status, body } = await importFile(utf8(file));
    expect(status).toBe(413);
    expect(body.error.code).toBe('payload_too_large');
    expect(await count('members')).toBe(members);
    expect(await staged()).toBe(0);
  });

  it('more than 10 MB → 413, whether declared or not', { timeout: 60_000 }, async () => {
    const big = new Uint8Array(10 * 1024 * 1024 + 1).fill(0x41);
    expect((await importFile(big)).status).toBe(413);
    const stream = new ReadableStream({
      start(c) {
        c.enqueue(utf8('id\n'));
        for (let i = 0; i < 11; i++) c.enqueue(new Uint8Array(1024 * 1024).fill(0x41));
        c.close();
      },
    });
    const res = await importFile(stream, '', {});
    expect(res.status).toBe(413);
  });
});

describe('import: erasure', () => {
  it('does not bring back a member erased while (or just before) the import ran', async () => {
    expect(
      (await call('PUT', '/v1/server/members/gone-1', { traits: { plan: 'a' } }, { ...SERVER, 'content-type': 'application/json' })).status,
    ).toBe(200);
    expect((await call('DELETE', '/v1/server/members/gone-1', undefined, SERVER)).status).toBe(204);
    const { status } = await importFile(utf8('id,industry\ngone-1,IT\nstays-1,IT\n'));
    expect(status).toBe(200);
    expect(await traitsOf('gone-1')).toBeNull();
    expect(await traitsOf('stays-1')).toEqual({ industry: 'IT' });
  });
});
