/**
 * @module
 * Synthetic configurations for the bench: N segments (none matching a plain visitor, so
 * resolution walks them all — the worst case) and S slots with a variant each on the last segment.
 */
const q = (v) => `'${String(v).replace(/'/g, "''")}'`;

export function syntheticConfigSql({ segments, slots }) {
  const out = ['DELETE FROM segments;', 'DELETE FROM variants;', 'DELETE FROM experiments;', 'DELETE FROM slots;'];
  for (let i = 0; i < segments; i++) {
    const rule = {
      match: 'all',
      conditions: [
        { type: 'trait', trait: 'industry', op: 'in', value: ['IT', 'SaaS'] },
        { type: 'behavior', event: 'page_view', where: { category: `c${i}` }, withinDays: 7, op: 'gte', count: 2 },
        { type: 'score', op: 'gte', value: 10 + i },
      ],
    };
    out.push(
      `INSERT INTO segments (id, key, name, priority, enabled, rule) VALUES (${q(`s${i}`)}, ${q(`s${i}`)}, ${q(`Segment ${i}`)}, ${i}, 1, ${q(JSON.stringify(rule))});`,
    );
  }
  for (let j = 0; j < slots; j++) {
    out.push(`INSERT INTO slots (key, name) VALUES (${q(`slot${j}`)}, '');`);
    out.push(
      `INSERT INTO variants (id, slot, segment, name, html, enabled) VALUES (${q(`v${j}`)}, ${q(`slot${j}`)}, ${q(`s${segments - 1}`)}, '', '<p>variant</p>', 1);`,
    );
  }
  out.push(`UPDATE settings SET value = json_quote(${q(`bench-${segments}-${slots}-${Date.now()}`)}) WHERE key = 'config_version';`);
  return out.join('\n') + '\n';
}

/** The same synthetic configuration as a SiteConfig object, for the pure-core timing. */
export function syntheticConfig({ segments, slots }, base) {
  const segs = Array.from({ length: segments }, (_, i) => ({
    id: `s${i}`,
    key: `s${i}`,
    name: `Segment ${i}`,
    description: '',
    priority: i,
    enabled: true,
    rule: {
      match: 'all',
      conditions: [
        { type: 'trait', trait: 'industry', op: 'in', value: ['IT', 'SaaS'] },
        { type: 'behavior', event: 'page_view', where: { category: `c${i}` }, withinDays: 7, op: 'gte', count: 2 },
        { type: 'score', op: 'gte', value: 10 + i },
      ],
    },
  }));
  const slotList = Array.from({ length: slots }, (_, j) => ({ key: `slot${j}`, name: '' }));
  const variants = slotList.map((s, j) => ({
    id: `v${j}`,
    slot: s.key,
    segment: `s${segments - 1}`,
    name: '',
    html: '<p>variant</p>',
    enabled: true,
  }));
  return { ...base, version: 'synthetic', segments: segs, slots: slotList, variants, experiments: [] };
}
