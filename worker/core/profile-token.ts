/**
 * @module
 * The profile token's contents (docs/storage.md#read-your-writes): a compact copy of what the
 * next decide needs from a visitor's profile, so a returning visitor's decide answers with no
 * storage read and still counts the pages whose writes are still in the writes queue.
 *
 * It holds only what the configuration it was built from reads — the score and its times, for
 * each counter a segment (or a model it uses) reads the count over each window it reads (not the
 * day buckets), lifetime totals read as such, today's daily-cap ledger, the arms of running
 * experiments and the traits the rules test — so its size follows the configuration, not the
 * visitor's history. The counts are exact for the site day it was built on, which is why a token
 * is only used on that day, and with a configuration that reads profiles as the one it was built
 * with did (the same version, or the same profile shape: worker/core/profile-shape.ts). Signing lives in
 * worker/lib/profile-token.ts; nothing here does I/O.
 */
import type { CompiledConfig } from './compile';
import { countWithin } from './counters';
import { hash53 } from './hash53';
import { emptyProfile } from './profile';
import { profileShape, tokenFits } from './profile-shape';
import { tokenReads } from './token-reads';
import type { Millis, Profile, Traits } from './types';

export { tokenReads, type TokenReads } from './token-reads';

/**
 * A token whose profile was read from storage longer ago than this is not used for a decide
 * without a read: erasure and trait changes reach decides within it. Tokens issued from a token
 * keep the time of the read they descend from, so a chain of pages cannot outlive it.
 */
export const TOKEN_MAX_AGE_MS = 60_000;
/** Events applied since the read a token carries at most (past it, none is issued: the next decide reads). */
export const TOKEN_MAX_EVENTS = 32;
/** Length of an event's key in a token. */
const KEY_CHARS = 8;

/**
 * A short key for an event id (8 base-36 characters, about 41 bits of a 53-bit hash): enough to
 * tell the few events of one minute apart, at an eighth of an id's size. A collision could only
 * leave a page's event out of one answer; storage dedupes by the full id.
 * @example eventKey('pv-1b9d6bcd') // "k3f0x9aq"
 */
export function eventKey(id: string): string {
  return hash53(id).toString(36).padStart(KEY_CHARS, '0').slice(-KEY_CHARS);
}

/** The event keys a token's `e` holds. */
export function eventKeys(claims: Pick<TokenClaims, 'e'>): Set<string> {
  const keys = new Set<string>();
  const e = typeof claims.e === 'string' ? claims.e : '';
  for (let i = 0; i + KEY_CHARS <= e.length; i += KEY_CHARS) keys.add(e.slice(i, i + KEY_CHARS));
  return keys;
}
/** The largest token the worker hands out; a larger one is not issued (the next decide reads). */
export const TOKEN_MAX_BYTES = 1024;

/**
 * The signed claims (short names: they travel on every page view).
 * `w` holds, per counter key, the counts within each of `TokenReads.windows`' windows, in order.
 */
export interface TokenClaims {
  /** Visitor id the token was issued to. */
  v: string;
  /** Configuration version it was built with. */
  c: string;
  /** That configuration's profile shape (`profileShape`): another version of the same shape reads the token alike. */
  f?: string;
  /** Site day it was built on. */
  d: number;
  /** When the profile it descends from was read from storage (ms). */
  t: Millis;
  /** Keys (`eventKey`) of the events applied since that read, concatenated: a page resending one does not count it twice. */
  e?: string;
  /** One event id of the last page whose writes were queued: storage holding it holds that page. */
  l?: string;
  s: number;
  a: Millis | null;
  b: Millis | null;
  p: Millis | null;
  w?: Record<string, number[]>;
  o?: Record<string, number>;
  /** Today's daily-cap ledger: scoring rule id → points. */
  k?: Record<string, number>;
  /** Running experiment id → arm. */
  x?: Record<string, string>;
  r?: Traits;
}

/**
 * The claims for `profile` as `config` reads it at `now`.
 * @example const claims = tokenClaims({ visitorId, config, profile, traits, now });
 */
