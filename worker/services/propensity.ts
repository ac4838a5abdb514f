/**
 * @module
 * Training a propensity model in the worker from the history already stored, with a time-split
 * holdout:
 *
 *   train cut-off T₁ = T₂ − N days    features as of T₁, label: the outcome within [T₁, T₂)
 *   holdout cut-off T₂ = today − N    features as of T₂, label: the outcome within [T₂, today)
 *
 * Each member's profile as of a cut-off is rebuilt by replaying its stored events through the
 * hot path's core (`applyEvents`), so the features are exactly what a page view would have
 * read then; traits are today's (their history is not kept). A member counts at a cut-off if it
 * existed then (created, or active, before it). The model is fitted on T₁, judged on T₂ (data it never saw, later in
 * time), stored as data, and read with the configuration so segments can test it.
 */
import type { CompiledConfig } from '../core/compile';
import { applyEvents, emptyProfile } from '../core/profile';
import { chooseFeatures, featureVector, type Feature } from '../core/propensity/features';
import { fitLogistic, logOdds } from '../core/propensity/logistic';
import { auc, topDecileLift, verdict } from '../core/propensity/metrics';
import type { compileModel } from '../core/propensity/model';
import { DAY_MS, type NormalizedEvent, type Profile } from '../core/types';
import { schema, type Db } from '../db/client';
import { parseJsonColumn } from '../lib/json-column';
import type { EventType, Traits } from '../schema/config';
import type { PropensityModel, TrainRequest } from '../schema/propensity';
import { type ActorContext, logChange } from './admin/changes';
import { commitConfig } from './admin/commit';
import { currentConfig } from './config-store';
import type { ServiceContext } from './context';
import { foldedTypes, foldsOf } from './retention/folds';

const CHUNK = 500;

interface MemberRow {
  id: string;
  traits: string | null;
  created_at: number;
}

