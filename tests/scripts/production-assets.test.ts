/** A production build leaves the demo site out of the uploaded assets, and nothing else. */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pruneDevAssets } from '../../scripts/production-assets.mjs';

describe('pruneDevAssets', () => {
  it('removes /demo and keeps the snippet and the console', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'dw-assets-'));
    try {
      for (const d of ['demo/files', 'admin/assets']) mkdirSync(path.join(dir, d), { recursive: true });
      for (const f of ['dw.js', '_headers', 'demo/index.html', 'demo/files/guide.pdf', 'admin/index.html'])
        writeFileSync(path.join(dir, f), 'x');
      expect(pruneDevAssets(dir)).toEqual(['demo']);
      expect(readdirSync(dir).sort()).toEqual(['_headers', 'admin', 'dw.js']);
      expect(pruneDevAssets(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
