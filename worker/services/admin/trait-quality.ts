/**
 * @module
 * `GET /api/traits/quality`: per trait key, how many members have a value, the share, how many
 * distinct values and the most common ones; plus a warning wherever an enabled segment reads a
 * trait most members lack. Three grouped queries over `json_each(traits)`.
 */
import { LOW_SHARE, traitWarnings, type TraitStat, type TraitWarning } from '../../core/trait-quality';
import { segmentTraits } from '../../core/trait-quality';
import { currentConfig } from '../config-store';
import type { ServiceContext } from '../context';

export interface TraitQuality {
  members: number;
  /** Below this share a segment's trait gets a warning. */
  lowShare: number;
  traits: (TraitStat & { segments: string[] })[];
  warnings: TraitWarning[];
}

const TOP_VALUES = 5;
/** A value as text (booleans as true/false), so 120 and "120" count as one value. */
const VALUE = `CASE j.type WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(j.value AS TEXT) END`;
/** Known, as segments see it: present, not null, not empty text. */
const KNOWN = `(j.type IN ('integer', 'real', 'true', 'false') OR (j.type = 'text' AND trim(j.value) <> ''))`;

/**
 * @example const { traits, warnings } = await traitQuality(c.var.svc)
 */
export async function traitQuality({ d1, db }: Pick<ServiceContext, 'd1' | 'db'>): Promise<TraitQuality> {
  const [total, perKey, top] = await d1.batch<Record<string, unknown>>([
    d1.prepare('SELECT COUNT(*) AS n FROM members'),
    d1.prepare(
      `SELECT j.key AS key, COUNT(*) AS members, COUNT(DISTINCT ${VALUE}) AS distinct_values
       FROM members m, json_each(m.traits) j WHERE ${KNOWN} GROUP BY j.key`,
    ),
    d1.prepare(
      `SELECT key, value, n FROM (
         SELECT j.key AS key, ${VALUE} AS value, COUNT(*) AS n,
                row_number() OVER (PARTITION BY j.key ORDER BY COUNT(*) DESC, ${VALUE}) AS rk
         FROM members m, json_each(m.traits) j WHERE ${KNOWN} GROUP BY j.key, ${VALUE}
       ) WHERE rk <= ${TOP_VALUES} ORDER BY key, n DESC, value`,
    ),
  ]);
  const members = Number(total?.results[0]?.n ?? 0);
  const tops = new Map<string, { value: string; members: number }[]>();
  for (const r of top?.results ?? []) {
    const key = String(r.key);
    const list = tops.get(key) ?? [];
    list.push({ value: String(r.value), members: Number(r.n) });
    tops.set(key, list);
  }
  const config = await currentConfig({ d1, db });
  const segments = config.source.segments.filter((s) => s.enabled !== false);
  const usedBy = new Map<string, string[]>();
  for (const s of segments) for (const t of segmentTraits(s.rule)) usedBy.set(t, [...(usedBy.get(t) ?? []), s.key]);

  const stats = new Map<string, TraitStat>();
  for (const r of perKey?.results ?? []) {
    const key = String(r.key);
    const n = Number(r.members);
    stats.set(key, { key, members: n, share: members ? n / members : 0, distinct: Number(r.distinct_values), top: tops.get(key) ?? [] });
  }
  // Traits a segment reads that no member has are shown too: that is the worst case.
  for (const key of usedBy.keys()) if (!stats.has(key)) stats.set(key, { key, members: 0, share: 0, distinct: 0, top: [] });
  const traits = [...stats.values()]
    .sort((a, b) => b.members - a.members || (a.key < b.key ? -1 : 1))
    .map((s) => ({ ...s, segments: usedBy.get(s.key) ?? [] }));
  return { members, lowShare: LOW_SHARE, traits, warnings: traitWarnings(segments, [...stats.values()], members) };
}
