/** Types for production-assets.mjs. */
export const DEV_ONLY_ASSETS: string[];
export function pruneDevAssets(publicDir: string): string[];
