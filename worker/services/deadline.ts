/**
 * @module
 * Bounds how long a visitor waits on storage: past the deadline the caller answers with
 * default content (fail open for visitors, DESIGN principle 4).
 */
export class DeadlineError extends Error {}

export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