export function tokenClaims(input: {
  visitorId: string;
  config: CompiledConfig;
  profile: Profile;
  traits: Traits;
  now: Millis;
  /** When the profile's basis was read from storage. */
  readAt: Millis;
  /** Keys of the events applied since then. */
  applied: Set<string>;
  /** An event id of the last page whose writes were queued. */
  last?: string;
}): TokenClaims | null {
  const { config, profile, now } = input;
  if (input.applied.size > TOKEN_MAX_EVENTS) return null;
  const reads = tokenReads(config);
  const calendar = config.calendar;
  const today = calendar.dayOf(now);
  const claims: TokenClaims = {
    v: input.visitorId,
    c: config.version,
    f: profileShape(config),
    d: today,
    t: input.readAt,
    s: profile.score,
    a: profile.lastActiveAt,
    b: profile.visitStartedAt,
    p: profile.prevActiveAt,
  };
  const w: Record<string, number[]> = {};
  for (const [key, days] of reads.windows) {
    const counts = days.map((n) => countWithin(profile, key, n, now, calendar));
    if (counts.some((n) => n > 0)) w[key] = counts;
  }
  const o: Record<string, number> = {};
  for (const key of reads.totals) if (profile.totals[key]) o[key] = profile.totals[key];
  // The ledger is keyed in the profile's zone; a profile in another zone is re-keyed by the
  // next write, so its ledger is left out (capped rules then add nothing for today: never more).
  const sameZone = (profile.zone ?? 'UTC') === calendar.timeZone;
  const k = sameZone ? profile.caps[String(today)] : undefined;
  const x: Record<string, string> = {};
  for (const [id, e] of Object.entries(profile.exposures)) {
    if (config.experimentsById.get(id)?.status === 'running') x[id] = e.arm;
  }
  const r: Traits = {};
  for (const t of reads.traits) if (Object.hasOwn(input.traits, t)) r[t] = input.traits[t]!;
  if (input.applied.size) claims.e = [...input.applied].join('');
  if (input.last) claims.l = input.last;
  if (Object.keys(w).length) claims.w = w;
  if (Object.keys(o).length) claims.o = o;
  if (k && Object.keys(k).length) claims.k = { ...k };
  if (Object.keys(x).length) claims.x = x;
  if (Object.keys(r).length) claims.r = r;
  return claims;
}

/** Why a token's claims cannot stand in for a read now, or null when they can. */
export function tokenProblem(
  claims: TokenClaims,
  at: { visitorId: string; config: CompiledConfig; now: Millis },
): 'foreign' | 'expired' | 'config' | 'day' | null {
  if (claims.v !== at.visitorId) return 'foreign';
  if (!(at.now - claims.t <= TOKEN_MAX_AGE_MS && claims.t <= at.now + 5_000)) return 'expired';
  if (!tokenFits(claims, at.config)) return 'config';
  if (claims.d !== at.config.calendar.dayOf(at.now)) return 'day';
  return null;
}

/**
 * A profile that `config` reads exactly as it read the one the claims were built from (same
 * site day): each window's count is placed as buckets at the windows' edges, so every window
 * counts what it counted, and new events add to it as to the real profile.
 * @example const { profile, traits } = profileFromClaims(claims, config, now);
 */
export function profileFromClaims(claims: TokenClaims, config: CompiledConfig, now: Millis): { profile: Profile; traits: Traits } {
  const reads = tokenReads(config);
  const calendar = config.calendar;
  const today = calendar.dayOf(now);
  const profile = emptyProfile();
  profile.score = num(claims.s);
  profile.lastActiveAt = claims.a ?? null;
  profile.visitStartedAt = claims.b ?? null;
  profile.prevActiveAt = claims.p ?? null;
  if (calendar.timeZone !== 'UTC') profile.zone = calendar.timeZone;
  const days: Profile['days'] = {};
  const add = (day: number, key: string, n: number) => {
    if (n <= 0) return;
    const bucket = (days[String(day)] ??= {});
    bucket[key] = (bucket[key] ?? 0) + n;
  };
  for (const [key, counts] of Object.entries(claims.w ?? {})) {
    const windows = reads.windows.get(key);
    if (!windows || !Array.isArray(counts)) continue;
    // Window i counts days after today − N_i: what only window i+1 sees sits on day today − N_i.
    let before = 0;
    windows.forEach((_, i) => {
      const count = num(counts[i]);
      add(i === 0 ? today : today - windows[i - 1]!, key, count - before);
      before = Math.max(before, count);
    });
  }
  profile.days = days;
  for (const [key, n] of Object.entries(claims.o ?? {})) profile.totals[key] = num(n);
  // Earlier days' ledgers are not carried: capped rules add nothing for events dated before today.
  profile.capsFrom = today;
  if (claims.k) profile.caps[String(today)] = { ...claims.k };
  for (const [id, arm] of Object.entries(claims.x ?? {})) profile.exposures[id] = { arm, at: claims.t, vid: claims.v };
  return { profile, traits: { ...(claims.r ?? {}) } };
}
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
