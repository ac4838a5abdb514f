/**
 * CPU time of what issue "segments that see change" adds, in Node (bundled by bench/change.mjs):
 * the pure decision at 50 segments with and without a trend condition in each (UTC and
 * Asia/Tokyo), for a returning visitor with 60 days of history; and training a propensity model
 * on 100 000 members (features, Newton fit, holdout AUC and top-decile lift).
 */
import { compileConfig } from '../worker/core/compile';
import { decideSlots } from '../worker/core/decide';
import { applyEvents, emptyProfile } from '../worker/core/profile';
import { chooseFeatures, featureVector } from '../worker/core/propensity/features';
import { fitLogistic, logOdds, sigmoid } from '../worker/core/propensity/logistic';
import { auc, topDecileLift } from '../worker/core/propensity/metrics';
import { resolveSegment } from '../worker/core/segments';
import type { NormalizedEvent, Profile } from '../worker/core/types';
import { siteCalendar } from '../worker/core/zone';
import type { SiteConfig } from '../worker/schema/config';

const DAY = 86_400_000;

function history(now: number, segments: number): NormalizedEvent[] {
  const events: NormalizedEvent[] = [];
  for (let d = 60; d >= 1; d--) {
    for (let k = 0; k < 2; k++)
      events.push({
        id: `h${d}-${k}`,
        type: 'page_view',
        at: now - d * DAY + k * 60_000,
        props: { category: `c${(d * 7 + k) % segments}` },
      });
    if (d % 5 === 0) events.push({ id: `l${d}`, type: 'login', at: now - d * DAY + 3_600_000, props: {} });
  }
  return events;
}

/** p50/p99 µs of apply one page view → resolve the segment → decide slots, on a profile with history. */
export function timeDecisions(config: SiteConfig, slots: string[], iterations: number): { p50: number; p99: number } {
  const compiled = compileConfig(config);
  const now = Date.now();
  const opts = { now, retentionDays: compiled.retentionDays, countedKeys: compiled.countedKeys, calendar: compiled.calendar };
  const start: Profile = applyEvents(emptyProfile(), history(now, config.segments.length), compiled.source.scoring, {
    ...opts,
    now: now - 1,
  }).profile;
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = performance.now();
    const { profile } = applyEvents(
      start,
      [{ id: `e${i}`, type: 'page_view', at: now, props: { category: `c${i % 50}` } }],
      compiled.source.scoring,
      opts,
    );
    const traits: Record<string, string | number> = i % 3 ? { industry: 'SaaS', employees: 120 } : {};
    const segment = resolveSegment(compiled.segments, { traits, profile, now, settings: compiled.source.scoring.settings });
    decideSlots(compiled, segment?.key ?? null, slots, `visitor-${i}-xxxxxxxxxxxx`, profile);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(iterations / 2)]! * 1000, p99: times[Math.floor(iterations * 0.99)]! * 1000 };
}

/** Seconds for each step of training on `members` synthetic members (holdout of the same size). */
export function timeTraining(members: number): { features: number; fit: number; evaluate: number; total: number; d: number; auc: number } {
  const calendar = siteCalendar('Asia/Tokyo');
  const now = Date.now();
  const scoring = { rules: [], settings: { decayPerDay: 1, hotAt: 80, warmAt: 30 } };
  // A few hundred distinct profiles stand in for 100 000 (the cost is per member, not per profile shape).
  const shapes = Array.from({ length: 300 }, (_, s) => {
    const events: NormalizedEvent[] = [];
    for (let k = 0; k < (s % 40) + 1; k++) {
      const type = (['page_view', 'download', 'login', 'email_open'] as const)[k % 4]!;
      events.push({
        id: `s${s}-${k}`,
        type,
        at: now - ((k * 7 + s) % 60) * DAY,
        props: type === 'page_view' ? { category: k % 3 ? 'blog' : 'pricing' } : {},
      });
    }
    return applyEvents(emptyProfile(), events, scoring, { now, retentionDays: 90, calendar }).profile;
  });
  const traitRows = Array.from({ length: 1000 }, (_, i) => ({
    industry: ['IT', 'SaaS', 'Retail', 'Manufacturing'][i % 4]!,
    employees: 10 + (i % 500),
    level: ['staff', 'manager', 'executive'][i % 3]!,
  }));
  const features = chooseFeatures(
    ['page_view', 'page_view.category=pricing', 'page_view.category=blog', 'download', 'login', 'email_open', 'form_inquiry'],
    traitRows,
    true,
  );
  let rand = 12345;
  const next = () => (rand = (Math.imul(rand, 1103515245) + 12345) >>> 0) / 4294967296;
  const t0 = performance.now();
  const build = () => {
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < members; i++) {
      const x = featureVector(features, {
        profile: shapes[i % shapes.length]!,
        traits: traitRows[i % traitRows.length]!,
        now,
        calendar,
        fit: i % 30,
      });
      rows.push(x);
      labels.push(next() < sigmoid(-3 + 0.8 * x[2]! + 0.5 * x[0]!) ? 1 : 0);
    }
    return { rows, labels };
  };
  const train = build();
  const holdout = build();
  const t1 = performance.now();
  const fit = fitLogistic(train.rows, train.labels, { l2: 1 });
  const t2 = performance.now();
  const scores = holdout.rows.map((x) => logOdds(fit, x));
  const a = auc(scores, holdout.labels);
  topDecileLift(scores, holdout.labels);
  const t3 = performance.now();
  return {
    features: (t1 - t0) / 1000,
    fit: (t2 - t1) / 1000,
    evaluate: (t3 - t2) / 1000,
    total: (t3 - t0) / 1000,
    d: features.length,
    auc: a?.auc ?? NaN,
  };
}
