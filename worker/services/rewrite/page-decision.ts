/**
 * @module
 * One proxied page's decision, in the order the page streams past the edge:
 *
 * 1. `start()` — as soon as the request looks like a page load, the visitor's profile read starts,
 *    beside the origin fetch.
 * 2. `decide(slot, category)` — at the first slot element: the rate-limit check, then the page
 *    view (with the page's
 *    `<meta name="dw:category">`, read on the way) is applied and the slot decided, by the same
 *    function as `/v1/decide`. The page waits at most `REWRITE_WAIT_MS` for it; past that, or on
 *    any error, it resolves null and the page goes out as the origin sent it. A decision that
 *    comes too late stores nothing, so the snippet's own page view (it then decides as usual)
 *    is the only one.
 * 3. `slot(name)` — later slots, from the same snapshot; arms they enter are stored after the page.
 * 4. `finish()` — at the end of the document.
 *
 * A returning visitor's browser may carry the profile token of the edge's previous decision (the
 * `dw_pt` cookie the snippet keeps from the page's decision block): with the writes queue, a
 * token that holds (signed, this visitor's, read at most 60 s ago, same configuration and day)
 * replaces the read — the page reads nothing from storage — and the decision hands on the next
 * page's token, as `/v1/decide` does.
 *
 * Writes never hold the page: the decision resolves the page's wait before anything is stored.
 * With `DECIDE_WRITES = "queue"` they leave the request as `/v1/decide`'s do — one writes-queue
 * message for the page view and the first slot's arm, one more only when a later slot entered an
 * arm (services/writes/consumer.ts applies them); inline, they are written while the rest of the
 * page streams. Either way the work is kept alive with `waitUntil`, never awaited by the stream.
 */
import { nextTurn } from '../../lib/turns';
import { tokenProblem } from '../../core/profile-token';
import type { Env } from '../../env';
import { newVisitorId } from '../../lib/ids';
import { profileSecret, readProfileToken } from '../../lib/profile-token';
import { decideContext, readPool } from '../../middleware/db';
import { rateLimited } from '../../middleware/rate-limit';
import type { DecideResponse, Decision } from '../../schema/api';
import { trustedConfig } from '../config-store';
import { decideQueued, decideVisitor, type Decided, type DecideOptions, type WritesProducer } from '../decide';
import { validateEvents } from '../events';
import { updateProfile } from '../pipeline';
import type { ExposureRow, ProfileState } from '../profile-store';
import { readTogether } from '../read-together';
import { writeMessage } from '../writes/message';
import { queued, settled } from '../writes/tracker';

/** How long the first slot waits for the decision before the page goes out with its defaults. */
export const REWRITE_WAIT_MS = 300;
/** How long the end of the document waits for the next page's token to be signed (it is usually already). */
const TOKEN_WAIT_MS = 50;

/** Thrown from the decision's callback when the page already went out without it: nothing is stored. */
class TooLate extends Error {}

export interface PageDecision {
  readonly visitorId: string;
  /** The id of the page view the edge stores (also `<meta name="dw:decided">`'s content). */
  readonly pageViewId: string;
  start(): void;
  decide(slot: string, category: string | null): Promise<Decided | null>;
  slot(name: string): Decision | null;
  /**
   * What the page showed, as `/v1/decide` would have answered it (without the slots' HTML, which
   * is in the page): the snippet reads it from the page (`dataLayer` exposures, `ready`).
   */
  summary(): Omit<DecideResponse, 'slots'> & { slots: Record<string, Omit<Decision, 'content'> | null> };
  /** Resolves once the next page's token is signed (or there will be none), at most `TOKEN_WAIT_MS` after it is asked. */
  tokenSigned(): Promise<void>;
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
  /** The writes queue when the deployment chose it (`DECIDE_WRITES = "queue"`); inline writes otherwise. */
  queue?: WritesProducer;
  /**
   * The edge made `visitorId` for this request (no cookie): nothing is stored under it, so with
   * the queue and a configuration this isolate trusts, the decision reads nothing at all.
   */
  minted?: boolean;
  /** The `dw_pt` cookie: the profile token of the edge's previous decision for this browser. */
  token?: string | null;
  /** Local dev only: `X-DW-D1-Delay`, a round trip put on every D1 call (the bench). */
  d1Delay?: string | null;
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
  // Outside Hono's request context: a service context over the one wrapper of the binding,
  // reading as POST /v1/decide does, at this page's instant.
  const env = input.d1Delay ? { ...input.env, D1_DELAY_MS: input.d1Delay } : input.env;
  const ctx = decideContext(env, now);
  // Pages whose reads start in the same turn share one D1 call with each other and with decides
  // (services/read-together.ts).
  const reader = readTogether(readPool(input.env), ctx);
  let started = false;
  let firstRead: Promise<ProfileState> | undefined;
  /** The cookie's token stands in for the read (checked beside the origin fetch; re-checked by the decision). */
  let tokenHolds: Promise<boolean> = Promise.resolve(false);
  const secret = input.queue && input.token ? profileSecret(input.env) : null;
  let token: string | undefined;
  let signed!: () => void;
  const tokenDone = new Promise<void>((resolve) => {
    signed = resolve;
  });
  let decided: Decided | null = null;
  /** The first write (page view, first slot's arm); later arms are stored after it. */
  let stored: Promise<unknown> = Promise.resolve();
  const later = new Map<string, ExposureRow>();

