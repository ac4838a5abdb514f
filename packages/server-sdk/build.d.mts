/** The generated src/events.ts text, from the edge's zod schemas (see build.mjs). */
export function eventsModule(): Promise<string>;
