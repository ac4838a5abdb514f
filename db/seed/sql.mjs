/**
 * @module
 * Turns a configuration document (db/seed/demo.json) into idempotent SQL: `INSERT OR IGNORE`,
 * so re-running `npm start` never overwrites what a marketer changed in the admin.
 * Plain JavaScript so both Node scripts and the workerd tests can import it.
 */
import demo from './demo.json' with { type: 'json' };

const q = (v) =>
  v === null || v === undefined
    ? 'NULL'
    : typeof v === 'number'
      ? String(v)
      : typeof v === 'boolean'
        ? v
          ? '1'
          : '0'
        : `'${String(v).replace(/'/g, "''")}'`;
const json = (v) => q(JSON.stringify(v));
const row = (table, values) =>
  `INSERT OR IGNORE INTO ${table} (${Object.keys(values).join(', ')}) VALUES (${Object.values(values).join(', ')});`;

/** @returns {string[]} one statement per element */
export function configStatements(config = demo) {
  const out = [];
  out.push(row('settings', { key: q('scoring'), value: json(config.scoring.settings) }));
  out.push(row('settings', { key: q('config_version'), value: json('seed-1') }));
  // The site's time zone (a Japanese site's day starts at 00:00 JST): caps, windows and results by day follow it.
  if (config.site) out.push(row('settings', { key: q('site'), value: json(config.site) }));
  if (config.vocabulary) out.push(row('settings', { key: q('vocabulary'), value: json(config.vocabulary) }));
  config.scoring.rules.forEach((r, i) =>
    out.push(
      row('scoring_rules', {
        id: q(r.id),
        event_type: q(r.eventType),
        match: json(r.match ?? {}),
        points: q(r.points),
        daily_cap: q(r.dailyCap ?? null),
        enabled: q(r.enabled !== false),
        position: q(i),
      }),
    ),
  );
  for (const c of config.categories)
    out.push(row('category_rules', { id: q(c.id), pattern: q(c.pattern), category: q(c.category), priority: q(c.priority ?? 0) }));
  for (const s of config.segments)
    out.push(
      row('segments', {
        id: q(s.id),
        key: q(s.key),
        name: q(s.name),
        description: q(s.description ?? ''),
        priority: q(s.priority),
        enabled: q(s.enabled !== false),
        rule: json(s.rule),
      }),
    );
  for (const s of config.slots) out.push(row('slots', { key: q(s.key), name: q(s.name ?? '') }));
  config.variants.forEach((v, i) =>
    out.push(
      row('variants', {
        id: q(v.id),
        slot: q(v.slot),
        segment: q(v.segment),
        name: q(v.name ?? ''),
        html: q(v.html),
        enabled: q(v.enabled !== false),
        created_at: q(i),
      }),
    ),
  );
  config.experiments.forEach((e, i) =>
    out.push(
      row('experiments', {
        id: q(e.id),
        name: q(e.name ?? ''),
        slot: q(e.slot),
        segment: q(e.segment),
        goal: json(e.goal),
        status: q(e.status),
        arms: json(e.arms),
        started_at: q(e.startedAt ?? null),
        stopped_at: q(e.stoppedAt ?? null),
        created_at: q(i),
      }),
    ),
  );
  // Alerts ship switched off (no receiver exists yet). Each database gets its own signing
  // secret: INSERT OR IGNORE keeps the first one made, and the console can show a new one.
  for (const a of config.alerts ?? [])
    out.push(
      row('alerts', {
        id: q(a.id),
        name: q(a.name),
        enabled: q(a.enabled === true),
        trigger: json(a.trigger),
        destination: json(a.destination),
        cooldown_days: q(a.cooldownDays ?? 7),
        secret: q(newSecret()),
      }),
    );
  return out;
}

/** A Standard Webhooks signing secret: `whsec_` + 32 random bytes in base64 (Node and workerd alike). */
function newSecret() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}

export function demoSeedSql() {
  return configStatements().join('\n') + '\n';
}

export { demo };
