/**
 * @module
 * The page globals, named once so the bundle names them once.
 */
export const d = document;
export const w = window as any;
