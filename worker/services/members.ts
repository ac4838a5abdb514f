/**
 * @module
 * Server-side member maintenance: trait upserts from a CRM sync, and erasure on request.
 */
import type { Traits } from '../schema/config';
import { parseJsonColumn } from '../lib/json-column';

/** Upserts traits from a CRM sync; the profile is untouched. */
export async function upsertTraits(d1: D1Database, memberId: string, traits: Traits, now: number): Promise<Traits> {
  const row = await d1
    .prepare(
      `INSERT INTO members (id, traits, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT(id) DO UPDATE SET traits = json_patch(members.traits, excluded.traits), updated_at = excluded.updated_at
       RETURNING traits`,
    )
    .bind(memberId, JSON.stringify(traits), now)
    .first<{ traits: string }>();
  return parseJsonColumn<Traits>(row?.traits ?? null, {});
}

/** Erases a member and everything recorded about it or its browsers (APPI / GDPR). */
export async function eraseMember(d1: D1Database, memberId: string): Promise<boolean> {
  const visitorsOf = `SELECT id FROM visitors WHERE member_id = ?1`;
  const results = await d1.batch([
    d1.prepare(`DELETE FROM events WHERE member_id = ?1 OR visitor_id IN (${visitorsOf})`).bind(memberId),
    d1.prepare(`DELETE FROM exposures WHERE member_id = ?1 OR visitor_id IN (${visitorsOf})`).bind(memberId),
    d1.prepare(`DELETE FROM conversions WHERE member_id = ?1 OR visitor_id IN (${visitorsOf})`).bind(memberId),
    d1.prepare(`DELETE FROM visitors WHERE member_id = ?1`).bind(memberId),
    d1.prepare(`DELETE FROM members WHERE id = ?1`).bind(memberId),
  ]);
  return results.some((r) => (r.meta.changes ?? 0) > 0);
}
