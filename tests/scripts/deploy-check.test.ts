/**
 * `npm run deploy:check` against real wrangler configs: the committed wrangler.toml (no origins,
 * placeholder D1 id, example rate-limit ids) must fail it, the finished fixture must pass, and
 * every unsafe setting is named.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { unstable_readConfig } from 'wrangler';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const fixture = path.join(root, 'tests/fixtures/wrangler.production.toml');
const dir = mkdtempSync(path.join(tmpdir(), 'dw-deploy-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function deployCheck(...args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/deploy-check.mjs', ...args], { cwd: root, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
    });
  });
}

/** The fixture with some lines changed, in a temporary file (its relative paths made absolute). */
function variant(edit: (toml: string) => string): string {
  const toml = readFileSync(fixture, 'utf8').replaceAll('"../../', `"${root}/`);
  const file = path.join(dir, `wrangler-${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(file, edit(toml));
  return file;
}

/** The check in this process (starting the script loads wrangler anew, ~2 s a run). */
async function problemsOf(file: string, opts: { confirmRatelimitIds?: boolean } = {}): Promise<{ problems: string[]; notes: string[] }> {
  // A .mjs module without type declarations: imported by URL so the type checker leaves it be.
  const mod = await import(pathToFileURL(path.join(root, 'scripts/deploy-check.mjs')).href);
  return mod.configProblems(unstable_readConfig({ config: file }), opts);
}

describe('npm run deploy:check', { timeout: 30_000 }, () => {
  it('fails the committed wrangler.toml: no origins, placeholder database id, example rate-limit ids', async () => {
    // Without --skip-secrets: offline or logged out, the secret check is skipped, not fatal.
    const { code, out } = await deployCheck('--config', 'wrangler.toml');
    expect(code).toBe(1);
    expect(out).toContain('ALLOWED_ORIGINS is empty');
    expect(out).toContain('database_id is the placeholder');
    expect(out).toContain('RL_VISITOR: namespace_id 1001 is the example value');
    expect(out).toContain('RL_CLIENT: namespace_id 1002 is the example value');
    expect(out).toMatch(/Secrets not checked|Secret \w+ is not set/);
  });

  it('passes a finished production config', async () => {
    const { code, out } = await deployCheck('--config', fixture, '--skip-secrets');
    expect(out).toContain('looks ready');
    expect(code).toBe(0);
  });

  it('names every local-dev switch, unsafe origin and plain-text secret', async () => {
    const file = variant((t) =>
      t.replace(
        /ALLOWED_ORIGINS = .*/,
        [
          'ALLOWED_ORIGINS = "*, http://www.example.co.jp, https://www.example.co.jp/path, https://*.example.co.jp"',
          'DEMO_MODE = "true"',
          'LOCAL_DEV = "true"',
          'DEBUG_TIMING = "true"',
          'ADMIN_TOKEN = "changeme"',
        ].join('\n'),
      ),
    );
    const { code, out } = await deployCheck('--config', file, '--skip-secrets');
    expect(code).toBe(1);
    for (const name of ['DEMO_MODE', 'LOCAL_DEV', 'DEBUG_TIMING']) expect(out).toContain(`${name} is set in [vars]`);
    expect(out).toContain('ADMIN_TOKEN is in [vars]');
    expect(out).toContain('ALLOWED_ORIGINS contains "*"');
    expect(out).toContain('"http://www.example.co.jp" is not https');
    expect(out).toContain('"https://www.example.co.jp/path" is not a bare origin');
    expect(out).toContain('ALLOWED_ORIGINS contains "https://*.example.co.jp"');
    expect(out).toContain('(8 problems)');
  });

  it('accepts switches explicitly off', async () => {
    const file = variant((t) => t.replace(/^(ALLOWED_ORIGINS = .*)$/m, '$1\nDEMO_MODE = "false"\nDEBUG_TIMING = ""'));
    expect((await problemsOf(file)).problems).toEqual([]);
  });

  it('names a switch whose value the worker would not recognise, and notes what replica reads need', async () => {
    const file = variant((t) =>
      t.replace(
        /^(ALLOWED_ORIGINS = .*)$/m,
        '$1\nDECIDE_WRITES = "queued"\nDECIDE_READS = "replicas"\nCONSENT_REQUIRED = "yes"\nEVENT_RETENTION_DAYS = "1 year"',
      ),
    );
    expect((await problemsOf(file)).problems).toEqual([
      'DECIDE_WRITES = "queued" is not one of "queue", "inline"',
      'DECIDE_READS = "replicas" is not one of "primary", "replica"',
      'CONSENT_REQUIRED = "yes" is not one of "true", "false"',
      'EVENT_RETENTION_DAYS = "1 year" is not a whole number of days (the worker would use 400)',
    ]);
    const replica = variant((t) => t.replace(/^(ALLOWED_ORIGINS = .*)$/m, '$1\nDECIDE_READS = "replica"'));
    const checked = await problemsOf(replica);
    expect(checked.problems).toEqual([]);
    expect(checked.notes).toContainEqual(expect.stringContaining('turn on read replication'));
  });

  it('refuses a missing database binding and missing rate limits', async () => {
    const file = variant((t) => t.replace(/\[\[d1_databases\]\][^[]*/, '').replace(/\[\[ratelimits\]\][^[]*/g, ''));
    const { problems } = await problemsOf(file);
    expect(problems).toEqual([
      expect.stringContaining('No D1 database bound as DB'),
      expect.stringContaining('No [[ratelimits]] binding RL_VISITOR'),
      expect.stringContaining('No [[ratelimits]] binding RL_CLIENT'),
    ]);
  });

  it('refuses the example rate-limit ids unless confirmed, and shared ids always', async () => {
    const example = variant((t) => t.replace('"47311"', '"1001"'));
    expect((await problemsOf(example)).problems).toEqual([expect.stringContaining('namespace_id 1001 is the example value')]);
    expect((await problemsOf(example, { confirmRatelimitIds: true })).problems).toEqual([]);
    const shared = variant((t) => t.replace('"47312"', '"47311"'));
    expect((await problemsOf(shared, { confirmRatelimitIds: true })).problems).toEqual([
      expect.stringContaining('share namespace_id 47311'),
    ]);
  });

  it('notes a workers.dev address next to the custom domain (outside Cloudflare Access)', async () => {
    const file = variant((t) => t.replace('workers_dev = false', 'workers_dev = true'));
    const { problems, notes } = await problemsOf(file);
    expect(problems).toEqual([]);
    expect(notes).toEqual([expect.stringContaining('workers_dev is not false')]);
  });

  it('reports a missing config as a usage error', async () => {
    const { code, out } = await deployCheck('--config', path.join(dir, 'nope.toml'));
    expect(code).toBe(2);
    expect(out).toContain('no config at');
  });
});
