/**
 * @module
 * The console's one loader: the loading / ready / error state of a fetch, as a signal. The last
 * data stays on screen while it reloads (`refreshing`), and only the latest call may settle the
 * state, so a slow answer never overwrites a newer one.
 *
 * @example
 *   const quality = createLoader(() => unwrap(api.traits.quality.$get()));
 *   await quality.load();
 *   quality.state.value // {status: 'ready', data: {...}, error: null, refreshing: false}
 */
import { type ReadonlySignal, signal } from '@preact/signals';
import { ApiFailure } from '../api/client';

export type LoadState<T> =
  | { status: 'idle'; data: null; error: null; refreshing: false }
  | { status: 'loading'; data: T | null; error: null; refreshing: boolean }
  | { status: 'ready'; data: T; error: null; refreshing: false }
  | { status: 'error'; data: T | null; error: ApiFailure; refreshing: false };

export interface Loader<T, A extends unknown[]> {
  state: ReadonlySignal<LoadState<T>>;
  /** (Re)reads; resolves when done, never rejects (a failure is the `error` state). */
  load(...args: A): Promise<void>;
  /** Replaces the data in place (after a save that answered with it). */
  set(data: T): void;
  /** Back to idle (sign-out). */
  reset(): void;
}

const IDLE = { status: 'idle', data: null, error: null, refreshing: false } as const;

/**
 * A failure as the console words it: an API refusal as it came, anything else as a network problem.
 * @example asFailure(new TypeError('Failed to fetch')).code // 'network'
 */
export const asFailure = (err: unknown): ApiFailure => (err instanceof ApiFailure ? err : new ApiFailure(0, 'network', String(err)));

export function createLoader<T, A extends unknown[] = []>(read: (...args: A) => Promise<T>): Loader<T, A> {
  const state = signal<LoadState<T>>(IDLE);
  let seq = 0;
  return {
    state,
    async load(...args: A) {
      const mine = ++seq;
      const last = state.value.data;
      state.value = { status: 'loading', data: last, error: null, refreshing: last !== null };
      try {
        const data = await read(...args);
        if (mine === seq) state.value = { status: 'ready', data, error: null, refreshing: false };
      } catch (err) {
        if (mine === seq) state.value = { status: 'error', data: state.value.data, error: asFailure(err), refreshing: false };
      }
    },
    set(data: T) {
      seq++;
      state.value = { status: 'ready', data, error: null, refreshing: false };
    },
    reset() {
      seq++;
      state.value = IDLE;
    },
  };
}
