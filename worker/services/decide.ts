/**
 * @module
 * The one decision behind `POST /v1/decide` and the edge's rewrite mode: apply the page's events
 * to the visitor's profile, resolve the segment, decide each slot (worker/core/decide.ts) and
 * store events and new exposures in one batch — one read, one write.
 *
 * The two callers differ only in what they know when: the API gets every slot name in the
 * request, while the rewriter meets slots one by one as the page streams past. So the decision
 * hands back, besides the slots asked for, a `Decided` that decides further slots from the same
 * snapshot of the profile (same segment, same sticky arms).
 */
import { decideSlots } from '../core/decide';
import { ApiError } from '../errors';
import { emptyProfile } from '../core/profile';
import { eventKey, eventKeys, profileFromClaims, tokenClaims, tokenProblem, type TokenClaims } from '../core/profile-token';
import { tokenFits } from '../core/profile-shape';
import { readProfileToken, signProfileToken } from '../lib/profile-token';
import { CONFIG_REFRESH_MS, getConfig, recheckConfig, trustedConfig } from './config-store';
import type { NormalizedEvent } from '../core/types';
import type { DecideResponse, Decision } from '../schema/api';
import { withDeadline } from './deadline';
import { readVisitorState, type ExposureRow, type ProfileState } from './profile-store';
import type { VisitorReader } from './read-together';
import { updateProfile, type Outcome, type PipelineContext } from './pipeline';
import { ErasedError } from './tombstones';
import { writeMessage, type WritesProducer } from './writes/message';
import { queued, settled } from './writes/tracker';

/** A decide that takes longer than this answers with default content instead. */
export const DECIDE_DEADLINE_MS = 1000;

export interface DecideInput {
  visitorId: string;
  /** Slot names, without repeats. */
  slots: string[];
  /** Validated events of this page (page_view first-hand from the snippet or made by the edge). */
  events: NormalizedEvent[];
  /** The worker made `visitorId` for this request: nothing can be stored under it yet. */
  minted?: boolean;
}

/** The profile token of a queued decide (docs/storage.md#read-your-writes). */
export interface TokenInput {
  /** `PROFILE_SECRET`, or null when the deployment has none (no token is read or issued). */
  secret: string | null;
  /** The token the snippet sent back. */
  token?: string;
  /** Runs work after the answer (`ctx.waitUntil`): the configuration stamp re-check. */
  background?: (work: Promise<unknown>) => void;
}

/** How the queued decide got its profile, for the tests and the bench (`X-DW-Profile`). */
export type ProfileSource = 'token' | 'new' | 'read' | 'read+token';

/** A visitor's decision, as the slots asked for saw it, and for any slot met later. */
export interface Decided {
  segment: { key: string; name: string } | null;
  slots: Record<string, Decision | null>;
  /**
   * Decides more slots from the same snapshot. Arms entered here are not stored yet: they are
   * returned, for the caller to store once it knows the page showed them.
   */
  more(slots: string[]): { slots: Record<string, Decision | null>; exposures: ExposureRow[] };
}

export interface DecideOptions {
  /** The profile read, already started by the caller (rewrite mode starts it beside the origin fetch). */
  firstRead?: Promise<ProfileState>;
  /** How a queued decide reads the visitor when it must (read-together.ts); default: its own statement. */
  read?: VisitorReader;
  /**
   * Called with the decision before anything is stored. If it throws, nothing is stored: the
   * rewriter throws when it gave up waiting and sent the page with its defaults.
   */
  onDecided?: (decided: Decided) => void;
  /** Called with the next page's profile token as soon as it is signed (before the writes are handed over). */
  onToken?: (token: string | undefined) => void;
}

/**
 * Decides `input.slots` for a visitor and stores the page's events and the arms entered.
 * Resolves after the write; throws on storage errors (callers fail open).
 * @example
 *   const out = await decideVisitor(ctx, { visitorId, slots: ['hero'], events });
 *   out.extra.slots.hero // { variant, experiment, arm, content } | null
 */
export async function decideVisitor(ctx: PipelineContext, input: DecideInput, opts: DecideOptions = {}): Promise<Outcome<Decided>> {
  let decided: Decided | undefined;
  let shown: ExposureRow[] = [];
  return updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, input.events, {
    write: true,
    firstRead: opts.firstRead,
    step: ({ config, profile, segment }) => {
      // A retry (a concurrent write won) decides again for /v1/decide, whose answer is sent after
      // the write; a page that may already show the first decision stores the arms it showed.
      if (decided && opts.onDecided) return { extra: decided, exposures: shown.filter((x) => !profile.exposures[x.experiment]) };
      const key = segment?.key ?? null;
      const first = decideSlots(config, key, input.slots, input.visitorId, profile);
      shown = first.exposures;
      decided = {
        segment: segment ? { key: segment.key, name: segment.name } : null,
        slots: first.slots,
        // `profile` is the object the pipeline stores: once this batch is written it holds the
        // arms entered here, so a later slot of the same experiment is not counted twice.
        more: (slots) => decideSlots(config, key, slots, input.visitorId, profile),
      };
      opts.onDecided?.(decided);
      return { extra: decided, exposures: first.exposures };
    },
  });
}

