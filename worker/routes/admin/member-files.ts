/**
 * @module
 * `GET /members.csv?<list filters>&encoding=utf-8|shift_jis`: the member list as a CSV file,
 * streamed (services/admin/member-export.ts); and `GET /traits/quality`: how complete each
 * trait is, with a warning where a segment reads a trait most members lack.
 */
import { Hono } from 'hono';
import type { App } from '../../app-types';
import { queryInput } from '../../middleware/query';
import { MemberExportQuery } from '../../schema/members';
import { exportMembers } from '../../services/admin/member-export';
import { traitQuality } from '../../services/admin/trait-quality';

export const memberFileRoutes = new Hono<App>()
  .get('/members.csv', queryInput(MemberExportQuery), async (c) => {
    const { encoding = 'utf-8', ...filters } = c.req.valid('query');
    const body = await exportMembers(c.var.svc, filters, encoding);
    const name = `members-${new Date(c.var.svc.now).toISOString().slice(0, 10)}${encoding === 'shift_jis' ? '-sjis' : ''}.csv`;
    return c.body(body, 200, {
      'content-type': `text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8'}`,
      'content-disposition': `attachment; filename="${name}"`,
      'cache-control': 'no-store',
    });
  })
  .get('/traits/quality', async (c) => c.json(await traitQuality(c.var.svc), 200));
