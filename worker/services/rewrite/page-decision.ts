/**
 * @module
 * One proxied page's decision, in the order the page streams past the edge:
 *
 * 1. `start()` — as soon as the request looks like a page load, the visitor's profile read (and
 *    the rate-limit check) starts, beside the origin fetch.
 * 2. `decide(slot, category)` — at the first slot element: the page view (with the page's
 *    `<meta name="dw:category">`, read on the way) is applied and the slot decided, by the same
 *    function as `/v1/decide`. The page waits at most `REWRITE_WAIT_MS` for it; past that, or on
 *    any error, it resolves null and the page goes out as the origin sent it. A decision that
 *    comes too late stores nothing, so the snippet's own page view (it then decides as usual)
 *    is the only one.
 * 3. `slot(name)` — later slots, from the same snapshot; arms they enter are stored after the page.
 * 4. `finish()` — at the end of the document.
 *
 * Writes never hold the page: the first one runs while the rest of the page streams, the second
 * (only when a later slot entered an arm) after it, both kept alive with `waitUntil`.
 */
import { createDb } from '../../db/client';
import type { Env } from '../../env';
import { newVisitorId } from '../../lib/ids';
import { backgroundD1 } from '../../middleware/db';
import { rateLimited } from '../../middleware/rate-limit';
import type { Decision } from '../../schema/api';
import { decideVisitor, type Decided } from '../decide';
import { validateEvents } from '../events';
import { updateProfile, type PipelineContext } from '../pipeline';
import { readVisitorState, type ExposureRow, type ProfileState } from '../profile-store';

/** How long the first slot waits for the decision before the page goes out with its defaults. */
export const REWRITE_WAIT_MS = 300;

/** Thrown from the decision's callback when the page already went out without it: nothing is stored. */
class TooLate extends Error {}

export interface PageDecision {
  readonly visitorId: string;
  /** The id of the page view the edge stores (also `<meta name="dw:decided">`'s content). */
  readonly pageViewId: string;
  start(): void;
  decide(slot: string, category: string | null): Promise<Decided | null>;
  slot(name: string): Decision | null;
  finish(): void;
}

export interface PageDecisionInput {
  env: Env;
  waitUntil: (work: Promise<unknown>) => void;
  visitorId: string;
  /** The page's public URL (stored trimmed, as the snippet's page views are). */
  url: string;
  /** `CF-Connecting-IP`, for the per-client rate limit. */
  client: string | null;
  now?: number;
  waitMs?: number;
}

/**
 * @example
 *   const page = pageDecision({ env, waitUntil: (p) => ctx.waitUntil(p), visitorId, url: req.url, client });
 *   page.start();                                   // beside the origin fetch
 *   const decided = await page.decide('hero', 'pricing'); // at the first slot
 */
export function pageDecision(input: PageDecisionInput): PageDecision {
  const now = input.now ?? Date.now();
  const waitMs = input.waitMs ?? REWRITE_WAIT_MS;
  const pageViewId = newVisitorId();
  // Outside Hono's request context: the binding through the one place that wraps it.
  const d1 = backgroundD1(input.env);
  const ctx: PipelineContext = { d1, db: createDb(d1), now };
  let firstRead: Promise<ProfileState> | undefined;
  let limited: Promise<unknown> | undefined;
  let decided: Decided | null = null;
  /** The first write (page view, first slot's arm); later arms are stored after it. */
  let stored: Promise<unknown> = Promise.resolve();
  const later = new Map<string, ExposureRow>();

  function start() {
    if (firstRead) return;
    firstRead = readVisitorState(ctx.d1, input.visitorId, [pageViewId], now);
    limited = rateLimited(input.env, input.visitorId, input.client);
    // Handled here so a page that turns out not to need them (not HTML, no slot) leaves no
    // unhandled rejection; the decision still sees the failure when it awaits them.
    firstRead.catch(() => {});
    limited.catch(() => {});
  }

  function decide(slot: string, category: string | null): Promise<Decided | null> {
    start();
    const raw = { id: pageViewId, type: 'page_view', url: input.url, props: category ? { category } : {} };
    const { events } = validateEvents([raw], { now, source: 'browser' });
    let late = false;
    return new Promise<Decided | null>((resolve) => {
      const timer = setTimeout(() => {
        late = true;
        resolve(null);
      }, waitMs);
      const work = (async () => {
        if (await limited) throw new TooLate('rate limited: this page stays as the origin sent it');
        await decideVisitor(
          ctx,
          { visitorId: input.visitorId, slots: [slot], events },
          {
            firstRead,
            onDecided: (d) => {
              // Runs before the write: throwing here stores nothing for a page sent without it.
              if (late) throw new TooLate('the page went out with its defaults');
              clearTimeout(timer);
              decided = d;
              resolve(d);
            },
          },
        );
      })();
      stored = work.catch((err) => {
        clearTimeout(timer);
        if (!(err instanceof TooLate)) console.error('edge decision failed; the page keeps its defaults', err);
        resolve(null);
      });
      input.waitUntil(stored);
    });
  }

  function slot(name: string): Decision | null {
    if (!decided) return null;
    if (name in decided.slots) return decided.slots[name] ?? null;
    const more = decided.more([name]);
    for (const x of more.exposures) if (!later.has(x.experiment)) later.set(x.experiment, x);
    decided.slots[name] = more.slots[name] ?? null;
    return decided.slots[name] ?? null;
  }

  function finish() {
    if (!decided || !later.size) return;
    const exposures = [...later.values()];
    later.clear();
    input.waitUntil(
      stored
        .then(() =>
          updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, [], {
            write: true,
            step: ({ profile }) => ({ extra: undefined, exposures: exposures.filter((x) => !profile.exposures[x.experiment]) }),
          }),
        )
        .catch((err) => console.error('edge decision: storing later slots failed', err)),
    );
  }

  return { visitorId: input.visitorId, pageViewId, start, decide, slot, finish };
}