/** Where a queued decide sends its writes. */
export type { WritesProducer } from './writes/message';

/**
 * Decides `input.slots` after one read and hands the page's writes to the writes queue instead
 * of waiting for D1 (services/writes/consumer.ts applies them). The answer is the one
 * `decideVisitor` gives: the page's events are applied to the profile in memory first. If the
 * queue refuses the message (or it is too large for one), the write is made inline, as before:
 * slower, never lost.
 * @example
 *   const out = await decideQueued(ctx, { visitorId, slots: ['hero'], events }, env.WRITES_QUEUE);
 */
export async function decideQueued(
  ctx: PipelineContext,
  input: DecideInput,
  queue: WritesProducer,
  tok: TokenInput = { secret: null },
  /** Rewrite mode's read started beside the origin fetch, and its hook before anything is stored. */
  opts: DecideOptions = {},
): Promise<Outcome<Decided> & { token?: string; source: ProfileSource }> {
  let entered: ExposureRow[] = [];
  const start = await startingState(ctx, input, tok, opts);
  // Events the starting profile already counts (a page resending what the token holds).
  const events = start.pending.size ? input.events.filter((e) => !start.pending.has(eventKey(e.id))) : input.events;
  const out = await updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, events, {
    write: false,
    firstRead: Promise.resolve(start.state),
    config: start.config,
    step: ({ config, state, profile, segment }) => {
      const key = segment?.key ?? null;
      const first = decideSlots(config, key, input.slots, input.visitorId, profile);
      entered = first.exposures;
      const decided: Decided = {
        segment: segment ? { key: segment.key, name: segment.name } : null,
        slots: first.slots,
        more: (slots) => decideSlots(config, key, slots, input.visitorId, profile),
      };
      // An erased subject is refused below: its page must not show the decision either.
      if (!state.erased) opts.onDecided?.(decided);
      return { extra: decided, exposures: first.exposures };
    },
  });
  if (out.state.erased) throw new ErasedError('subject was erased');
  const fresh = events.filter((e) => !out.state.seenEventIds.has(e.id));
  // The next page's token: this answer's profile, from the same read (or the token's read).
  let token: string | undefined;
  if (tok.secret) {
    const applied = new Set([...start.pending, ...fresh.map((e) => eventKey(e.id))]);
    const claims = tokenClaims({
      visitorId: input.visitorId,
      config: out.config,
      profile: out.profile,
      traits: out.state.traits,
      now: ctx.now,
      readAt: start.readAt,
      applied,
      last: fresh[0]?.id ?? start.last,
    });
    token = (claims && (await signProfileToken(tok.secret, claims))) ?? undefined;
  }
  opts.onToken?.(token);
  const done = { ...out, token, source: start.source };
  if (!fresh.length && !entered.length) return done;
  const msg = writeMessage(input.visitorId, fresh, entered, ctx.now);
  if (msg) {
    queued(1);
    try {
      await queue.send(msg, { contentType: 'json' });
      return done;
    } catch (err) {
      settled(1);
      // Refused (the rate limit): the caller answers it; nothing is written.
      if (err instanceof ApiError) throw err;
      console.error(`writes: queue send failed, writing inline: ${String((err as Error)?.message ?? err)}`);
    }
  }
  const shown = entered;
  await updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, fresh, {
    write: true,
    step: ({ profile }) => ({ extra: undefined, exposures: shown.filter((x) => !profile.exposures[x.experiment]) }),
  });
  return done;
}

interface StartingState {
  state: ProfileState;
  /** Given when no read was made: the isolate's trusted configuration. */
  config?: Outcome<unknown>['config'];
  /** When the profile's basis was read from storage. */
  readAt: number;
  /** Keys (`eventKey`) of events the profile counts that storage may not hold yet (the writes queue's lag). */
  pending: Set<string>;
  /** An event id of the last page queued before, carried on while storage may lack it. */
  last?: string;
  source: ProfileSource;
}

/** A state made without a read: a token's profile, or a worker-made visitor id's empty one. */
function unreadState(visitorId: string, configVersion: string, profile: ProfileState['profile'], traits: ProfileState['traits']) {
  return {
    target: 'visitors',
    targetId: visitorId,
    exists: true,
    erased: false,
    visitorExists: true,
    memberId: null,
    traits,
    profile,
    version: null,
    configVersion,
    seenEventIds: new Set<string>(),
  } as ProfileState;
}

/**
 * The profile a queued decide starts from, with as few reads as it can: none for a worker-made
 * visitor id or a fresh valid token (with a configuration this isolate saw within
 * CONFIG_TRUST_MS), else one read — into which a valid token's profile is merged when storage
 * has not applied the token's events yet (read your writes across the queue's lag).
 */
