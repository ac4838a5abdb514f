/**
 * @module
 * Identify: a visitor signs in on the site, the site's server hands the browser a signed token,
 * and the visitor's anonymous history joins the member's profile. One read of both rows, one
 * batch that moves everything, so a failure changes nothing.
 *
 * The visitor id is rotated: the browser gets a new id linked to the member and the old one is
 * retired (it stops leading to the member a minute later), so an id known before sign-in (a planted cookie, a third-party tag that read it, the
 * previous user of a shared PC) never follows the member.
 */
import { mergeProfiles, emptyProfile } from '../core/profile';
import { resolveSegment } from '../core/segments';
import type { Profile } from '../core/types';
import type { Traits } from '../schema/config';
import { memberAlerts } from './alerts/check';
import { announceFired, outboxInsert } from './alerts/outbox';
import { getConfig } from './config-store';
import type { ServiceContext } from './context';
import { parseJsonColumn } from '../lib/json-column';
import { newVisitorId } from '../lib/ids';
import { erasedSince, ErasedError, memberSubject, notErased, tombstoneKey, visitorSubject } from './tombstones';

interface Row {
  config_version: string | null;
  erased: number;
  visitor_id: string | null;
  linked_member: string | null;
  visitor_profile: string | null;
  visitor_version: string | null;
  member_id: string | null;
  traits: string | null;
  member_profile: string | null;
  member_version: string | null;
}

const MAX_ATTEMPTS = 8;

export interface IdentifyResult {
  memberId: string;
  segment: string | null;
  /** The browser's new visitor id (the old one no longer leads to this member). */
  visitorId: string;
}
const isGuardConflict = (err: unknown) => String((err as Error)?.message ?? err).includes('write_guard');

/**
 * Links `visitorId` to `memberId`, merges traits (the token's values win) and, the first time,
 * folds the anonymous profile into the member's.
 * @example const { visitorId } = await identifyVisitor(c.var.svc, { visitorId, memberId: 'm-42', traits: { industry: 'SaaS' } });
 */
