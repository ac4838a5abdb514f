/**
 * @module
 * Segment history (how each segment grows or shrinks):
 *
 * - `GET /api/segment-history?days=90` → per segment, its count on each site day (size, entered,
 *   exited, active that day, reach over 28 days, converters) and whether an experiment on it
 *   could conclude within 28 days at the current traffic
 * - `POST /api/segment-history/count` → count the day that ended last now, if not yet counted
 *   (the cron does it every day just after the site's midnight)
 * - `POST /api/segment-history/backfill {days}` → rebuild past days from the events
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { experimentOutlook } from '../../core/segment-history';
import { queryInput } from '../../middleware/query';
import { BackfillRequest, HistoryQuery } from '../../schema/history';
import { currentConfig } from '../../services/config-store';
import { backfillSegmentHistory, countSegmentDay, readHistory } from '../../services/segment-history';
import { zjson } from './validate';

const date = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

export const segmentHistoryRoutes = new Hono<App>()
  .get('/', queryInput(HistoryQuery), async (c) => {
    const { days } = c.req.valid('query');
    const config = await currentConfig(c.var.svc);
    const today = config.calendar.dayOf(c.var.svc.now);
    const from = today - days;
    const history = await readHistory(c.var.svc, from, today);
    const segments = config.source.segments
      .slice()
      .sort((a, b) => a.priority - b.priority)
      .map((s) => {
        const rows = (history.get(s.key) ?? []).map(({ segment: _, ...r }) => ({ ...r, date: date(r.day) }));
        const latest = rows.at(-1) ?? null;
        return { key: s.key, name: s.name, enabled: s.enabled !== false, history: rows, latest, outlook: experimentOutlook(latest) };
      });
    return c.json({ timeZone: config.calendar.timeZone, from: date(from), to: date(today - 1), segments }, 200);
  })
  .post('/count', async (c) => c.json(await countSegmentDay(c.var.svc), 200))
  .post('/backfill', zjson(BackfillRequest), async (c) => {
    const { days } = c.req.valid('json');
    return c.json(await backfillSegmentHistory(c.var.svc, days), 200);
  });
