/**
 * @module
 * The one path every write of behaviour takes (decide, collect, server collect):
 * read the profile (1 statement) → apply new events → resolve the segment → let the caller
 * decide slots → write everything in one batch. Retries the whole thing if a concurrent request
 * for the same profile won the race, so scores stay exact under parallel requests.
 */
import { compileConfig, type CompiledConfig } from '../core/compile';
import { applyEvents, type AppliedEvent } from '../core/profile';
import { creditConversions } from '../core/conversions';
import { resolveSegment } from '../core/segments';
import type { NormalizedEvent, Profile } from '../core/types';
import { parseJsonColumn } from '../lib/json-column';
import type { Segment } from '../schema/config';
import { memberAlerts } from './alerts/check';
import { getConfig } from './config-store';
import type { ServiceContext } from './context';
import { ErasedError, visitorSubject } from './tombstones';
import { withCategories } from './events';
import { readMemberState, readVisitorState, writeProfile, type ExposureRow, type ProfileState, type ProfileWrite } from './profile-store';

export type Subject = { kind: 'visitor'; visitorId: string } | { kind: 'member'; memberId: string };

/** What the pipeline reads and writes through, and the instant the events are applied at. */
export type PipelineContext = Pick<ServiceContext, 'd1' | 'db' | 'now'>;

export interface Outcome<R> {
  state: ProfileState;
  profile: Profile;
  config: CompiledConfig;
  segment: Segment | null;
  accepted: number;
  duplicates: number;
  extra: R;
}

export type SlotStep<R> = (args: { config: CompiledConfig; state: ProfileState; profile: Profile; segment: Segment | null }) => {
  extra: R;
  exposures: ExposureRow[];
};

/** One browser rarely sends more than two requests at once; this covers bursts with room to spare. */
const MAX_ATTEMPTS = 12;
const backoff = (attempt: number) => new Promise((r) => setTimeout(r, Math.random() * 4 * attempt));

export class ConflictError extends Error {}

/**
 * @example
 *   const out = await updateProfile(ctx, { kind: 'visitor', visitorId }, events, { write: true });
 */
