/**
 * @module
 * One D1 round trip for the reads, and one for the writes, of a whole queue batch: the writes
 * queue's consumer applies up to 100 pages of different visitors at once, and each visitor's
 * pipeline run used to make its own read and its own batch — two D1 calls per visitor, each a
 * network round trip to the database's region and a statement run of D1's single writer.
 *
 * - Reads: every visitor's read goes in one D1 call, many visitors per statement (`readStates`).
 * - Writes: each run hands its write (what `writeProfile` would write) to a `SharedWrite`, which
 *   sends them all in one D1 batch, a few statements for all of them (profile-writes.ts), once
 *   every run has either handed over its write or finished without one. Every row is guarded by
 *   its own profile's version, so a lost race (a concurrent decide or collect wrote that profile)
 *   leaves only that visitor's rows without effect, and that run re-reads and retries alone.
 * - Failures stay per visitor: D1 runs a batch as one transaction, so if the shared batch fails,
 *   every run takes it as a lost race — reads again and writes on its own — and only a run whose
 *   own write fails fails (the consumer then retries that visitor's messages).
 */
import { type ProfileState, type ProfileWrite, type VisitorRead, visitorStateOf, visitorStatesStatement } from '../profile-store';
import { type PreparedRow, prepareWrite, profileWritesStatements } from '../profile-writes';
import type { ServiceContext } from '../context';

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
    console.error(`shared read failed, reading per visitor: ${String((err as Error)?.message ?? err)}`);
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

/** A run's write, serialized, waiting for the batch. */
interface Pending {
  prepared: PreparedRow;
  resolve: (ok: boolean) => void;
}

/** Writes per shared D1 batch: a batch is one transaction, kept short for D1's single writer. */
export const MAX_SHARED_WRITES = 100;

/**
 * The writes go as a few statements for all of them (profile-writes.ts), one D1 batch per
 * `MAX_SHARED_WRITES` writes or `MAX_SHARED_BYTES` of JSON. Two runs whose profile is one row (a
 * member's two browsers) cannot both write it in one batch: the later one is a lost race at
 * once, as it would be against the first one's version, and writes on its own.
 * @example
 *   const shared = sharedWrite(ctx, runs.length);
 *   await Promise.all(runs.map((run) => updateProfile(ctx, subject, run.events, { write: true, firstWrite: shared.write }).finally(...)));
 */
export function sharedWrite({ d1 }: Pick<ServiceContext, 'd1'>, runs: number): SharedWrite {
  let waiting = runs;
  const pending: Pending[] = [];
  const flush = async () => {
    const rows = new Set<string>();
    const items = pending.splice(0).filter((i) => {
      const { state } = i.prepared.w;
      const row = `${state.target}:${state.targetId}`;
      if (!rows.has(row)) return rows.add(row);
      i.resolve(false);
      return false;
    });
    for (const group of chunks(items, (i) => i.prepared.bytes, MAX_SHARED_WRITES)) {
      try {
        const prepared = profileWritesStatements(
          d1,
          group.map((i) => i.prepared),
        );
        const applied = prepared.settle(await d1.batch(prepared.statements));
        for (const [k, i] of group.entries()) i.resolve(applied[k] === true);
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
      let prepared: PreparedRow;
      try {
        prepared = await prepareWrite(w);
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

/** Consecutive groups of `items`, at most `most` each and MAX_SHARED_BYTES of JSON. */
function chunks<T>(items: T[], bytes: (t: T) => number, most: number): T[][] {
  const out: T[][] = [];
  let size = 0;
  for (const item of items) {
    const b = bytes(item);
    const last = out.at(-1);
    if (last && last.length < most && size + b <= MAX_SHARED_BYTES) {
      last.push(item);
      size += b;
    } else {
      out.push([item]);
      size = b;
    }
  }
  return out;
}
