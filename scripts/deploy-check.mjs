/**
 * @module
 * `npm run deploy:check`: reads a wrangler config the way `wrangler deploy` will and lists every
 * setting that would ship an unsafe or unfinished production: local-dev switches in [vars], no
 * or unsafe ALLOWED_ORIGINS, switches set to a value the worker does not recognise, the placeholder D1 id, the example rate-limit namespace ids, and
 * (when wrangler is logged in) secrets not yet put. Exits 1 when anything is listed.
 *
 *   npm run deploy:check -- [--config wrangler.toml] [--env NAME] [--skip-secrets] [--confirm-ratelimit-ids]
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Switches only `.dev.vars` may turn on: demo routes, `*` origins and short secrets, timing headers, loopback webhooks. */
export const DEV_ONLY_VARS = ['LOCAL_DEV', 'DEMO_MODE', 'DEBUG_TIMING', 'ALLOW_PRIVATE_WEBHOOKS'];
export const SECRETS = ['ADMIN_TOKEN', 'SERVER_API_KEY', 'IDENTIFY_SECRET', 'PREVIEW_SECRET', 'PROFILE_SECRET'];
export const PLACEHOLDER_DATABASE_ID = '00000000-0000-0000-0000-000000000000';
/** The namespace ids wrangler.toml ships with; ids are per account, so a copy may collide. */
export const EXAMPLE_NAMESPACE_IDS = ['1001', '1002'];
const RATE_LIMIT_BINDINGS = ['RL_VISITOR', 'RL_CLIENT'];
/**
 * [vars] the worker reads as one of a few words. Any other value silently means the default
 * (e.g. `DECIDE_READS = "replicas"` reads the primary), so a typo is named here instead.
 */
export const CHOICE_VARS = {
  DECIDE_WRITES: ['queue', 'inline'],
  DECIDE_READS: ['primary', 'replica'],
  CONSENT_REQUIRED: ['true', 'false'],
};

/** ALLOWED_ORIGINS split the way the worker reads it (worker/middleware/cors.ts). */
const originList = (value) =>
  String(value ?? '')
    .split(',')
    .map((s) => s.trim().replace(/\/+$/, ''))
    .filter(Boolean);

function originProblems(value) {
  const origins = originList(value);
  if (!origins.length) {
    return [
      'ALLOWED_ORIGINS is empty: no site can call /v1/* from a browser. Set your site\'s origins, e.g. ALLOWED_ORIGINS = "https://www.example.co.jp"',
    ];
  }
  return origins.flatMap((origin) => {
    if (origin.includes('*'))
      return [`ALLOWED_ORIGINS contains "${origin}": wildcards let any site read visitors' segments; list each origin`];
    let url;
    try {
      url = new URL(origin);
    } catch {
      return [`ALLOWED_ORIGINS entry "${origin}" is not an origin such as https://www.example.co.jp`];
    }
    if (url.protocol !== 'https:') return [`ALLOWED_ORIGINS entry "${origin}" is not https`];
    if (url.origin !== origin)
      return [`ALLOWED_ORIGINS entry "${origin}" is not a bare origin (scheme://host[:port], no path): use ${url.origin}`];
    return [];
  });
}

/**
 * The problems in an already-read wrangler config, plus notes that do not fail the check.
 * @param {ReturnType<typeof import('wrangler').unstable_readConfig>} config
 */
export function configProblems(config, { confirmRatelimitIds = false } = {}) {
  const problems = [];
  const notes = [];
  const vars = config.vars ?? {};

  for (const name of DEV_ONLY_VARS) {
    if (name in vars && !['', 'false'].includes(String(vars[name]))) {
      problems.push(`${name} is set in [vars] (${JSON.stringify(vars[name])}): a local-dev switch; keep it in .dev.vars only`);
    }
  }
  for (const name of SECRETS) {
    if (name in vars)
      problems.push(`${name} is in [vars], i.e. in plain text in the config: remove it and run \`npx wrangler secret put ${name}\``);
  }
  problems.push(...originProblems(vars.ALLOWED_ORIGINS));
  for (const [name, allowed] of Object.entries(CHOICE_VARS)) {
    if (name in vars && !allowed.includes(String(vars[name])))
      problems.push(`${name} = ${JSON.stringify(vars[name])} is not one of ${allowed.map((a) => `"${a}"`).join(', ')}`);
  }
  const retention = vars.EVENT_RETENTION_DAYS;
  if (retention !== undefined && !/^[1-9][0-9]*$/.test(String(retention).trim()))
    problems.push(`EVENT_RETENTION_DAYS = ${JSON.stringify(retention)} is not a whole number of days (the worker would use 400)`);
  if (vars.DECIDE_READS === 'replica')
    notes.push(
      'DECIDE_READS = "replica": turn on read replication for the database too (docs/storage.md#read-replicas), or decides keep reading the primary',
    );

  const db = (config.d1_databases ?? []).find((d) => d.binding === 'DB');
  if (!db) problems.push('No D1 database bound as DB: add the [[d1_databases]] entry from wrangler.toml');
  else if (!db.database_id || db.database_id === PLACEHOLDER_DATABASE_ID) {
    problems.push(
      'D1 database_id is the placeholder: run `npx wrangler d1 create dashiwake --location apac` and put its id in [[d1_databases]]',
    );
  }

  const limits = config.ratelimits ?? [];
  for (const name of RATE_LIMIT_BINDINGS) {
    if (!limits.some((l) => l.name === name)) problems.push(`No [[ratelimits]] binding ${name}: the public API would not be rate limited`);
  }
  const seen = new Map();
  for (const { name, namespace_id: id } of limits) {
    if (!/^[1-9][0-9]*$/.test(String(id ?? '')))
      problems.push(`[[ratelimits]] ${name}: namespace_id must be a positive integer, got ${JSON.stringify(id)}`);
    else if (seen.has(String(id)))
      problems.push(`[[ratelimits]] ${name} and ${seen.get(String(id))} share namespace_id ${id}: they would count together`);
    else if (EXAMPLE_NAMESPACE_IDS.includes(String(id)) && !confirmRatelimitIds) {
      problems.push(
        `[[ratelimits]] ${name}: namespace_id ${id} is the example value; ids are shared across your Cloudflare account, so pick one no other Worker uses (or pass --confirm-ratelimit-ids if ${id} is yours)`,
      );
    }
    seen.set(String(id), name);
  }

  const routes = [...(config.routes ?? []), ...(config.route ? [config.route] : [])];
  if (!routes.length) notes.push('No route or custom domain: the worker will only answer on workers.dev');
  else if (config.workers_dev !== false) {
    notes.push('workers_dev is not false: the workers.dev address serves /admin outside any Cloudflare Access policy on your domain');
  }
  return { problems, notes };
}

