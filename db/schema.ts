/**
 * @module
 * D1 schema (drizzle). `npm run db:generate` turns it into the SQL migrations in db/migrations.
 *
 * Hot-path tables (visitors, members, events, exposures, conversions) are shaped so a decide
 * costs one read and one batched write: a profile is one JSON column, experiment membership
 * is mirrored in the profile, and results aggregate over narrow indexed tables.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
// Types only (erased at build): what the JSON and enum-like text columns hold, so drizzle's reads
// and writes are typed (`$type<T>()`) and no caller casts. Rows read with raw SQL still go
// through worker/lib/json-column.ts, which survives a corrupt value.
import type { AlertDestination, AlertTrigger, Delivery, DeliveryStatus } from '../worker/schema/alerts';
import type { ChangeAction, ChangeEntity } from '../worker/schema/changes';
import type { EventType, Experiment, PropMatch, Segment } from '../worker/schema/config';
import type { PropensityModel } from '../worker/schema/propensity';

const now = sql`(unixepoch('subsec') * 1000)`;

/** Identified people (a CRM contact). The profile of an identified visitor lives here. */
export const members = sqliteTable(
  'members',
  {
    id: text('id').primaryKey(),
    traits: text('traits', { mode: 'json' }).notNull().default(sql`'{}'`),
    profile: text('profile', { mode: 'json' }),
    /** Score at last_active_at (before decay), mirrored from the profile for listing. */
    score: real('score').notNull().default(0),
    lastActiveAt: integer('last_active_at'),
    /** Random nonce rewritten on every profile write: optimistic concurrency without a counter race. */
    version: text('version'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [
    // Member lists (GET /api/members): the score index covers what the current (decayed) score
    // is computed from, so sorting by it reads the index only; last activity pages by keyset.
    index('members_score_active').on(t.score, t.lastActiveAt, t.id),
    index('members_active').on(t.lastActiveAt, t.id),
  ],
);

/**
 * The text of each member's traits, for free-text search (`GET /api/members?q=`). One row per
 * member with at least one text trait: the text values joined by line breaks. Written only by
 * triggers on `members` (migration 0009), so every trait write (identify, server traits, import,
 * erasure) keeps it in step in the same statement; the trigram index `member_search_fts` is an
 * external-content FTS5 table over `body`, keyed by the integer `id` (stable, unlike an implicit rowid).
 */
export const memberSearch = sqliteTable('member_search', {
  id: integer('id').primaryKey(),
  memberId: text('member_id').notNull().unique(),
  body: text('body').notNull(),
});

/**
 * Rows of a member import waiting to be applied. A file is validated whole before anything
 * reaches `members`, without holding it in memory: valid rows that would change something are
 * staged here, then applied in batches (or dropped when a row is invalid). Rows of an import
 * that never finished are pruned by the next one.
 */
export const memberImportRows = sqliteTable(
  'member_import_rows',
  {
    importId: text('import_id').notNull(),
    row: integer('row').notNull(),
    memberId: text('member_id').notNull(),
    traits: text('traits').notNull(),
    /** Tombstone key of the member (services/tombstones.ts), so an erased member is not re-created. */
    subjectKey: text('subject_key').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.row] }), index('member_import_rows_created').on(t.createdAt)],
);

/** Browsers (the `dw_vid` cookie). Anonymous profiles live here until identify joins a member. */
export const visitors = sqliteTable(
  'visitors',
  {
    id: text('id').primaryKey(),
    memberId: text('member_id'),
    profile: text('profile', { mode: 'json' }),
    score: real('score').notNull().default(0),
    lastActiveAt: integer('last_active_at'),
    version: text('version'),
    /**
     * Set when identify rotated this id away. Requests already in flight still reach the member
     * for a short grace period; after it the id is an unknown, anonymous browser.
     */
    retiredAt: integer('retired_at'),
    createdAt: integer('created_at').notNull().default(now),
    updatedAt: integer('updated_at').notNull().default(now),
  },
  (t) => [index('visitors_member').on(t.memberId)],
);

/**
 * Every accepted event, once per subject: `subject` is `v:<visitor id>` for browser events and
 * `m:<member id>` for server events, and the client-made id is unique within it, so retries are
 * no-ops and a browser cannot pre-claim the id a server event will use.
 */
