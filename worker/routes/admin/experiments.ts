/**
 * @module
 * Experiments on a (slot, segment): CRUD, `POST /:id/status` (start / pause / stop) and
 * `GET /:id/estimate` (days to a conclusion at the current traffic). The rules
 * (transitions, plan checks, one running test per slot × segment) are pure core
 * (worker/core/experiment-rules.ts); per-arm numbers are `GET /:id/results` (routes/admin/results.ts).
 *
 * Arms are checked against the configuration: unique keys, weights adding up to more than 0,
 * `control` keeps the page's default content, every other arm shows an existing variant of the
 * same slot and segment, and at most one experiment runs per (slot, segment).
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { notFound } from '../../errors';
import type { Experiment, SiteConfig } from '../../schema/config';
import { loadSiteConfig } from '../../services/config-store';
import { logChange } from '../../services/admin/changes';
import { commitConfig } from '../../services/admin/commit';
import { experimentWrites } from '../../services/admin/config-writes';
import { estimateFor } from '../../services/admin/experiment-estimate';
import { ExperimentCreate, ExperimentStatusChange, ExperimentUpdate } from './inputs';
import { conflict, fieldError, zjson } from './validate';
import { changeStatus, isEditable, planProblem, runningRival, type ExperimentPlan } from '../../core/experiment-rules';
import { CONTROL_ARM } from '../../core/types';

export { CONTROL_ARM };

/** The plan's problem as the console's coded 400, pointing at the field. */
function checkAgainstConfig(config: SiteConfig, e: ExperimentPlan): void {
  const p = planProblem(config, e);
  if (p) throw fieldError(p.path, p.message, 400, { reason: p.reason, ...p.params });
}

function checkSingleRunning(config: SiteConfig, e: Experiment): void {
  const other = runningRival(config, e);
  if (other)
    throw conflict(`Experiment "${other.id}" is already running on ${e.slot} × ${e.segment}; pause or stop it first`, 'already_running', {
      experiment: other.id,
      name: other.name,
    });
}

const randomSuffix = () => crypto.randomUUID().replace(/-/g, '').slice(0, 6);

export const experimentRoutes = new Hono<App>()
  .get('/', async (c) => c.json({ experiments: (await loadSiteConfig(c.var.svc)).experiments }, 200))
  .post('/', zjson(ExperimentCreate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const config = await loadSiteConfig(c.var.svc);
    const id = body.id ?? `exp_${body.slot}_${body.segment}_${randomSuffix()}`.slice(0, 64);
    if (config.experiments.some((e) => e.id === id))
      throw fieldError(['id'], `An experiment with id "${id}" already exists`, 409, { reason: 'duplicate' });
    const experiment: Experiment = { ...body, id, status: 'draft', startedAt: null, stoppedAt: null };
    checkAgainstConfig(config, experiment);
    await commitConfig(c.var.svc, experimentWrites.insert(db, experiment, Date.now()), [
      logChange(c, 'experiment', experiment.id, null, experiment),
    ]);
    return c.json(experiment, 201);
  })
  .get('/:id', async (c) => {
    const experiment = (await loadSiteConfig(c.var.svc)).experiments.find((e) => e.id === c.req.param('id'));
    if (!experiment) throw notFound('Experiment');
    return c.json(experiment, 200);
  })
  // How long it will take at the current traffic, said before it starts (or resumes).
  .get('/:id/estimate', async (c) => {
    const experiment = (await loadSiteConfig(c.var.svc)).experiments.find((e) => e.id === c.req.param('id'));
    if (!experiment) throw notFound('Experiment');
    return c.json(await estimateFor(c.var.svc, experiment), 200);
  })
  .put('/:id', zjson(ExperimentUpdate), async (c) => {
    const body = c.req.valid('json');
    const db = c.var.svc.db;
    const config = await loadSiteConfig(c.var.svc);
    const current = config.experiments.find((e) => e.id === c.req.param('id'));
    if (!current) throw notFound('Experiment');
    if (!isEditable(current.status)) {
      throw conflict(`A ${current.status} experiment cannot be edited; pause it first`, 'not_editable', { status: current.status });
    }
    const experiment: Experiment = { ...current, ...body };
    checkAgainstConfig(config, experiment);
    await commitConfig(c.var.svc, experimentWrites.define(db, experiment), [
      logChange(c, 'experiment', experiment.id, current, experiment),
    ]);
    return c.json(experiment, 200);
  })
  .post('/:id/status', zjson(ExperimentStatusChange), async (c) => {
    const { status } = c.req.valid('json');
    const db = c.var.svc.db;
    const config = await loadSiteConfig(c.var.svc);
    const current = config.experiments.find((e) => e.id === c.req.param('id'));
    if (!current) throw notFound('Experiment');
    if (current.status === status) return c.json(current, 200);
    const changed = changeStatus(current, status, new Date().toISOString());
    if ('problem' in changed) {
      const p = changed.problem;
      throw fieldError(p.path, p.message, 409, { reason: p.reason, ...p.params });
    }
    const experiment = changed.experiment;
    if (status === 'running') {
      checkAgainstConfig(config, experiment);
      checkSingleRunning(config, experiment);
    }
    await commitConfig(c.var.svc, experimentWrites.status(db, experiment), [
      logChange(c, 'experiment', experiment.id, current, experiment),
    ]);
    return c.json(experiment, 200);
  })
  .delete('/:id', async (c) => {
    const db = c.var.svc.db;
    const experiment = (await loadSiteConfig(c.var.svc)).experiments.find((e) => e.id === c.req.param('id'));
    if (!experiment) throw notFound('Experiment');
    if (experiment.status === 'running')
      throw conflict('A running experiment cannot be deleted; stop it first', 'not_deletable', { status: 'running' });
    await commitConfig(c.var.svc, experimentWrites.delete(db, experiment.id), [
      logChange(c, 'experiment', experiment.id, experiment, null),
    ]);
    return c.body(null, 204);
  });
