/**
 * @module
 * Server-side member maintenance: trait upserts from a CRM sync, and erasure on request.
 */
import type { Traits } from '../schema/config';
import { parseJsonColumn } from '../lib/json-column';
import type { ServiceContext } from './context';
import { retentionErasure } from './retention/folds';
import { erasedSince, memberSubject, notErased, TOMBSTONE_TTL_MS, tombstoneKey, visitorSubject } from './tombstones';

/**
 * Upserts traits from a CRM sync; the profile is untouched. Returns null (nothing written) when
 * the member was erased while this request was on its way.
 * @example await upsertTraits(c.var.svc, 'm-42', { industry: 'SaaS' }) // the merged traits, or null
 */
export async function upsertTraits(
  { d1, now }: Pick<ServiceContext, 'd1' | 'now'>,
  memberId: string,
  traits: Traits,
): Promise<Traits | null> {
  const row = await d1
    .prepare(
      `INSERT INTO members (id, traits, updated_at) SELECT ?1, ?2, ?3 WHERE ${notErased(4, 4, 5)}
       ON CONFLICT(id) DO UPDATE SET traits = json_patch(members.traits, excluded.traits), updated_at = excluded.updated_at
       RETURNING traits`,
    )
    .bind(memberId, JSON.stringify(traits), now, await tombstoneKey(memberSubject(memberId)), erasedSince(now))
    .first<{ traits: string }>();
  return row ? parseJsonColumn<Traits>(row.traits, {}) : null;
}

/**
 * Erases a member and everything recorded about it or its browsers (APPI / GDPR), in one batch.
 * Tombstones for the member and every visitor id it used make the erasure final: a decide or
 * collect that read the profile before this batch cannot write it back (services/tombstones.ts).
 * @example await eraseMember(c.var.svc, 'm-42') // true when something was deleted
 */
export async function eraseMember({ d1, now }: Pick<ServiceContext, 'd1' | 'now'>, memberId: string): Promise<boolean> {
  const visitorsOf = `SELECT id FROM visitors WHERE member_id = ?1`;
  const { results: browsers } = await d1
    .prepare(
      `${visitorsOf} UNION SELECT visitor_id FROM events WHERE member_id = ?1 AND visitor_id IS NOT NULL
       UNION SELECT visitor_id FROM exposures WHERE member_id = ?1`,
    )
    .bind(memberId)
    .all<{ id: string }>();
  const keys = await Promise.all([memberSubject(memberId), ...browsers.map((b) => visitorSubject(b.id))].map(tombstoneKey));
  const tombstoneStatements = [
    d1.prepare(`DELETE FROM tombstones WHERE at < ?1`).bind(now - TOMBSTONE_TTL_MS),
    d1.prepare(`INSERT OR REPLACE INTO tombstones (subject, at) SELECT value, ?2 FROM json_each(?1)`).bind(JSON.stringify(keys), now),
    // Event retention: the member's fold goes, and its archived lines are queued for removal.
    ...retentionErasure(d1, memberId, keys, now),
  ];
  const deletes = [
    d1.prepare(`DELETE FROM events WHERE member_id = ?1 OR visitor_id IN (${visitorsOf})`).bind(memberId),
    d1.prepare(`DELETE FROM exposures WHERE member_id = ?1 OR visitor_id IN (${visitorsOf})`).bind(memberId),
    d1.prepare(`DELETE FROM conversions WHERE member_id = ?1 OR visitor_id IN (${visitorsOf})`).bind(memberId),
    // Alert messages carry the member's traits and behaviour: the log goes with the member.
    d1.prepare(`DELETE FROM alert_deliveries WHERE member_id = ?1`).bind(memberId),
    // Segment history keeps who was in which segment at the last count (counts stay: they name no one).
    d1
      .prepare(
        `DELETE FROM segment_members WHERE subject = 'm:' || ?1 OR subject IN (SELECT 'v:' || id FROM visitors WHERE member_id = ?1)`,
      )
      .bind(memberId),
    d1.prepare(`DELETE FROM visitors WHERE member_id = ?1`).bind(memberId),
    d1.prepare(`DELETE FROM members WHERE id = ?1`).bind(memberId),
  ];
  const results = await d1.batch([...tombstoneStatements, ...deletes]);
  return results.slice(tombstoneStatements.length).some((r) => (r.meta.changes ?? 0) > 0);
}
