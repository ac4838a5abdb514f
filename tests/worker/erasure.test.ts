/**
 * Erasure (APPI / GDPR): DELETE /v1/server/members/:id removes the member from every table that
 * can hold personal data. The list of tables comes from the database itself, so a new table
 * without an erasure rule fails this test.
 */
import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceContext } from '../../worker/services/context';
import { countSegmentDay } from '../../worker/services/segment-history';
import { SERVER, call, count, eid, identifyToken, loadDemo, pageView, post, vid } from './helpers';

beforeAll(loadDemo);

/**
 * Configuration (and the one-row write guard) hold no personal data; tombstones hold only hashes
 * (checked below); everything else must be checked.
 */
const CONFIG_TABLES = new Set([
  'scoring_rules',
  'settings',
  'category_rules',
  'segments',
  'slots',
  'variants',
  'experiments',
  'd1_migrations',
  'write_guard',
  'tombstones',
  'alerts',
  'webhook_pacing',
  // The change log: configuration snapshots and the staff member who changed them (the Access
  // email or "admin-token"), never a member's or visitor's data (tests/worker/changes.test.ts).
  'changes',
  // Segment history: counts per segment and day, and the count's claims; no one is named.
  'segment_days',
  'segment_counts',
  // Trained propensity models: features, coefficients and holdout metrics; no one is named.
  'propensity_models',
  // Event retention: its lease; erasures queued for the archive and the archive's index hold
  // tombstone-key hashes (prefixes) only, and the erased ones leave with their archived lines
  // at the next retention run (tests/worker/retention-archive.test.ts).
  'retention_state',
  'archive_erasures',
  'archive_index',
]);

/**
 * Full-text indexes (FTS5 virtual tables and their shadow tables) hold text from a content table,
 * which is checked like any other. The index itself passes when it names its content table, has
 * secure-delete on (a deleted row's terms leave the index at once instead of lingering behind a
 * delete marker) and, after the erasure, holds no row its content table no longer has.
 */
async function fullTextIndexes(): Promise<{ name: string; orphans: string }[]> {
  const { results } = await env.DB.prepare(
    "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%USING fts5%'",
  ).all<{ name: string; sql: string }>();
  const out = [];
  for (const { name, sql } of results) {
    const content = /content\s*=\s*'([^']+)'/.exec(sql)?.[1];
    const rowid = /content_rowid\s*=\s*'([^']+)'/.exec(sql)?.[1] ?? 'rowid';
    expect(content, `full-text index ${name} must be an external-content index of a checked table`).toBeTruthy();
    const secure = await env.DB.prepare(`SELECT v FROM "${name}_config" WHERE k = 'secure-delete'`).first<{ v: number }>();
    expect(secure?.v, `full-text index ${name} needs secure-delete`).toBe(1);
    out.push({ name, orphans: `SELECT COUNT(*) AS n FROM "${name}_docsize" WHERE id NOT IN (SELECT "${rowid}" FROM "${content}")` });
  }
  return out;
}

async function personalTables(): Promise<{ name: string; columns: string[] }[]> {
  const { results } = await env.DB.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'",
  ).all<{ name: string }>();
  const indexes = (await fullTextIndexes()).map((f) => f.name);
  const out = [];
  for (const { name } of results) {
    if (CONFIG_TABLES.has(name)) continue;
    // An index and its shadow tables (`<index>_data`, `_idx`, `_docsize`, `_config`): see fullTextIndexes.
    if (indexes.some((f) => name === f || name.startsWith(`${f}_`))) continue;
    const cols = await env.DB.prepare(`SELECT name FROM pragma_table_info(?)`).bind(name).all<{ name: string }>();
    out.push({ name, columns: cols.results.map((c) => c.name) });
  }
  return out;
}

async function rowsAbout(memberId: string, visitorIds: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of await personalTables()) {
    const conds: string[] = [];
    const binds: unknown[] = [];
    if (t.name === 'members') conds.push('id = ?'), binds.push(memberId);
    if (t.name === 'visitors') conds.push(`id IN (${visitorIds.map(() => '?').join(',')})`), binds.push(...visitorIds);
    if (t.name === 'segment_members') {
      const subjects = [`m:${memberId}`, ...visitorIds.map((v) => `v:${v}`)];
      conds.push(`subject IN (${subjects.map(() => '?').join(',')})`), binds.push(...subjects);
    }
    if (t.columns.includes('member_id')) conds.push('member_id = ?'), binds.push(memberId);
    if (t.columns.includes('visitor_id')) conds.push(`visitor_id IN (${visitorIds.map(() => '?').join(',')})`), binds.push(...visitorIds);
    expect(conds.length, `table ${t.name} has no member_id/visitor_id column: add it to erasure`).toBeGreaterThan(0);
    out[t.name] = await count(t.name, conds.join(' OR '), ...binds);
  }
  return out;
}

describe('erasure', () => {
  it('removes the member, its visitors, events, exposures and conversions — and nobody else', async () => {
    const memberId = `erase-${vid()}`;
    const browsers = [vid('erase-a'), vid('erase-b')];
    for (const v of browsers) {
      await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'download', props: { asset: 'cs', kind: 'case_study' } }] });
      await post('/v1/identify', { visitorId: v, token: await identifyToken(memberId, { industry: 'SaaS', employees: 99 }) });
      await post('/v1/decide', { visitorId: v, slots: ['hero'], events: [pageView()] });
      await post('/v1/collect', { visitorId: v, events: [{ id: eid(), type: 'form_inquiry', props: { form: 'c' } }] });
    }
    await post('/v1/server/collect', { memberId, events: [{ id: eid(), type: 'email_open', props: { campaign: 'x' } }] }, SERVER);
    const bystander = vid('keep');
    await post('/v1/collect', { visitorId: bystander, events: [pageView()] });

    // The daily segment count records which segment the member is in.
    await countSegmentDay(serviceContext(env.DB, env));
    const before = await rowsAbout(memberId, browsers);
    for (const table of ['members', 'member_search', 'visitors', 'events', 'exposures', 'conversions', 'segment_members'])
      expect(before[table], table).toBeGreaterThan(0);

    const res = await call('DELETE', `/v1/server/members/${memberId}`, undefined, SERVER);
    expect(res.status).toBe(204);
    const after = await rowsAbout(memberId, browsers);
    expect(
      Object.values(after).every((n) => n === 0),
      JSON.stringify(after),
    ).toBe(true);
    for (const index of await fullTextIndexes())
      expect((await env.DB.prepare(index.orphans).first<{ n: number }>())?.n, index.name).toBe(0);
    expect(await count('events', 'visitor_id = ?', bystander)).toBe(1);
    // Erasing again is harmless.
    expect((await call('DELETE', `/v1/server/members/${memberId}`, undefined, SERVER)).status).toBe(204);
  });
});