export const events = sqliteTable(
  'events',
  {
    subject: text('subject').notNull(),
    id: text('id').notNull(),
    visitorId: text('visitor_id'),
    memberId: text('member_id'),
    type: text('type').notNull(),
    at: integer('at').notNull(),
    url: text('url'),
    props: text('props', { mode: 'json' }).notNull().default(sql`'{}'`),
    points: integer('points').notNull().default(0),
    /** [{ruleId, points}] — why the score moved, for the admin's score history. */
    breakdown: text('breakdown', { mode: 'json' }).notNull().default(sql`'[]'`),
    scoreAfter: real('score_after').notNull().default(0),
    receivedAt: integer('received_at').notNull().default(now),
  },
  (t) => [
    uniqueIndex('events_subject_id').on(t.subject, t.id),
    index('events_visitor_at').on(t.visitorId, t.at),
    index('events_member_at').on(t.memberId, t.at),
    // Event retention (worker/services/retention) takes the oldest events first.
    index('events_at').on(t.at),
  ],
);

/**
 * Recent erasures (`m:<member id>`, `v:<visitor id>`): a write on behalf of an erased subject
 * from a request that started before the erasure committed is refused, so an in-flight decide
 * cannot undo it. Rows older than a day are pruned by the next erasure.
 */
export const tombstones = sqliteTable('tombstones', {
  subject: text('subject').primaryKey(),
  at: integer('at').notNull(),
});

/** Points per action. Editable data; defaults come from the seed (docs/api.md#scoring). */
export const scoringRules = sqliteTable('scoring_rules', {
  id: text('id').primaryKey(),
  eventType: text('event_type').$type<EventType>().notNull(),
  match: text('match', { mode: 'json' }).$type<PropMatch>().notNull().default(sql`'{}'`),
  points: integer('points').notNull(),
  dailyCap: integer('daily_cap'),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  position: integer('position').notNull().default(0),
});

/** Site-wide settings as JSON values: `scoring` (decay, tiers), `config_version`. */
export const settings = sqliteTable('settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
});

/** URL pattern → page category, for page views that don't say their category. */
export const categoryRules = sqliteTable('category_rules', {
  id: text('id').primaryKey(),
  pattern: text('pattern').notNull(),
  category: text('category').notNull(),
  priority: integer('priority').notNull().default(0),
});

export const segments = sqliteTable(
  'segments',
  {
    id: text('id').primaryKey(),
    key: text('key').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    priority: integer('priority').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    rule: text('rule', { mode: 'json' }).$type<Segment['rule']>().notNull(),
  },
  (t) => [uniqueIndex('segments_key').on(t.key)],
);

export const slots = sqliteTable('slots', {
  key: text('key').primaryKey(),
  name: text('name').notNull().default(''),
});

/** Content for one (slot, segment). The first enabled one is served when no experiment runs. */
export const variants = sqliteTable(
  'variants',
  {
    id: text('id').primaryKey(),
    slot: text('slot').notNull(),
    segment: text('segment').notNull(),
    name: text('name').notNull().default(''),
    html: text('html').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull().default(now),
  },
  (t) => [index('variants_slot_segment').on(t.slot, t.segment)],
);

export const experiments = sqliteTable('experiments', {
  id: text('id').primaryKey(),
  name: text('name').notNull().default(''),
  slot: text('slot').notNull(),
  segment: text('segment').notNull(),
  goal: text('goal', { mode: 'json' }).$type<Experiment['goal']>().notNull(),
  status: text('status').$type<Experiment['status']>().notNull().default('draft'),
  arms: text('arms', { mode: 'json' }).$type<Experiment['arms']>().notNull(),
  startedAt: text('started_at'),
  stoppedAt: text('stopped_at'),
  createdAt: integer('created_at').notNull().default(now),
});

/** First time a visitor was decided into an arm. One row per (experiment, visitor). */
export const exposures = sqliteTable(
  'exposures',
  {
    experimentId: text('experiment_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    memberId: text('member_id'),
    arm: text('arm').notNull(),
    segment: text('segment').notNull(),
    at: integer('at').notNull(),
    day: integer('day').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.visitorId] }),
    index('exposures_experiment_arm_day').on(t.experimentId, t.arm, t.day),
    index('exposures_member').on(t.memberId),
  ],
);

/** A visitor's conversion in an experiment: the goal event at or after their first exposure. */
export const conversions = sqliteTable(
  'conversions',
  {
    experimentId: text('experiment_id').notNull(),
    visitorId: text('visitor_id').notNull(),
    memberId: text('member_id'),
    arm: text('arm').notNull(),
    eventId: text('event_id').notNull(),
    at: integer('at').notNull(),
    day: integer('day').notNull(),
    value: real('value'),
  },
  (t) => [
    primaryKey({ columns: [t.experimentId, t.visitorId] }),
    index('conversions_experiment_arm_day').on(t.experimentId, t.arm, t.day),
    index('conversions_member').on(t.memberId),
  ],
);

