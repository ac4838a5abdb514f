/**
 * @module
 * One D1 round trip for the reads, and one for the writes, of a whole queue batch: the writes
 * queue's consumer applies up to 100 pages of different visitors at once, and each visitor's
 * pipeline run used to make its own read and its own batch — two D1 calls per visitor, each a
 * network round trip to the database's region and a statement run of D1's single writer.
 *
 * - Reads: every visitor's read goes in one D1 call, many visitors per statement (`readStates`).
 * - Writes: each run hands its write (the statements `writeProfile` would send) to a
 *   `SharedWrite`, which sends them all in one D1 batch once every run has either handed over its
 *   write or finished without one. Every statement is guarded by its own profile's version, so a
 *   lost race (a concurrent decide or collect wrote that profile) leaves only that visitor's
 *   statements without effect, and that run re-reads and retries alone.
 * - Failures stay per visitor: D1 runs a batch as one transaction, so if the shared batch fails,
 *   every run takes it as a lost race — reads again and writes on its own — and only a run whose
 *   own write fails fails (the consumer then retries that visitor's messages).
 */
import {
  type PreparedWrite,
  type ProfileState,
  type ProfileWrite,
  profileWriteStatements,
  type VisitorRead,
  visitorStateOf,
  visitorStatesStatement,
} from '../profile-store';
import type { ServiceContext } from '../context';

/** Statements per shared D1 batch: a batch is one transaction, kept short for D1's single writer. */
export const MAX_SHARED_STATEMENTS = 100;
/** JSON bound by one shared batch (D1 allows 2 MB per value; this keeps a whole batch small). */
export const MAX_SHARED_BYTES = 1_000_000;

/** Visitors per read statement: a statement's rows stay well within what D1 returns at once. */
export const VISITORS_PER_READ = 50;

/**
 * Reads several visitors' states in one D1 call — one statement per `VISITORS_PER_READ` visitors
 * (null for each if that call fails: the runs then read on their own).
 * @example const states = await readStates(ctx, [{ visitorId, eventIds, now }]);
 */
export async function readStates({ d1 }: Pick<ServiceContext, 'd1'>, reads: VisitorRead[]): Promise<(ProfileState | null)[]> {
  if (reads.length < 2) return reads.map(() => null);
  try {
    const groups: VisitorRead[][] = [];
    for (let i = 0; i < reads.length; i += VISITORS_PER_READ) groups.push(reads.slice(i, i + VISITORS_PER_READ));
    const statements = await Promise.all(groups.map((group) => visitorStatesStatement(d1, group)));
    const rows = (await d1.batch(statements)).flatMap((r) => r.results);
    if (rows.length !== reads.length) throw new Error(`expected ${reads.length} rows, got ${rows.length}`);
    return rows.map((row, i) => visitorStateOf(row, reads[i]!.visitorId));
  } catch (err) {
    console.error(`writes: shared read failed, reading per visitor: ${String((err as Error)?.message ?? err)}`);
    return reads.map(() => null);
  }
}

/** Collects the first write of `runs` pipeline runs and sends them as one D1 batch. */
export interface SharedWrite {
  /** A run's write (`updateProfile`'s `firstWrite`): resolves with whether it applied. */
  write(w: ProfileWrite): Promise<boolean>;
  /** A run that ended without handing over a write (nothing new, erased, failed). */
  skip(): void;
}

/**
 * @example
 *   const shared = sharedWrite(ctx, runs.length);
 *   await Promise.all(runs.map((run) => updateProfile(ctx, subject, run.events, { write: true, firstWrite: shared.write }).finally(...)));
 */
export function sharedWrite({ d1 }: Pick<ServiceContext, 'd1'>, runs: number): SharedWrite {
  let waiting = runs;
  const pending: { prepared: PreparedWrite; resolve: (ok: boolean) => void }[] = [];
  const flush = async () => {
    const items = pending.splice(0);
    for (const group of chunks(
      items,
      (i) => i.prepared.statements.length,
      (i) => i.prepared.bytes,
    )) {
      try {
        const results = await d1.batch(group.flatMap((i) => i.prepared.statements));
        let at = 0;
        for (const i of group) {
          const mine = results.slice(at, (at += i.prepared.statements.length));
          i.resolve(i.prepared.settle(mine));
        }
      } catch (err) {
        // The batch is one transaction: none of it was kept — or all of it, if the call failed
        // after D1 committed. Either way each run treats it as a lost race: it reads again and
        // writes on its own (a write already kept is then seen, and nothing is stored twice).
        console.error(`writes: shared batch failed, writing per visitor: ${String((err as Error)?.message ?? err)}`);
        for (const i of group) i.resolve(false);
      }
    }
  };
  const arrive = () => {
    waiting--;
    if (waiting === 0) void flush();
  };
  return {
    async write(w) {
      let prepared: PreparedWrite;
      try {
        prepared = await profileWriteStatements(d1, w);
      } catch (err) {
        arrive();
        throw err;
      }
      return new Promise<boolean>((resolve) => {
        pending.push({ prepared, resolve });
        arrive();
      });
    },
    skip: arrive,
  };
}

/** Consecutive groups of `items` within MAX_SHARED_STATEMENTS statements and MAX_SHARED_BYTES. */
function chunks<T>(items: T[], statements: (t: T) => number, bytes: (t: T) => number = () => 0): T[][] {
  const out: T[][] = [];
  let n = 0;
  let size = 0;
  for (const item of items) {
    const s = statements(item);
    const b = bytes(item);
    const last = out.at(-1);
    if (last && n + s <= MAX_SHARED_STATEMENTS && size + b <= MAX_SHARED_BYTES) {
      last.push(item);
      n += s;
      size += b;
    } else {
      out.push([item]);
      n = s;
      size = b;
    }
  }
  return out;
}