async function startingState(
  ctx: PipelineContext,
  input: DecideInput,
  tok: TokenInput,
  { firstRead, read = (visitorId, ids) => readVisitorState(ctx, visitorId, ids) }: Pick<DecideOptions, 'firstRead' | 'read'>,
): Promise<StartingState> {
  const trusted = trustedConfig(ctx.now);
  const refresh = () => {
    if (!trusted || trusted.age <= CONFIG_REFRESH_MS || !tok.background) return;
    const check = recheckConfig(ctx);
    if (check) tok.background(check);
  };
  if (input.minted && trusted) {
    refresh();
    const state = unreadState(input.visitorId, trusted.config.version, emptyProfile(), {});
    state.exists = false;
    state.visitorExists = false;
    return { state, config: trusted.config, readAt: ctx.now, pending: new Set(), source: 'new' };
  }
  const claims: TokenClaims | null = tok.secret && tok.token ? await readProfileToken(tok.secret, tok.token) : null;
  if (claims && trusted && !tokenProblem(claims, { visitorId: input.visitorId, config: trusted.config, now: ctx.now })) {
    refresh();
    const { profile, traits } = profileFromClaims(claims, trusted.config, ctx.now);
    return {
      state: unreadState(input.visitorId, trusted.config.version, profile, traits),
      config: trusted.config,
      readAt: claims.t,
      pending: eventKeys(claims),
      last: claims.l,
      source: 'token',
    };
  }
  // One read. A token of this visitor whose last page storage does not hold yet still counts it:
  // a page's writes are applied in one batch, so that one id tells whether they all are.
  const last = claims?.v === input.visitorId && typeof claims.l === 'string' ? claims.l : null;
  const ids = [...new Set([...input.events.map((e) => e.id), ...(last ? [last] : [])])];
  // A read the caller started early covers the page's events (not a token's last page).
  const state = await (firstRead && !last ? firstRead : read(input.visitorId, ids));
  if (claims && last && !state.seenEventIds.has(last) && !state.erased) {
    // The read gave the stamp; the configuration of that version, cached or loaded (an isolate
    // whose cache an edit just dropped must still merge the token, or the queued page is lost
    // for this answer). The token fits it when built with that version or one of the same
    // profile shape (an edit of content, names or alerts since).
    const config = trusted?.config.version === state.configVersion ? trusted.config : await getConfig(ctx, state.configVersion);
    if (config.version === state.configVersion && tokenFits(claims, config) && claims.d === config.calendar.dayOf(ctx.now)) {
      // The token's counts include what storage lacks; traits and erasure come from the read.
      state.profile = profileFromClaims(claims, config, ctx.now).profile;
      return { state, config, readAt: ctx.now, pending: eventKeys(claims), last, source: 'read+token' };
    }
  }
  return { state, readAt: ctx.now, pending: new Set(), source: 'read' };
}

/**
 * `/v1/decide`'s answer: the decision within `DECIDE_DEADLINE_MS`, or every slot null with
 * `degraded: true` when storage is slow or failing (visitors never see an error).
 * @example
 *   return c.json(await decideAnswer(ctx, { visitorId, slots, events }), 200);
 */
export async function decideAnswer(
  ctx: PipelineContext,
  input: DecideInput,
  deadlineMs = DECIDE_DEADLINE_MS,
  /** The writes queue: given, the answer waits for one read only (`decideQueued`). */
  queue?: WritesProducer,
  tok?: TokenInput,
  /** How the queued decide reads when it must (the route's reads together). */
  opts: Pick<DecideOptions, 'read'> = {},
): Promise<DecideResponse & { source?: ProfileSource }> {
  const defaults = (): DecideResponse => ({
    visitorId: input.visitorId,
    segment: null,
    slots: Object.fromEntries(input.slots.map((s) => [s, null])),
  });
  try {
    if (queue) {
      const out = await withDeadline(decideQueued(ctx, input, queue, tok, opts), deadlineMs);
      const body: DecideResponse & { source?: ProfileSource } = {
        visitorId: input.visitorId,
        segment: out.extra.segment,
        slots: out.extra.slots,
      };
      if (out.token) body.token = out.token;
      body.source = out.source;
      return body;
    }
    const out = await withDeadline(decideVisitor(ctx, input), deadlineMs);
    return { visitorId: input.visitorId, segment: out.extra.segment, slots: out.extra.slots };
  } catch (err) {
    // Refused (the rate limit gates storage): the caller's 429, not a degraded decide.
    if (err instanceof ApiError) throw err;
    // Erased moments ago: the page keeps its default content and nothing is kept to resend.
    if (err instanceof ErasedError) return defaults();
    console.error('decide degraded', err);
    return { ...defaults(), degraded: true };
  }
}
