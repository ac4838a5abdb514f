/**
 * @module
 * A profile's day buckets and cap ledgers are keyed by the site's day numbers, and the profile
 * says which zone they are in (`zone`; absent = UTC, as every profile stored before sites had a
 * zone). When the site's zone differs — a profile written before the zone was set, or the zone
 * changed since — the keys are moved to the new zone's days before anything reads or adds to
 * them. An old day cannot be split (its events' hours are not kept), so:
 *
 * - **counters** move to the new day that holds the middle of the old day. Windows over history
 *   from before the change are then off by at most the difference of the offsets (UTC → Tokyo:
 *   an event at 20:00 UTC counts on its UTC date, though in Tokyo it was the next morning);
 *   everything recorded after the change is exact. For UTC → Asia/Tokyo the keys do not move.
 * - **cap ledgers** are added to *every* new day the old day overlaps, so a day's ledger never
 *   shows less than was earned in it and a late event can never earn more than its day's cap
 *   (it may earn less, once, on the two days around the change).
 * - `capsFrom` becomes the first new day that starts at or after the old one.
 */
import { siteCalendar, UTC_CALENDAR, type SiteCalendar } from './zone';
import { DAY_MS, type Profile } from './types';

const zoneOf = (p: Profile) => p.zone ?? 'UTC';

function calendarOf(name: string): SiteCalendar {
  try {
    return siteCalendar(name);
  } catch {
    // A zone this runtime no longer knows: its days were at most a day off UTC's.
    return UTC_CALENDAR;
  }
}

function add(into: Record<string, Record<string, number>>, day: number, counts: Record<string, number>): void {
  const key = String(day);
  const bucket = Object.hasOwn(into, key) ? into[key]! : {};
  into[key] = bucket;
  for (const [k, n] of Object.entries(counts)) bucket[k] = (Object.hasOwn(bucket, k) ? bucket[k]! : 0) + n;
}

/**
 * Re-keys a profile's days, ledgers and `capsFrom` into `calendar`'s zone, in place (call it on
 * a copy). Does nothing when the profile is already in that zone.
 * @example rezoneInPlace(profileStoredBeforeZones, siteCalendar('Asia/Tokyo')); // profile.zone === 'Asia/Tokyo'
 */
export function rezoneInPlace(p: Profile, calendar: SiteCalendar): void {
  if (zoneOf(p) === calendar.timeZone) return;
  const old = calendarOf(zoneOf(p));
  const days: Profile['days'] = {};
  for (const [day, counts] of Object.entries(p.days)) {
    add(days, calendar.dayOf(old.startOfDay(Number(day)) + DAY_MS / 2), counts);
  }
  const caps: Profile['caps'] = {};
  for (const [day, ledger] of Object.entries(p.caps)) {
    const d = Number(day);
    const first = calendar.dayOf(old.startOfDay(d));
    const last = calendar.dayOf(old.startOfDay(d + 1) - 1);
    for (let n = first; n <= last; n++) add(caps, n, ledger);
  }
  p.days = days;
  p.caps = caps;
  if (p.capsFrom !== null && p.capsFrom !== undefined) p.capsFrom = calendar.dayOf(old.startOfDay(p.capsFrom) - 1) + 1;
  if (calendar.timeZone === 'UTC') delete p.zone;
  else p.zone = calendar.timeZone;
}

const seen = new WeakMap<Profile, Profile>();

/**
 * The profile as seen in `calendar`'s zone, for reads: itself when already there (the usual
 * case, one string comparison), else a re-keyed copy, made once per profile object and zone.
 * @example countWithin(inZone(profile, calendar), 'login', 30, now, calendar)
 */
export function inZone(p: Profile, calendar: SiteCalendar): Profile {
  if (zoneOf(p) === calendar.timeZone) return p;
  const cached = seen.get(p);
  if (cached && zoneOf(cached) === calendar.timeZone) return cached;
  const copy: Profile = { ...p, days: p.days, caps: p.caps };
  rezoneInPlace(copy, calendar);
  seen.set(p, copy);
  return copy;
}
