/**
 * @module
 * Random ids for visitors and events: URL- and cookie-safe `[A-Za-z0-9_-]`, so they pass the
 * server's id checks as they are and never need escaping.
 */

/** What the server accepts as a visitor id (16 to 64 of `[A-Za-z0-9_-]`). */
export const VISITOR_ID = /^[\w-]{16,64}$/;

/** Slot names, event kinds and categories are slugs on the server; anything else is dropped here. */
export const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * A random id of 24 base-36 symbols (~124 bits, as much as a UUID). Base 36 is a subset of what
 * the server accepts and needs no alphabet table in the bundle; `byte % 36` is a hair uneven,
 * which costs under a bit of entropy in total.
 * @example rid() // "q3v0bx9klr2zt7mpaa1qk8d2"
 */
export const rid = () => [...crypto.getRandomValues(new Uint8Array(24))].map((b) => (b % 36).toString(36)).join('');