export async function updateProfile<R = undefined>(
  ctx: PipelineContext,
  subject: Subject,
  events: NormalizedEvent[],
  opts: {
    write: boolean;
    step?: SlotStep<R>;
    config?: CompiledConfig;
    /**
     * The first attempt's read, already started by the caller (the edge's rewrite mode starts it
     * beside the origin fetch, before the page's events are known). It must cover `events`' ids.
     */
    firstRead?: Promise<ProfileState>;
    /**
     * Also credit the experiments entered now with goal events already stored at or after this
     * moment (the writes queue applies a page after the requests that followed it).
     */
    creditStored?: boolean;
    /**
     * Writes the first attempt's batch instead of `writeProfile`: the writes queue's consumer
     * sends the writes of several visitors as one D1 batch. A lost race retries on its own.
     */
    firstWrite?: (w: ProfileWrite) => Promise<boolean>;
  },
): Promise<Outcome<R>> {
  const ids = [...new Set(events.map((e) => e.id))];
  for (let attempt = 1; ; attempt++) {
    const state =
      attempt === 1 && opts.firstRead
        ? await opts.firstRead
        : subject.kind === 'visitor'
          ? await readVisitorState(ctx, subject.visitorId, ids)
          : await readMemberState(ctx, subject.memberId, ids);
    if (state.erased && opts.write) throw new ErasedError('subject was erased');
    const config = opts.config ?? (await getConfig(ctx, state.configVersion));

    // Drop events already stored (retries) and repeats inside this batch.
    const fresh: NormalizedEvent[] = [];
    const inBatch = new Set<string>();
    for (const e of events) {
      if (state.seenEventIds.has(e.id) || inBatch.has(e.id)) continue;
      inBatch.add(e.id);
      fresh.push(e);
    }
    const duplicates = events.length - fresh.length;
    const categorized = withCategories(fresh, config.categoryOf);
    const { profile: applied, applied: scored } = applyEvents(state.profile, categorized, config.source.scoring, {
      now: ctx.now,
      retentionDays: config.retentionDays,
      countedKeys: config.countedKeys,
      calendar: config.calendar,
    });
    let { profile, conversions } = creditConversions(applied, categorized, config.experimentsById, config.calendar);
    const segment = resolveSegment(config.segments, {
      traits: state.traits,
      profile,
      now: ctx.now,
      settings: config.source.scoring.settings,
    });
    const step = opts.step?.({ config, state, profile, segment });
    const exposures = step?.exposures ?? [];
    if (subject.kind === 'visitor' && exposures.length) {
      const entered = Object.fromEntries(exposures.map((x) => [x.experiment, { arm: x.arm, at: ctx.now, vid: subject.visitorId }]));
      profile.exposures = { ...profile.exposures, ...entered };
      if (opts.creditStored) {
        // A queued page's exposure lands after the visitor's next requests: a goal event they
        // sent meanwhile (collect, server collect) is already stored and still counts.
        const goals = [...new Set(exposures.map((x) => config.experimentsById.get(x.experiment)?.goal.eventType).filter(Boolean))];
        const stored = await storedGoalEvents(ctx.d1, state, goals as string[], ctx.now);
        const late = creditConversions(profile, stored, config.experimentsById, config.calendar);
        profile = late.profile;
        conversions = [...conversions, ...late.conversions];
      }
    }

    const outcome: Outcome<R> = {
      state,
      profile,
      config,
      segment,
      accepted: fresh.length,
      duplicates,
      extra: step?.extra as R,
    };
    const changed = fresh.length > 0 || exposures.length > 0;
    if (!opts.write || !changed) return outcome;

    // Alerts (members only): decided from the profile before and after, written in this batch.
    const settings = config.source.scoring.settings;
    const alerts =
      state.target === 'members' && fresh.length > 0
        ? await memberAlerts(ctx, {
            configVersion: state.configVersion,
            settings,
            before: state.profile,
            after: profile,
            segment,
            segmentBefore: () => resolveSegment(config.segments, { traits: state.traits, profile: state.profile, now: ctx.now, settings }),
            eventId: fresh.reduce((a, b) => (b.at >= a.at ? b : a)).id,
            now: ctx.now,
          })
        : [];

    const write: ProfileWrite = {
      state,
      profile,
      visitorId: subject.kind === 'visitor' ? subject.visitorId : null,
      events: categorized.map((e) => eventRow(e, scored)),
      exposures,
      conversions,
      alerts,
      now: ctx.now,
      day: config.calendar.dayOf(ctx.now),
    };
    const ok = attempt === 1 && opts.firstWrite ? await opts.firstWrite(write) : await writeProfile(ctx, write);
    if (ok) return outcome;
    if (attempt >= MAX_ATTEMPTS) throw new ConflictError('profile is being updated concurrently');
    await backoff(attempt);
  }
}

/**
 * The profile's stored events of these types at or after `from`, oldest first (a few at most).
 * A member's profile counts its browsers' events (stored under each browser's id, with the
 * member's id on them) and its server events: found by member id. An anonymous browser's are its
 * own subject's. Either way one index range from `from` on (`events_member_at`,
 * `events_visitor_at`), never the whole history.
 */
async function storedGoalEvents(d1: D1Database, state: ProfileState, types: string[], from: number): Promise<NormalizedEvent[]> {
  if (!types.length) return [];
  const member = state.target === 'members';
  const { results } = await d1
    .prepare(
      `SELECT id, type, at, props FROM events
       WHERE ${member ? 'member_id = ?1' : 'visitor_id = ?1 AND subject = ?4'} AND at >= ?2
         AND type IN (SELECT value FROM json_each(?3)) ORDER BY at LIMIT 100`,
    )
    .bind(state.targetId, from, JSON.stringify(types), ...(member ? [] : [visitorSubject(state.targetId)]))
    .all<{ id: string; type: NormalizedEvent['type']; at: number; props: string }>();
  return results.map((r) => ({ id: r.id, type: r.type, at: r.at, props: parseJsonColumn<Record<string, unknown>>(r.props, {}) }));
}

function eventRow(e: NormalizedEvent, scored: AppliedEvent[]) {
  const s = scored.find((x) => x.eventId === e.id);
  return {
    id: e.id,
    type: e.type,
    at: e.at,
    url: e.url ?? null,
    props: e.props,
    points: s?.points ?? 0,
    breakdown: s?.breakdown ?? [],
    scoreAfter: s?.scoreAfter ?? 0,
  };
}

export { compileConfig };
