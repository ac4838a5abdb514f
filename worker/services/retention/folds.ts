/**
 * @module
 * Members' folds (`event_folds`): what their deleted raw events did to a profile, read by the
 * replays that would otherwise have read those events (propensity training), and removed by
 * erasure with everything else about the member.
 */
import { isValueKey } from '../../core/counters';
import type { Profile } from '../../core/types';
import { parseJsonColumn } from '../../lib/json-column';
import type { ServiceContext } from '../context';

/**
 * The folds of these members (absent: nothing of theirs was deleted).
 * @example const folds = await foldsOf(ctx, ['m-1', 'm-2']); folds.get('m-1')?.totals.page_view
 */
export async function foldsOf({ d1 }: Pick<ServiceContext, 'd1'>, memberIds: string[]): Promise<Map<string, Profile>> {
  const out = new Map<string, Profile>();
  if (!memberIds.length) return out;
  const { results } = await d1
    .prepare('SELECT member_id, profile FROM event_folds WHERE member_id IN (SELECT value FROM json_each(?1))')
    .bind(JSON.stringify(memberIds))
    .all<{ member_id: string; profile: string }>();
  for (const r of results) {
    const fold = parseJsonColumn<Profile | null>(r.profile, null);
    if (fold) out.set(r.member_id, fold);
  }
  return out;
}

/**
 * Event types that deleted member events had (their type counters in the folds): a replay that
 * lists "types seen in history" lists these too.
 * @example await foldedTypes(ctx) // ["page_view", "form_inquiry"]
 */
export async function foldedTypes({ d1 }: Pick<ServiceContext, 'd1'>): Promise<string[]> {
  const { results } = await d1
    .prepare(`SELECT DISTINCT t.key AS key FROM event_folds f, json_each(f.profile, '$.totals') t`)
    .all<{ key: string }>();
  return results.map((r) => r.key).filter((k) => !isValueKey(k));
}

/**
 * What an erasure adds to its batch for retention: the member's fold goes, and the erased
 * subjects' tombstone keys are queued for the archive (their archived lines are removed by the
 * next retention run; services/retention/archive.ts).
 * @example d1.batch([...deletes, ...retentionErasure(d1, memberId, keys, now)])
 */
export function retentionErasure(d1: D1Database, memberId: string, tombstoneKeys: string[], now: number): D1PreparedStatement[] {
  return [
    d1.prepare('DELETE FROM event_folds WHERE member_id = ?1').bind(memberId),
    d1
      .prepare('INSERT OR IGNORE INTO archive_erasures (key, at) SELECT value, ?2 FROM json_each(?1)')
      .bind(JSON.stringify(tombstoneKeys), now),
  ];
}