/**
 * A one-row table whose CHECK turns "the rows I read have changed" into an error, so a D1 batch
 * that starts with `INSERT OR REPLACE INTO write_guard …` is rolled back whole when another
 * request wrote in between (used where several rows must change together, e.g. identify).
 */
export const writeGuard = sqliteTable(
  'write_guard',
  {
    id: integer('id').primaryKey(),
    ok: integer('ok').notNull(),
  },
  (t) => [check('write_guard_unchanged', sql`${t.ok} = 1`)],
);

/**
 * Sales handoff alerts (docs/alerts.md): when a member enters a segment or reaches a tier or
 * score, a signed message goes to a webhook or Slack. `secret` is the Standard Webhooks signing
 * key (`whsec_<base64>`): kept because signing needs it, returned once at creation, never listed.
 */
export const alerts = sqliteTable('alerts', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
  /** {type: "segment_entered", segment} | {type: "tier_reached", tier} | {type: "score_reached", score} */
  trigger: text('trigger', { mode: 'json' }).$type<AlertTrigger>().notNull(),
  /** {url, format: "standard"|"slack", language: "ja"|"en"} */
  destination: text('destination', { mode: 'json' }).$type<AlertDestination>().notNull(),
  cooldownDays: integer('cooldown_days').notNull().default(7),
  secret: text('secret').notNull(),
  /** Origin of the console the alert was saved from: messages link to the member there. */
  consoleOrigin: text('console_origin').notNull().default(''),
  /** Why the system switched the alert off (`gone`: the receiver answered 410). */
  disabledReason: text('disabled_reason'),
  createdAt: integer('created_at').notNull().default(now),
  updatedAt: integer('updated_at').notNull().default(now),
});

/**
 * The outbox and delivery log of alerts. A row is written in the same D1 batch as the event that
 * fired it; the queue consumer claims it (`token` + `lease_until`), builds `payload` once (so every
 * retry sends the same body under the same `webhook-id` = `id`) and records each attempt.
 */
export const alertDeliveries = sqliteTable(
  'alert_deliveries',
  {
    id: text('id').primaryKey(),
    alertId: text('alert_id').notNull(),
    /** Null for a test send. */
    memberId: text('member_id'),
    kind: text('kind').notNull().default('alert'),
    status: text('status').$type<DeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    /** Position in the retry schedule of the current round (a replay starts a new round). */
    retryIndex: integer('retry_index').notNull().default(0),
    /** The queue message allowed to make the next attempt; older copies are dropped. */
    token: text('token'),
    leaseUntil: integer('lease_until'),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    responseExcerpt: text('response_excerpt'),
    /** What the member looked like when the alert fired: {eventId, score, tier, segment}. */
    snapshot: text('snapshot', { mode: 'json' }).$type<Delivery['snapshot']>().notNull().default(sql`'{}'`),
    /** The exact JSON body sent, built at the first attempt. */
    payload: text('payload'),
    createdAt: integer('created_at').notNull(),
    deliveredAt: integer('delivered_at'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    index('alert_deliveries_cooldown').on(t.alertId, t.memberId, t.createdAt),
    index('alert_deliveries_member').on(t.memberId, t.createdAt),
    index('alert_deliveries_created').on(t.createdAt),
    index('alert_deliveries_due').on(t.status, t.nextAttemptAt),
  ],
);

/** At most one request per second per Slack destination (a hash of its URL), across isolates. */
export const webhookPacing = sqliteTable('webhook_pacing', {
  destination: text('destination').primaryKey(),
  nextAt: integer('next_at').notNull(),
});

/**
 * The change log of the admin API: who changed which piece of configuration, when, and the
 * entity as it was before and after (JSON snapshots). Written in the same D1 batch as the change
 * itself, so the log can never miss a write or record one that did not happen. It holds
 * configuration only (segments, scoring, content, experiments, alerts, names): never a
 * member's or visitor's data. `actor` is the Cloudflare Access email, or "admin-token".
 */
export const changes = sqliteTable(
  'changes',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    actor: text('actor').notNull(),
    /** segment | segment_order | scoring | categories | slot | variant | experiment | vocabulary | alert */
    entity: text('entity').$type<ChangeEntity>().notNull(),
    entityId: text('entity_id').notNull(),
    /** create | update | delete | restore */
    action: text('action').$type<ChangeAction>().notNull(),
    before: text('before', { mode: 'json' }),
    after: text('after', { mode: 'json' }),
    /** For a restore: the change whose `before` was put back. */
    restoredFrom: text('restored_from'),
  },
  (t) => [index('changes_at').on(t.at, t.id), index('changes_entity').on(t.entity, t.entityId, t.at, t.id)],
);

