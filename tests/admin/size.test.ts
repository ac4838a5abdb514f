/**
 * The console's initial download stays within its budget: the admin is built (as `npm run build`
 * does, into a temporary folder) and measured by admin/size.mjs, the same function the bench and
 * the build use. Also checks what keeps it small: zod and the screens' editors are not in the first
 * download, and each language is a chunk of its own (a visit loads one, not both).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_GZIP_BUDGET, adminInitialSize } from '../../admin/size.mjs';

const root = path.resolve(import.meta.dirname, '../..');
let out = '';

beforeAll(async () => {
  out = mkdtempSync(path.join(tmpdir(), 'dw-admin-size-'));
  await build({
    configFile: path.join(root, 'admin/vite.config.ts'),
    logLevel: 'silent',
    build: { outDir: out, emptyOutDir: true, sourcemap: true },
  });
}, 120_000);

afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe('admin initial download', () => {
  it('is within the 60 KB min+gzip budget, counting one language', () => {
    const size = adminInitialSize(out);
    expect(size.budget).toBe(60 * 1024);
    expect(size.language?.file).toMatch(/^assets\/lang-ja-/);
    expect(size.files).toContain(size.language?.file);
    expect(size.gzip, `initial download ${size.gzip} B gzip: ${size.files.join(', ')}`).toBeLessThanOrEqual(ADMIN_GZIP_BUDGET);
  });

  it('loads each language as its own chunk, not from index.html', () => {
    const assets = readdirSync(path.join(out, 'assets'));
    expect(assets.filter((f) => /^lang-(en|ja)-.*\.js$/.test(f)).length).toBe(2);
    expect(readFileSync(path.join(out, 'index.html'), 'utf8')).not.toMatch(/lang-(en|ja)-/);
  });

  it('keeps zod and the editors out of the first download', () => {
    const size = adminInitialSize(out);
    const sources = size.files
      .filter((f) => f.endsWith('.js'))
      .flatMap((f) => JSON.parse(readFileSync(path.join(out, `${f}.map`), 'utf8')).sources as string[]);
    expect(sources.length).toBeGreaterThan(10);
    expect(sources.filter((s) => /node_modules\/zod\//.test(s))).toEqual([]);
    expect(sources.filter((s) => /(RuleBuilder|ConditionEditor|FitRulesTable|ScoreChart|CvrChart)\.tsx$/.test(s))).toEqual([]);
  });
});
