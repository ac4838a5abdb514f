/**
 * @module
 * Members in the console:
 *
 * - `GET /members?tier=&segment=&minScore=&activeWithinDays=&inactiveForDays=&q=&sort=&limit=&cursor=`
 *   → `{items, nextCursor}`, everything as of now (services/admin/member-list.ts)
 * - `POST /members/import?dryRun=&skipInvalid=&encoding=&mapping=` with a CSV body → the import
 *   report; 422 (and nothing written) while a row is invalid, unless `skipInvalid`
 * - `GET /members/:id` → a member, or an anonymous visitor, with score, tier, segment and why,
 *   score history and recent events
 *
 * The export (`GET /members.csv`) is in member-files.ts: it is not under `/members/`.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { ApiError, notFound } from '../../errors';
import { rawBody } from '../../middleware/described';
import { queryInput } from '../../middleware/query';
import { MAX_IMPORT_BYTES, MemberImportQuery, MemberListQuery } from '../../schema/members';
import { memberDetail } from '../../services/admin/members';
import { importMembers } from '../../services/admin/member-import';
import { listMembers } from '../../services/admin/member-list';

export const memberRoutes = new Hono<App>()
  .get('/', queryInput(MemberListQuery), async (c) => {
    const { limit, cursor, ...filters } = c.req.valid('query');
    return c.json(await listMembers(c.var.svc, filters, { limit, cursor }), 200);
  })
  .post('/import', rawBody('text/csv'), queryInput(MemberImportQuery), async (c) => {
    const q = c.req.valid('query');
    if (Number(c.req.header('content-length') ?? 0) > MAX_IMPORT_BYTES) {
      throw new ApiError(413, 'payload_too_large', `A file can be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);
    }
    const { report, ok } = await importMembers(c.var.svc, c.req.raw.body, {
      dryRun: q.dryRun ?? false,
      skipInvalid: q.skipInvalid ?? false,
      encoding: q.encoding,
      mapping: q.mapping,
    });
    if (!ok) {
      const message = `${report.errorCount} problem${report.errorCount === 1 ? '' : 's'} in the file: nothing was imported`;
      return c.json({ error: { code: 'invalid_rows', message }, ...report }, 422);
    }
    return c.json(report, 200);
  })
  .get('/:id', async (c) => {
    const detail = await memberDetail(c.var.svc, c.req.param('id'));
    if (!detail) throw notFound('Member or visitor');
    return c.json(detail, 200);
  });
