/**
 * @module
 * What a production deploy must not ship from dist/public: the demo site (/demo), which is local
 * dev's sample member site. `npm run deploy` builds with `--production`, which prunes it.
 */
import { existsSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Paths under dist/public that exist for local dev only. */
export const DEV_ONLY_ASSETS = ['demo'];

/**
 * Removes the dev-only assets from a built public directory; returns what it removed.
 * @example pruneDevAssets('dist/public') // ['demo']
 */
export function pruneDevAssets(publicDir) {
  const removed = [];
  for (const rel of DEV_ONLY_ASSETS) {
    const target = path.join(publicDir, rel);
    if (!existsSync(target)) continue;
    rmSync(target, { recursive: true, force: true });
    removed.push(rel);
  }
  return removed;
}