  function start() {
    if (started) return;
    started = true;
    // A new id has no profile to read: the queued decision starts from an empty one (it reads
    // only if this isolate has no recent configuration); the inline write reads for its version.
    // A token: its signature is checked first (no I/O); only a token that does not hold reads here.
    const claims = secret && input.token ? readProfileToken(secret, input.token).catch(() => null) : null;
    tokenHolds = claims
      ? claims.then((c) => {
          const trusted = trustedConfig(now);
          return !!c && !!trusted && !tokenProblem(c, { visitorId: input.visitorId, config: trusted.config, now });
        })
      : Promise.resolve(false);
    const read = () => reader(input.visitorId, [pageViewId]);
    if (input.minted && input.queue) firstRead = undefined;
    else if (!claims) firstRead = read();
    // A stale token of this visitor naming its last page: the decision's own read asks for that
    // page too (read your writes across the queue's lag), so none is started here.
    else
      firstRead = Promise.all([tokenHolds, claims]).then(([holds, c]) =>
        holds || (c?.v === input.visitorId && typeof c.l === 'string') ? (null as unknown as ProfileState) : read(),
      );
    // Handled here so a page that turns out not to need it (not HTML, no slot) leaves no
    // unhandled rejection; the decision still sees the failure when it awaits it.
    firstRead?.catch(() => {});
  }

  function decide(slot: string, category: string | null): Promise<Decided | null> {
    start();
    // Only now, not beside the origin fetch: the check is a quick local call in production, and
    // its answer, handled before the origin's, would hold the response headers.
    const limited = rateLimited(input.env, input.visitorId, input.client);
    const raw = { id: pageViewId, type: 'page_view', url: input.url, props: category ? { category } : {} };
    const { events } = validateEvents([raw], { now, source: 'browser' });
    let late = false;
    return new Promise<Decided | null>((resolve) => {
      const timer = setTimeout(() => {
        late = true;
        resolve(null);
      }, waitMs);
      const work = (async () => {
        // One turn of the event loop first, so the bytes before this slot (the head) are written
        // to the client before the decision's CPU work runs — even when all it needs is here
        // already (a token, a read that finished while the origin answered).
        await nextTurn();
        if (await limited) throw new TooLate('rate limited: this page stays as the origin sent it');
        const holds = await tokenHolds;
        const opts: DecideOptions = {
          // A token that holds needs no read; a stale one naming its last page gets the decision's own.
          firstRead: holds ? undefined : firstRead,
          read: reader,
          onToken: (t) => {
            token = t;
            signed();
          },
          onDecided: (d) => {
            // Runs before the write: throwing here stores nothing for a page sent without it.
            if (late) throw new TooLate('the page went out with its defaults');
            clearTimeout(timer);
            decided = d;
            resolve(d);
          },
        };
        const request = { visitorId: input.visitorId, slots: [slot], events, minted: input.minted };
        // The same decision as /v1/decide, its writes on the same path (queue or inline); with the
        // queue, from the cookie's token when it holds, and the next page's token is made.
        const tok = { secret: input.queue ? profileSecret(input.env) : null, token: input.token ?? undefined, background: input.waitUntil };
        await (input.queue ? decideQueued(ctx, request, input.queue, tok, opts) : decideVisitor(ctx, request, opts));
      })();
      stored = work.catch((err) => {
        clearTimeout(timer);
        signed();
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

  function summary() {
    const slots: Record<string, Omit<Decision, 'content'> | null> = {};
    for (const [name, d] of Object.entries(decided?.slots ?? {}))
      slots[name] = d && { variant: d.variant, experiment: d.experiment, arm: d.arm };
    return { visitorId: input.visitorId, segment: decided?.segment ?? null, slots, ...(token ? { token } : {}) };
  }

  function tokenSigned(): Promise<void> {
    if (!input.queue) return Promise.resolve();
    return Promise.race([tokenDone, new Promise<void>((resolve) => setTimeout(resolve, TOKEN_WAIT_MS))]);
  }

  /** Stores the arms later slots entered: one more queue message, or an inline write. */
  async function storeLater(exposures: ExposureRow[]) {
    const msg = input.queue && writeMessage(input.visitorId, [], exposures, now);
    if (input.queue && msg) {
      queued(1);
      try {
        return void (await input.queue.send(msg, { contentType: 'json' }));
      } catch (err) {
        settled(1);
        console.error(`writes: queue send failed, writing inline: ${String((err as Error)?.message ?? err)}`);
      }
    }
    await updateProfile(ctx, { kind: 'visitor', visitorId: input.visitorId }, [], {
      write: true,
      step: ({ profile }) => ({ extra: undefined, exposures: exposures.filter((x) => !profile.exposures[x.experiment]) }),
    });
  }

  function finish() {
    if (!decided || !later.size) return;
    const exposures = [...later.values()];
    later.clear();
    input.waitUntil(
      stored.then(() => storeLater(exposures)).catch((err) => console.error('edge decision: storing later slots failed', err)),
    );
  }

  return { visitorId: input.visitorId, pageViewId, start, decide, slot, summary, tokenSigned, finish };
}
