/**
 * @module
 * `GET /api/members.csv`: the filtered member list as a file Excel opens as it is: UTF-8 with a
 * BOM (without one, Excel on Japanese Windows reads UTF-8 as Shift_JIS), or Shift_JIS
 * (Windows-31J) for tools that read nothing else. The header is
 * `member_id,score,tier,segment,last_active_at` and one column per trait key in use (sorted), the
 * same columns whatever the filter, so an export can be edited and imported back.
 *
 * The file is streamed page by page (every page as of the same instant, as the list's cursor
 * does), so a 100 000-member export never sits in memory.
 */
import { createCp932Encoder } from '../../core/cp932';
import { csvLine } from '../../core/csv';
import type { ListCursor } from '../../core/list-cursor';
import type { CsvEncoding, MemberFilters } from '../../schema/members';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';
import { planList, readPage } from './member-list';
import { CANDIDATE_CAP } from './member-search';

const EXPORT_PAGE = 1_000;
export const FIXED_COLUMNS = ['member_id', 'score', 'tier', 'segment', 'last_active_at'] as const;

/**
 * Every trait key any member has, sorted (code point order, so the header is stable).
 * @example await traitKeys(c.var.svc) // ['employees', 'industry']
 */
export async function traitKeys({ d1 }: Pick<ServiceContext, 'd1'>): Promise<string[]> {
  const { results } = await d1.prepare('SELECT DISTINCT j.key AS key FROM members, json_each(members.traits) j').all<{ key: string }>();
  return results.map((r) => r.key).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * The CSV file as a byte stream. Filters are checked (and the segment resolved) before the
 * first byte, so a bad query is still a 400.
 * @example new Response(await exportMembers(c.var.svc, {tier: 'hot'}, 'shift_jis'))
 */
export async function exportMembers(
  ctx: Pick<ServiceContext, 'd1' | 'db' | 'now'>,
  filters: MemberFilters,
  encoding: CsvEncoding,
): Promise<ReadableStream<Uint8Array>> {
  const plan = await planList(ctx, filters, null, CANDIDATE_CAP, await currentConfig(ctx));
  const keys = (await traitKeys(ctx)).filter((k) => !(FIXED_COLUMNS as readonly string[]).includes(k));
  const encode = encoding === 'shift_jis' ? createCp932Encoder().encode : (text: string) => new TextEncoder().encode(text);
  let position: ListCursor | null = null;
  let started = false;
  let done = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        const bom = encoding === 'utf-8' ? '\uFEFF' : '';
        controller.enqueue(encode(bom + csvLine([...FIXED_COLUMNS, ...keys])));
        return;
      }
      if (done) {
        controller.close();
        return;
      }
      const page = await readPage(ctx, plan, position, { limit: EXPORT_PAGE, scanBudget: Number.MAX_SAFE_INTEGER });
      let text = '';
      for (const m of page.items) {
        text += csvLine([
          m.id,
          m.score,
          m.tier,
          m.segment,
          m.lastActiveAt,
          ...keys.map((k) => (Object.hasOwn(m.traits, k) ? m.traits[k] : null)),
        ]);
      }
      if (text) controller.enqueue(encode(text));
      position = page.next;
      if (!position) done = true;
    },
  });
}
