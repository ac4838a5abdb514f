/**
 * @module
 * Experiments on a (slot, segment): CRUD, `POST /:id/status` (start / pause / stop) and a basic
 * `GET /:id/summary` (exposed visitors and conversions per arm). The full statistics live at
 * `GET /:id/results` (docs/api.md#experiment-results), built elsewhere.
 *
 * Arms are checked against the configuration: unique keys, weights adding up to more than 0,
 * `control` keeps the page's default content, every other arm shows an existing variant of the
 * same slot and segment, and at most one experiment runs per (slot, segment).
 */
import { eq } from 'drizzle-orm';
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { schema } from '../../db/client';
import { notFound } from '../../errors';
import type { Experiment, SiteConfig } from '../../schema/config';
import { loadSiteConfig } from '../../services/config-store';
import { commitConfig } from '../../services/admin/commit';
import { ExperimentCreate, ExperimentStatusChange, ExperimentUpdate } from './inputs';
import { conflict, fieldError, zjson } from './validate';

export const CONTROL_ARM = 'control';

type Plan = Pick<Experiment, 'slot' | 'segment' | 'arms'>;

/** The checks zod cannot make alone; throws a 400 pointing at the offending field. */
function checkAgainstConfig(config: SiteConfig, e: Plan): void {
  if (!config.slots.some((s) => s.key === e.slot)) throw fieldError(['slot'], `Slot "${e.slot}" does not exist`, 400, { reason: 'unknown', entity: 'slot' });
  if (!config.segments.some((s) => s.key === e.segment)) throw fieldError(['segment'], `Segment "${e.segment}" does not exist`, 400, { reason: 'unknown', entity: 'segment' });
  e.arms.forEach((arm, i) => {
    if (arm.key === CONTROL_ARM) {
      if (arm.variant !== null) throw fieldError(['arms', i, 'variant'], 'The control arm shows the page’s default content: leave its variant empty', 400, { reason: 'control_has_variant' });
      return;
    }
    if (!arm.variant) throw fieldError(['arms', i, 'variant'], 'Choose the variant this arm shows', 400, { reason: 'required' });
    const v = config.variants.find((x) => x.id === arm.variant);
    if (!v) throw fieldError(['arms', i, 'variant'], `Variant "${arm.variant}" does not exist`, 400, { reason: 'unknown', entity: 'variant' });
    if (v.slot !== e.slot || v.segment !== e.segment) {
      throw fieldError(['arms', i, 'variant'], `Variant "${v.id}" is for ${v.slot} × ${v.segment}, not ${e.slot} × ${e.segment}`, 400, { reason: 'variant_mismatch' });
    }
  });
}

function checkSingleRunning(config: SiteConfig, e: Experiment): void {
  const other = config.experiments.find((x) => x.id !== e.id && x.status === 'running' && x.slot === e.slot && x.segment === e.segment);
  if (other) throw conflict(`Experiment "${other.id}" is already running on ${e.slot} × ${e.segment}; pause or stop it first`, 'already_running', { experiment: other.id, name: other.name });
}

const randomSuffix = () => crypto.randomUUID().replace(/-/g, '').slice(0, 6);

const allowed: Record<Experiment['status'], Experiment['status'][]> = {
  draft: ['running', 'stopped'],
  running: ['paused', 'stopped'],
  paused: ['running', 'stopped'],
  stopped: [],
};

