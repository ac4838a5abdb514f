/**
 * @module
 * Experiment results for marketers and the personalization lift, read-only:
 *
 * - `GET /experiments/:id/results`      → per-arm CVR, intervals and verdicts (`computeExperimentResults`), peek-safe
 * - `GET /experiments/:id/series`       → per arm per day: new exposures / conversions and cumulative CVR
 * - `GET /experiments/:id/results.csv`  → the arm table as an Excel-ready CSV; `?series=1` for the
 *                                         daily series instead; `?lang=ja` for Japanese headers
 * - `GET /lift`                         → personalized vs generic page, per experiment, per segment,
 *                                         overall; `?status=all` pools every started experiment
 *
 * Mounted at the admin root (not under `/experiments`) so it stays its own file next to the
 * experiment CRUD routes. Everything is computed from grouped index-only aggregates; see
 * services/results.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import type { App } from '../../app-types';
import { notFound } from '../../errors';
import { queryInput } from '../../middleware/query';
import { resultsCsv, seriesCsv } from '../../services/results/csv';
import { experimentResults, experimentSeries, loadExperimentData } from '../../services/results/experiment';
import { loadLift } from '../../services/results/lift';

const CsvQuery = z.object({
  series: z.enum(['0', '1', 'true', 'false']).optional(),
  lang: z.enum(['en', 'ja']).default('en'),
});
const LiftQuery = z.object({ status: z.enum(['running', 'all']).default('running') });

async function load(c: { var: App['Variables'] }, id: string) {
  const data = await loadExperimentData(c.var.svc, id);
  if (!data) throw notFound('Experiment');
  return data;
}

/** `attachment` with an ASCII name and the RFC 5987 form, so any browser saves it under that name. */
const attachment = (name: string) => `attachment; filename="${name}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const resultsRoutes = new Hono<App>()
  .get('/experiments/:id/results', async (c) => c.json(experimentResults(await load(c, c.req.param('id'))), 200))
  .get('/experiments/:id/series', async (c) => c.json(experimentSeries(await load(c, c.req.param('id'))), 200))
  .get('/experiments/:id/results.csv', queryInput(CsvQuery), async (c) => {
    const { series, lang } = c.req.valid('query');
    const data = await load(c, c.req.param('id'));
    const daily = series === '1' || series === 'true';
    const body = daily ? seriesCsv(experimentSeries(data), lang) : resultsCsv(experimentResults(data), lang);
    return c.body(body, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': attachment(`${data.experiment.id}-${daily ? 'series' : 'results'}.csv`),
      'cache-control': 'no-store',
    });
  })
  .get('/lift', queryInput(LiftQuery), async (c) => {
    const { status } = c.req.valid('query');
    return c.json(await loadLift(c.var.svc, status), 200);
  });