/**
 * Segment history: each segment's size on each of the site's days, counted once a day by the
 * cron (services/segment-history.ts) just after the site's midnight. `size` is the profiles
 * (members and anonymous visitors active in the last 90 days) whose first matching segment it
 * is; `entered`/`exited` compare with the previous count; `active` is how many of them were
 * active that day, `reach28` how many in the last 28 days (the people an experiment on the
 * segment would see in four weeks), `converters` how many did the goal event (an inquiry) in
 * the last 30 days.
 */
export const segmentDays = sqliteTable(
  'segment_days',
  {
    segment: text('segment').notNull(),
    day: integer('day').notNull(),
    size: integer('size').notNull(),
    entered: integer('entered').notNull(),
    exited: integer('exited').notNull(),
    active: integer('active').notNull(),
    reach28: integer('reach28').notNull(),
    converters: integer('converters').notNull(),
  },
  (t) => [primaryKey({ columns: [t.segment, t.day] }), index('segment_days_day').on(t.day)],
);

/**
 * The segment each profile was in at the last count (`m:<member id>` / `v:<visitor id>`), so
 * the next count can tell entries from exits. Profiles in no segment have no row; erasure
 * deletes a member's rows with the member.
 */
export const segmentMembers = sqliteTable('segment_members', {
  subject: text('subject').primaryKey(),
  segment: text('segment').notNull(),
  /** Site day the profile entered this segment. */
  since: integer('since').notNull(),
});

/**
 * One row per counted site day: the count's claim (`running` with a lease, then `done`), so the
 * every-minute cron counts each day once however many isolates run it.
 */
export const segmentCounts = sqliteTable('segment_counts', {
  day: integer('day').primaryKey(),
  status: text('status').notNull(),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
  /** Profiles evaluated. */
  population: integer('population'),
});

/**
 * Trained propensity models (worker/core/propensity): the feature spec, coefficients, holdout
 * metrics and verdict as one JSON document, read with the configuration so segments can test a
 * likelihood on the hot path.
 */
export const propensityModels = sqliteTable('propensity_models', {
  key: text('key').primaryKey(),
  model: text('model', { mode: 'json' }).$type<PropensityModel>().notNull(),
  trainedAt: integer('trained_at').notNull(),
});

/**
 * Event retention (worker/services/retention): what raw events deleted past the horizon did to a
 * member's profile, so history replays (propensity training) start from it instead of from
 * nothing. `profile` is the member's events up to `until` applied in time order with the
 * configuration of the day they were folded; a member with no deleted events has no row.
 */
export const eventFolds = sqliteTable('event_folds', {
  memberId: text('member_id').primaryKey(),
  profile: text('profile', { mode: 'json' }).notNull(),
  /** The latest event time folded in. */
  until: integer('until').notNull(),
});

/**
 * Which archived days (R2, `events/YYYY-MM-DD/…`) hold lines of which subject, so an erasure
 * finds them. One integer per (subject, day): the first 46 bits of the subject's tombstone key
 * (SHA-256 of `m:<id>` / `v:<id>`), shifted left 16, or'ed with the UTC day number — the row is
 * its own primary key (about 14 bytes), and it names no one.
 */
export const archiveIndex = sqliteTable('archive_index', {
  id: integer('id').primaryKey(),
});

/**
 * Erasures whose archived lines are still to be removed: tombstone keys written by the erasure's
 * batch, removed by the retention job once the archive holds no line of them.
 */
export const archiveErasures = sqliteTable('archive_erasures', {
  key: text('key').primaryKey(),
  at: integer('at').notNull(),
});

/** One row: the retention job's lease (one run at a time) and what its last run did. */
export const retentionState = sqliteTable('retention_state', {
  id: integer('id').primaryKey(),
  leaseUntil: integer('lease_until').notNull().default(0),
  /** JSON summary of the last run: {at, cut, deleted, archived, folded, erased, done}. */
  lastRun: text('last_run', { mode: 'json' }),
});