/** Names of the secrets put on the deployed worker, or why they could not be listed. */
function listSecrets(configPath, env) {
  const wranglerJs = path.join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
  const args = [wranglerJs, 'secret', 'list', '--format', 'json', '--config', configPath, ...(env ? ['--env', env] : [])];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      args,
      { cwd: root, timeout: 30_000, env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const json = stdout.slice(stdout.indexOf('['));
        if (!error) {
          try {
            return resolve({ names: JSON.parse(json).map((s) => s.name) });
          } catch {}
        }
        // wrangler's first message line, without colours or the "✘ [ERROR]" prefix, to its first full stop.
        const reason = `${stderr}\n${stdout}`
          .replace(/\x1b\[[0-9;]*m/g, '')
          .split('\n')
          .map((l) => l.replace(/^[✘▲\s]*(\[[A-Z]+\]\s*)?/, '').trim())
          .find(Boolean)
          ?.replace(/\.\s.*$/, '');
        resolve({ error: reason || (error?.killed ? 'timed out' : 'wrangler secret list failed') });
      },
    );
  });
}

function parseArgs(argv) {
  const opts = { config: 'wrangler.toml', env: undefined, skipSecrets: false, confirmRatelimitIds: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--config' || a === '-c') opts.config = argv[++i];
    else if (a.startsWith('--config=')) opts.config = a.slice('--config='.length);
    else if (a === '--env' || a === '-e') opts.env = argv[++i];
    else if (a.startsWith('--env=')) opts.env = a.slice('--env='.length);
    else if (a === '--skip-secrets') opts.skipSecrets = true;
    else if (a === '--confirm-ratelimit-ids') opts.confirmRatelimitIds = true;
    else throw new Error(`unknown option ${a}`);
  }
  if (!opts.config) throw new Error('--config needs a path');
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(
      `deploy:check: ${error.message}\nusage: npm run deploy:check -- [--config wrangler.toml] [--env NAME] [--skip-secrets] [--confirm-ratelimit-ids]`,
    );
    return 2;
  }
  const configPath = path.resolve(opts.config);
  if (!existsSync(configPath)) {
    console.error(`deploy:check: no config at ${configPath}`);
    return 2;
  }
  let config;
  try {
    // Loaded here, not at the top: wrangler takes seconds to load, usage errors need not wait.
    const { unstable_readConfig } = await import('wrangler');
    config = unstable_readConfig({ config: configPath, env: opts.env });
  } catch (error) {
    console.error(`deploy:check: cannot read ${opts.config}: ${error.message}`);
    return 1;
  }
  const { problems, notes } = configProblems(config, opts);

  if (opts.skipSecrets) notes.push('Secrets not checked (--skip-secrets)');
  else {
    const listed = await listSecrets(configPath, opts.env);
    if (listed.error)
      notes.push(
        `Secrets not checked (${listed.error}); run this again once \`npx wrangler login\` is done or CLOUDFLARE_API_TOKEN is set`,
      );
    else
      for (const name of SECRETS.filter((s) => !listed.names.includes(s)))
        problems.push(`Secret ${name} is not set: \`openssl rand -base64 32 | npx wrangler secret put ${name}\``);
  }

  const where = `${path.relative(process.cwd(), configPath) || configPath}${opts.env ? ` (env ${opts.env})` : ''}`;
  const printNotes = () => notes.forEach((note) => console.log(`  note: ${note}`));
  if (problems.length) {
    console.error(`deploy:check: ${where} is not ready for production (${problems.length} problem${problems.length > 1 ? 's' : ''}):`);
    for (const p of problems) console.error(`  ✗ ${p}`);
    printNotes();
    return 1;
  }
  console.log(`deploy:check: ${where} looks ready for \`npx wrangler deploy\``);
  printNotes();
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exitCode = await main();
