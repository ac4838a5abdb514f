/**
 * @module
 * Keys made from names, so a marketer never has to invent one: the name's letters and digits
 * in lowercase joined by "_" (full-width letters count: ＳａａＳ → saas), or `<prefix>_<n>` when
 * the name has none (Japanese names), made unique against the keys already taken.
 */
const MAX = 64;

/**
 * @example keyFromName('Hot Leads 2', []) // 'hot_leads_2'
 * @example keyFromName('セミナー参加者', ['segment_1']) // 'segment_2'
 */
export function keyFromName(name: string, taken: readonly string[], prefix = 'segment'): string {
  const words =
    name
      .normalize('NFKC')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? [];
  let base = words
    .join('_')
    .slice(0, MAX - 4)
    .replace(/_+$/, '');
  const used = new Set(taken);
  if (!base) {
    let n = 1;
    while (used.has(`${prefix}_${n}`)) n++;
    return `${prefix}_${n}`;
  }
  if (!/^[a-z0-9]/.test(base)) base = `${prefix}_${base}`.slice(0, MAX - 4);
  if (!used.has(base)) return base;
  let n = 2;
  while (used.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}
