/**
 * @module
 * Event and trait types. `EventPropsByType` is generated from the edge's own zod schemas
 * (src/events.ts, by build.mjs), so a misspelt event type or a missing prop fails to compile.
 */
import type { EventPropsByType } from './events';

export type { EventPropsByType };
export type EventType = keyof EventPropsByType;
/** Props are flat: strings (≤ 256 characters), numbers, booleans. */
export type PropValue = string | number | boolean;
export type Traits = Record<string, PropValue>;

type PropsFor<T extends EventType> = EventPropsByType[T] & { [key: string]: PropValue | undefined };

/** One server event: `props` is required exactly when the type has required props. */
export type ServerEvent = {
  [T in EventType]: {
    /** Your id for the event, 8–64 of A–Z a–z 0–9 _ -; resending the same id is a no-op. */
    id: string;
    type: T;
    /** When it happened (any past time); default now. */
    at?: string | Date;
    url?: string;
  } & (Record<string, never> extends EventPropsByType[T] ? { props?: PropsFor<T> } : { props: PropsFor<T> });
}[EventType];
