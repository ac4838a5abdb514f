/**
 * @module
 * Prints seed SQL for a D1 database: `--defaults` gives the default scoring of docs/api.md#scoring only
 * (what a new production site starts from); without it, the whole demo configuration.
 * Idempotent (INSERT OR IGNORE): it never overwrites what was edited in the admin.
 *   node scripts/seed-sql.mjs --defaults > seed.sql && npx wrangler d1 execute DB --remote --file seed.sql
 */
import { configStatements, demo } from '../db/seed/sql.mjs';

const defaultsOnly = process.argv.includes('--defaults');
const config = defaultsOnly ? { ...demo, categories: [], segments: [], slots: [], variants: [], experiments: [] } : demo;
process.stdout.write(configStatements(config).join('\n') + '\n');