export async function identifyVisitor(
  ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  input: { visitorId: string; memberId: string; traits: Traits },
): Promise<IdentifyResult> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await identifyOnce(ctx, input);
    } catch (err) {
      // A decide or collect for this browser or member landed between our read and our write:
      // the batch was rolled back whole, so read again and redo the merge.
      if (!isGuardConflict(err) || attempt >= MAX_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

async function identifyOnce(
  ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  input: { visitorId: string; memberId: string; traits: Traits },
): Promise<IdentifyResult> {
  const { d1, now } = ctx;
  const { visitorId, memberId, traits } = input;
  const keys = Promise.all([tombstoneKey(visitorSubject(visitorId)), tombstoneKey(memberSubject(memberId))]);
  const row = (await d1
    .prepare(
      `SELECT (SELECT json_extract(value, '$') FROM settings WHERE key = 'config_version') AS config_version,
         (SELECT COUNT(*) FROM tombstones WHERE subject IN (?3, ?4) AND at >= ?5) AS erased,
         v.id AS visitor_id, v.member_id AS linked_member, v.profile AS visitor_profile, v.version AS visitor_version,
         m.id AS member_id, m.traits AS traits, m.profile AS member_profile, m.version AS member_version
       FROM (SELECT ?1 AS vid, ?2 AS mid) q
       LEFT JOIN visitors v ON v.id = q.vid LEFT JOIN members m ON m.id = q.mid`,
    )
    .bind(visitorId, memberId, ...(await keys), erasedSince(now))
    .first<Row>())!;
  if (row.erased > 0) throw new ErasedError('member or visitor was erased moments ago');
  const config = await getConfig(ctx, row.config_version ?? '0');
  const settings = config.source.scoring.settings;

  const mergedTraits: Traits = { ...parseJsonColumn<Traits>(row.traits, {}), ...traits };
  const memberBefore: Profile = { ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(row.member_profile, {}) };
  let profile: Profile = memberBefore;
  // Only a never-identified visitor brings anonymous history; a browser that was already
  // someone else's (a shared PC) is re-linked without moving that person's history.
  const joinsHistory = !row.linked_member;
  if (joinsHistory && row.visitor_profile) {
    profile = mergeProfiles(
      profile,
      { ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(row.visitor_profile, {}) },
      config.source.scoring,
      now,
      { countedKeys: config.countedKeys, calendar: config.calendar },
    );
  }
  // Signing in can carry a member over a line (anonymous history joins, the token brings
  // traits): alerts fire here as on any other write, in the same batch.
  const alerts = await memberAlerts(ctx, {
    configVersion: row.config_version ?? '0',
    settings,
    before: memberBefore,
    after: profile,
    segment: resolveSegment(config.segments, { traits: mergedTraits, profile, now, settings }),
    segmentBefore: () =>
      resolveSegment(config.segments, { traits: parseJsonColumn<Traits>(row.traits, {}), profile: memberBefore, now, settings }),
    eventId: null,
    now,
  });
  const version = crypto.randomUUID();
  const rotated = newVisitorId();
  const statements: D1PreparedStatement[] = [
    // Both rows must still be as we read them and neither erased since, or the CHECK fails and
    // the batch rolls back.
    d1
      .prepare(
        `INSERT OR REPLACE INTO write_guard (id, ok) VALUES (1,
           ((SELECT version FROM visitors WHERE id = ?1) IS ?2) AND ((SELECT version FROM members WHERE id = ?3) IS ?4)
           AND ${notErased(5, 6, 7)})`,
      )
      .bind(visitorId, row.visitor_version, memberId, row.member_version, ...(await keys), erasedSince(now)),
    d1
      .prepare(
        `INSERT INTO members (id, traits, profile, score, last_active_at, version, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(id) DO UPDATE SET traits = excluded.traits, profile = excluded.profile, score = excluded.score,
           last_active_at = excluded.last_active_at, version = excluded.version, updated_at = excluded.updated_at`,
      )
      .bind(memberId, JSON.stringify(mergedTraits), JSON.stringify(profile), profile.score, profile.lastActiveAt, version, now),
    // The old id is retired, not deleted: requests it sent before this one still reach the
    // member for a minute, then it is an anonymous browser (services/profile-store.ts).
    d1
      .prepare(
        `INSERT INTO visitors (id, member_id, profile, score, last_active_at, version, updated_at, retired_at)
         VALUES (?1, ?2, NULL, 0, NULL, ?3, ?4, ?4)
         ON CONFLICT(id) DO UPDATE SET member_id = excluded.member_id, profile = NULL, score = 0, version = excluded.version,
           updated_at = excluded.updated_at, retired_at = excluded.retired_at`,
      )
      .bind(visitorId, memberId, crypto.randomUUID(), now),
    d1
      .prepare(
        `INSERT INTO visitors (id, member_id, profile, score, last_active_at, version, updated_at) VALUES (?1, ?2, NULL, 0, NULL, ?3, ?4)`,
      )
      .bind(rotated, memberId, crypto.randomUUID(), now),
  ];
  if (joinsHistory) {
    for (const table of ['events', 'exposures', 'conversions']) {
      statements.push(
        d1.prepare(`UPDATE ${table} SET member_id = ?2 WHERE visitor_id = ?1 AND member_id IS NULL`).bind(visitorId, memberId),
      );
    }
  }
  if (joinsHistory || row.linked_member === memberId) {
    // Events the browser sent but never saw acknowledged come back under the new id: keep them
    // deduplicated against what this browser already stored.
    statements.push(
      d1.prepare(`UPDATE events SET subject = ?2 WHERE subject = ?1`).bind(visitorSubject(visitorId), visitorSubject(rotated)),
    );
  }
  if (alerts.length) statements.push(outboxInsert(d1, alerts, memberId, now));
  await d1.batch(statements);
  announceFired(d1, alerts);
  const segment = resolveSegment(config.segments, { traits: mergedTraits, profile, now, settings });
  return { memberId, segment: segment?.key ?? null, visitorId: rotated };
}