export const experimentRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ experiments: (await loadSiteConfig(c.var.db)).experiments }, 200))
  .post('/', zjson(ExperimentCreate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    const config = await loadSiteConfig(db);
    const id = body.id ?? `exp_${body.slot}_${body.segment}_${randomSuffix()}`.slice(0, 64);
    if (config.experiments.some((e) => e.id === id)) throw fieldError(['id'], `An experiment with id "${id}" already exists`, 409, { reason: 'duplicate' });
    const experiment: Experiment = { ...body, id, status: 'draft', startedAt: null, stoppedAt: null };
    checkAgainstConfig(config, experiment);
    await commitConfig(db, [db.insert(schema.experiments).values({ ...experiment, createdAt: Date.now() })]);
    return c.json(experiment, 201);
  })
  .get('/:id', async (c) => {
    const experiment = (await loadSiteConfig(c.var.db)).experiments.find((e) => e.id === c.req.param('id'));
    if (!experiment) throw notFound('Experiment');
    return c.json(experiment, 200);
  })
  .put('/:id', zjson(ExperimentUpdate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.db;
    const config = await loadSiteConfig(db);
    const current = config.experiments.find((e) => e.id === c.req.param('id'));
    if (!current) throw notFound('Experiment');
    if (current.status === 'running' || current.status === 'stopped') {
      throw conflict(`A ${current.status} experiment cannot be edited; pause it first`, 'not_editable', { status: current.status });
    }
    const experiment: Experiment = { ...current, ...body };
    checkAgainstConfig(config, experiment);
    await commitConfig(db, [
      db.update(schema.experiments).set({ name: experiment.name, goal: experiment.goal, arms: experiment.arms }).where(eq(schema.experiments.id, experiment.id)),
    ]);
    return c.json(experiment, 200);
  })
  .post('/:id/status', zjson(ExperimentStatusChange), async (c) => {
    const { status } = c.req.valid('json');
    const db = c.var.db;
    const config = await loadSiteConfig(db);
    const current = config.experiments.find((e) => e.id === c.req.param('id'));
    if (!current) throw notFound('Experiment');
    if (current.status === status) return c.json(current, 200);
    if (!allowed[current.status].includes(status)) {
      throw fieldError(['status'], `A ${current.status} experiment cannot become ${status}`, 409, { reason: 'transition', from: current.status, to: status });
    }
    const now = new Date().toISOString();
    const experiment: Experiment = {
      ...current,
      status,
      startedAt: status === 'running' ? (current.startedAt ?? now) : current.startedAt,
      stoppedAt: status === 'stopped' ? now : current.stoppedAt,
    };
    if (status === 'running') {
      checkAgainstConfig(config, experiment);
      checkSingleRunning(config, experiment);
    }
    await commitConfig(db, [
      db
        .update(schema.experiments)
        .set({ status: experiment.status, startedAt: experiment.startedAt, stoppedAt: experiment.stoppedAt })
        .where(eq(schema.experiments.id, experiment.id)),
    ]);
    return c.json(experiment, 200);
  })
  .get('/:id/summary', async (c) => {
    const experiment = (await loadSiteConfig(c.var.db)).experiments.find((e) => e.id === c.req.param('id'));
    if (!experiment) throw notFound('Experiment');
    const [exposed, converted] = await c.var.d1.batch<{ arm: string; n: number }>([
      c.var.d1.prepare('SELECT arm, COUNT(DISTINCT visitor_id) AS n FROM exposures WHERE experiment_id = ?1 GROUP BY arm').bind(experiment.id),
      c.var.d1.prepare('SELECT arm, COUNT(DISTINCT visitor_id) AS n FROM conversions WHERE experiment_id = ?1 GROUP BY arm').bind(experiment.id),
    ]);
    const countOf = (rows: { arm: string; n: number }[] | undefined, arm: string) => rows?.find((r) => r.arm === arm)?.n ?? 0;
    const arms = experiment.arms.map((arm) => {
      const visitors = countOf(exposed?.results, arm.key);
      const conversions = countOf(converted?.results, arm.key);
      return { key: arm.key, variant: arm.variant, weight: arm.weight, isControl: arm.key === CONTROL_ARM, visitors, conversions, cvr: visitors ? conversions / visitors : null };
    });
    return c.json({ experiment, arms }, 200);
  })
  .delete('/:id', async (c) => {
    const db = c.var.db;
    const experiment = (await loadSiteConfig(db)).experiments.find((e) => e.id === c.req.param('id'));
    if (!experiment) throw notFound('Experiment');
    if (experiment.status === 'running') throw conflict('A running experiment cannot be deleted; stop it first', 'not_deletable', { status: 'running' });
    await commitConfig(db, [
      db.delete(schema.exposures).where(eq(schema.exposures.experimentId, experiment.id)),
      db.delete(schema.conversions).where(eq(schema.conversions.experimentId, experiment.id)),
      db.delete(schema.experiments).where(eq(schema.experiments.id, experiment.id)),
    ]);
    return c.body(null, 204);
  });
