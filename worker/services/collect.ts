/**
 * @module
 * `POST /v1/collect` for a browser: store the events in D1 at once (one read, one batch), and —
 * when the snippet sent a valid profile token — answer the next one (docs/storage.md, "A collect
 * between two pages"): while the token's last page is still in the writes queue, the token's
 * profile with these events on top; once D1 holds it, the profile this collect wrote.
 *
 * Without it the next decide would read D1, which holds this collect but not the queued page
 * (the hot-lead hero one page late after "pricing, then download"). The new token is built from
 * the old token's profile, never from D1's: D1 only ever gets the events themselves, through the
 * same pipeline as always, so a token still cannot raise a stored score or change a trait.
 */
import { tokenFits } from '../core/profile-shape';
import { eventKey, eventKeys, profileFromClaims, tokenClaims, type TokenClaims } from '../core/profile-token';
import type { NormalizedEvent } from '../core/types';
import { readProfileToken, signProfileToken } from '../lib/profile-token';
import { readVisitorState, type ProfileState } from './profile-store';
import { updateProfile, type Outcome, type PipelineContext } from './pipeline';

export interface CollectInput {
  visitorId: string;
  /** Validated events. */
  events: NormalizedEvent[];
  /** `PROFILE_SECRET` (null: no token is read or issued) and the token the snippet sent. */
  secret: string | null;
  token?: string;
}

/**
 * Stores a browser's events; `token` is the next decide's profile token when the request carried
 * a valid one of this visitor: built on that token while its page is still queued, else on what
 * this collect read and wrote (D1 then holds everything). Undefined otherwise: the next decide reads.
 * @example
 *   const out = await collectVisitor(ctx, { visitorId, events, secret, token: body.token });
 *   out.accepted; out.token // string | undefined
 */
export async function collectVisitor(ctx: PipelineContext, input: CollectInput): Promise<Outcome<undefined> & { token?: string }> {
  const claims = input.secret && input.token ? await readProfileToken(input.secret, input.token) : null;
  // The token's last queued page: asked of the same read, which already looks up event ids.
  const last = claims?.v === input.visitorId && typeof claims.l === 'string' ? claims.l : null;
  const ids = [...new Set([...input.events.map((e) => e.id), ...(last ? [last] : [])])];
  const read = await readVisitorState(ctx, input.visitorId, ids);
  const out = await updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, input.events, {
    write: true,
    firstRead: Promise.resolve(read),
  });
  if (!claims || claims.v !== input.visitorId || out.state.erased) return out;
  const { config } = out;
  if (!last || read.seenEventIds.has(last)) {
    // D1 holds the token's page: the profile this collect wrote is the whole story, as fresh as a
    // decide's read (traits and erasure included), so the next decide can start from it unread.
    const next = tokenClaims({
      visitorId: input.visitorId,
      config,
      profile: out.profile,
      traits: out.state.traits,
      now: ctx.now,
      readAt: ctx.now,
      applied: new Set(input.events.filter((e) => !out.state.seenEventIds.has(e.id)).map((e) => eventKey(e.id))),
    });
    return withToken(out, input.secret!, next);
  }
  // A configuration that reads the token as the one it was built with (the same version, or the
  // same profile shape) and the same site day, or its counts cannot be placed (as a decide).
  if (!tokenFits(claims, config) || claims.d !== config.calendar.dayOf(ctx.now)) return out;
  const pending = eventKeys(claims);
  // Events D1 held before this collect are counted by the token already: the read that started
  // its chain saw them, or a decide or collect of the chain put them in it.
  const fresh = input.events.filter((e) => !read.seenEventIds.has(e.id) && !pending.has(eventKey(e.id)));
  const start: ProfileState = {
    ...read,
    profile: profileFromClaims(claims, config, ctx.now).profile,
    seenEventIds: new Set(),
  };
  const merged = await updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, fresh, {
    write: false,
    firstRead: Promise.resolve(start),
    config,
  });
  const next = tokenClaims({
    visitorId: input.visitorId,
    config,
    profile: merged.profile,
    // Traits come from this read, as a decide's read+token takes them.
    traits: out.state.traits,
    now: ctx.now,
    // The chain's read time and last queued page stay: the token lives no longer than it would
    // have, and the next decide still asks D1 for that page once the token is past 60 s.
    readAt: claims.t,
    applied: new Set([...pending, ...fresh.map((e) => eventKey(e.id))]),
    last,
  });
  return withToken(out, input.secret!, next);
}

/** The collect's outcome with the next token signed, or as it is when no token could be built. */
async function withToken<T extends object>(out: T, secret: string, claims: TokenClaims | null): Promise<T & { token?: string }> {
  const token = claims ? await signProfileToken(secret, claims) : null;
  return token ? { ...out, token } : out;
}