interface EventRow {
  owner: string;
  type: string;
  at: number;
  props: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Rows and labels as of one cut-off. */
interface Split {
  rows: number[][];
  labels: number[];
}

function profileAt(config: CompiledConfig, start: Profile, events: NormalizedEvent[], now: number, always = false): Profile {
  if (!events.length && !always) return start;
  return applyEvents(start, events, config.source.scoring, {
    now,
    retentionDays: config.retentionDays,
    countedKeys: config.countedKeys,
    calendar: config.calendar,
  }).profile;
}

/**
 * Trains, evaluates and stores a model (replacing one with the same key).
 * @example await trainModel(c.var.svc, {key: 'inquiry', name: '問い合わせ見込み', event: 'form_inquiry', days: 30, l2: 1}, c)
 */
export async function trainModel(
  ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  req: Required<TrainRequest>,
  actor: ActorContext = { var: {} },
): Promise<PropensityModel> {
  const { d1, db, now } = ctx;
  const config = await currentConfig(ctx);
  const cal = config.calendar;
  const end = cal.startOfDay(cal.dayOf(now));
  const t2 = end - req.days * DAY_MS;
  const t1 = t2 - req.days * DAY_MS;

  const { results: members } = await d1.prepare('SELECT id, traits, created_at FROM members ORDER BY id').all<MemberRow>();
  const traitsOf = new Map(members.map((m) => [m.id, parseJsonColumn<Traits>(m.traits, {})]));
  const { results: types } = await d1
    .prepare('SELECT DISTINCT type FROM events WHERE member_id IS NOT NULL AND at < ?1')
    .bind(t2)
    .all<{ type: string }>();
  // Types of events retention deleted count as seen (their folds hold their counters).
  const keys = [...new Set([...types.map((t) => t.type), ...(await foldedTypes(ctx)), ...config.countedKeys])];
  const features: Feature[] = chooseFeatures(keys, [...traitsOf.values()], (config.source.scoring.fit ?? []).length > 0);

  const train: Split = { rows: [], labels: [] };
  const holdout: Split = { rows: [], labels: [] };
  for (let i = 0; i < members.length; i += CHUNK) {
    const chunk = members.slice(i, i + CHUNK);
    const { results } = await d1
      .prepare(
        'SELECT member_id AS owner, type, at, props FROM events WHERE member_id IN (SELECT value FROM json_each(?1)) AND at < ?2 ORDER BY at',
      )
      .bind(JSON.stringify(chunk.map((m) => m.id)), end)
      .all<EventRow>();
    // Members whose oldest events retention deleted replay from their fold (core/retention.ts).
    const folds = await foldsOf(
      ctx,
      chunk.map((m) => m.id),
    );
    const byMember = new Map<string, NormalizedEvent[]>();
    results.forEach((e, n) => {
      const list = byMember.get(e.owner) ?? [];
      list.push({ id: `t${n}`, type: e.type as EventType, at: e.at, props: parseJsonColumn(e.props, {}) });
      byMember.set(e.owner, list);
    });
    for (const m of chunk) {
      const events = byMember.get(m.id) ?? [];
      const traits = traitsOf.get(m.id) ?? {};
      const fit = config.fit.score(traits);
      const before1 = events.filter((e) => e.at < t1);
      const between = events.filter((e) => e.at >= t1 && e.at < t2);
      const after = events.filter((e) => e.at >= t2);
      const fold = folds.get(m.id);
      // A fold is re-applied even with no event after it, so it is pruned as of T₁ as a full replay is.
      const p1 = fold ? profileAt(config, fold, before1, t1, true) : profileAt(config, emptyProfile(), before1, t1);
      const p2 = profileAt(config, p1, between, t2);
      const outcome = (list: NormalizedEvent[]) => (list.some((e) => e.type === req.event) ? 1 : 0);
      // A member counts at a cut-off if it existed then: created before it, or active before it
      // (a CRM import creates long-known members today).
      if (m.created_at < t1 || fold || before1.length > 0) {
        train.rows.push(featureVector(features, { profile: p1, traits, now: t1, calendar: cal, fit }));
        train.labels.push(outcome(between));
      }
      if (m.created_at < t2 || fold || before1.length + between.length > 0) {
        holdout.rows.push(featureVector(features, { profile: p2, traits, now: t2, calendar: cal, fit }));
        holdout.labels.push(outcome(after));
      }
    }
  }

  const fitted = fitLogistic(train.rows, train.labels, { l2: req.l2 });
  const scores = holdout.rows.map((x) => logOdds(fitted, x));
  const aucResult = auc(scores, holdout.labels);
  const lift = topDecileLift(scores, holdout.labels);
  const positives = (labels: number[]) => labels.reduce((s, v) => s + v, 0);
  const model: PropensityModel = {
    key: req.key,
    name: req.name,
    outcome: { event: req.event, days: req.days },
    features,
    coefficients: { intercept: fitted.intercept, weights: fitted.weights, means: fitted.means, sds: fitted.sds },
    l2: req.l2,
    metrics: {
      train: { rows: train.rows.length, positives: positives(train.labels), cutoff: iso(t1) },
      holdout: { rows: holdout.rows.length, positives: positives(holdout.labels), cutoff: iso(t2) },
      auc: aucResult,
      lift,
    },
    verdict: verdict({ trainPositives: positives(train.labels), holdoutPositives: positives(holdout.labels), auc: aucResult }),
    trainedAt: iso(now),
  };
  // Retraining under the same key replaces the model: the log keeps the one it replaced.
  const before = config.models.get(model.key)?.model ?? null;
  await commitConfig(ctx, [modelWrite(db, model)], [logChange(actor, 'model', model.key, before, model)]);
  return model;
}

/**
 * The statement that stores a model (a new one, or over the one with the same key).
 * @example await commitConfig(c.var.svc, [modelWrite(db, model)], [logChange(c, 'model', model.key, null, model)]);
 */
export function modelWrite(db: Db, model: PropensityModel) {
  const trainedAt = Date.parse(model.trainedAt);
  return db
    .insert(schema.propensityModels)
    .values({ key: model.key, model, trainedAt })
    .onConflictDoUpdate({ target: schema.propensityModels.key, set: { model, trainedAt } });
}

export interface ScoredMember {
  memberId: string;
  probability: number;
  factors: ReturnType<ReturnType<typeof compileModel>['factors']>;
}

/**
 * Members ranked by a model's probability now (the configuration as it is now), with the three
 * factors behind each; null when there is no such model.
 * @example (await scoreMembers(c.var.svc, 'inquiry', 20))?.[0] // {memberId, probability: 0.41, factors: [...]}
 */
export async function scoreMembers(
  ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  key: string,
  limit: number,
): Promise<ScoredMember[] | null> {
  const { d1, now } = ctx;
  const config = await currentConfig(ctx);
  const model = config.models.get(key);
  if (!model) return null;
  const best: ScoredMember[] = [];
  let after = '';
  for (;;) {
    const { results } = await d1
      .prepare('SELECT id, traits, profile FROM members WHERE id > ?1 ORDER BY id LIMIT ?2')
      .bind(after, CHUNK)
      .all<{ id: string; traits: string | null; profile: string | null }>();
    for (const r of results) {
      const traits = parseJsonColumn<Traits>(r.traits, {});
      const profile = { ...emptyProfile(), ...parseJsonColumn<Partial<Profile>>(r.profile, {}) };
      const ctx = { profile, traits, now, calendar: config.calendar, fit: config.fit.score(traits) };
      const probability = model.probability(ctx);
      if (best.length < limit || probability > best.at(-1)!.probability) {
        best.push({ memberId: r.id, probability, factors: model.factors(ctx) });
        best.sort((a, b) => b.probability - a.probability || (a.memberId < b.memberId ? -1 : 1));
        if (best.length > limit) best.pop();
      }
    }
    if (results.length < CHUNK) break;
    after = results.at(-1)!.id;
  }
  return best;
}
