/**
 * @module
 * The embed (`/dw.js`): reads its config from its own script tag, drains the pre-load queue
 * (`window.dashiwake = [...]`) and replaces it with the API, sends ONE `/v1/decide` per page view
 * and swaps slot contents. Every entry point is wrapped: nothing may ever throw into the host page.
 *
 * @example
 *   <script async src="https://edge.example.com/dw.js" data-dw-timeout="1000"></script>
 *   <div data-dw-slot="hero">Default hero</div>
 *   <script src="/site.js"></script> <!-- (window.dashiwake = window.dashiwake || []).push(['track', 'login']) -->
 */
import { allowed } from './consent';
import { d, w } from './env';
import { adoptStyles, banner, fill, pend, reveal, slotElements } from './dom';
import { makeEvent, pageUrl, pageView, slotNames } from './events';
import { rid, SLUG, VISITOR_ID } from './ids';
import { capped, parseQueue, pick, without, type Ev } from './queue';
import { safe } from './safe';
import { setTokenCookie, setVidCookie, store, vidCookie } from './storage';
import { heldUntil, post, retryAt, settled } from './transport';

const none = () => Promise.resolve();
/** Events wait this long to be sent together. */
const FLUSH_MS = 1000;
/** The DOM event fired on `document` once slots are decided (or timed out). */
const READY = 'dashiwake:ready';

/** What `identify` resolves to. */
type Identified = { ok: true; memberId: string; segment: string | null } | { ok: false; error: string };

function init(script: HTMLScriptElement, prev: unknown[]) {
  const data = script.dataset;
  const endpoint = (data.dwEndpoint || new URL(script.src).origin).replace(/\/+$/, '');
  const url = new URL(location.href);
  const preview = url.searchParams.get('dw_preview') || undefined;
  if (preview) {
    // The token is for this page's decide only: left in the address bar it would be bookmarked,
    // shared, or reloaded into a preview nobody asked for. Other parameters and the hash stay.
    url.searchParams.delete('dw_preview');
    safe(() => history.replaceState(history.state, '', url.href))();
  }

  let optedOut = store('dw_optout') == '1';
  const consentRequired = data.dwConsent == 'required';
  /** Consent is remembered on this device (first-party storage) once the site gave it. */
  let consentGiven: unknown = store('dw_consent');
  /** Consent given on this page: its decide personalises the page even after the load phase. */
  let late: any;
  let vid: string | null | void;
  /**
   * The visitor id was made on this page and nothing has been sent with it yet: the first decide
   * says so (`new`), and the edge answers from an empty profile without reading storage.
   */
  let made: any;
  let queue = parseQueue(store('dw_queue'));
  /** Nothing is sent to /v1/collect or /v1/decide before this time (the edge's Retry-After). */
  let until = heldUntil(store('dw_retry'));
  /**
   * Requests carrying events that have not answered yet (out, or waiting for their turn). A collect
   * is not started while there is one, so an event is not sent twice at once and a collect never
   * waits for a turn (a re-decide may: it resends what the collect carries, deduped by id).
   */
  let inFlight = 0;
  /**
   * How long the page-load decide may keep the slots waiting, and the longest a request waits for
   * its turn (a request not answered by then holds nobody back: the next goes without its token).
   */
  const ms = +data.dwTimeout! || 1500;
  /**
   * Decides and collects go one at a time: each uses up the profile token and its answer brings
   * the next, so this is the last request's turn, over once its answer's token is kept.
   */
  let turn: Promise<unknown> = none();
  let flushTimer: any;
  /**
   * The page-load decide has been sent. Set from the start when the edge already decided this page
   * (rewrite mode): its slots arrived filled and its page_view is stored, so no decide and no
   * page_view from here; tracking works as on any page.
   */
  const edge = d.querySelector('meta[name="dw:decided"]');
  let started: any = edge;
  /** The page-load phase is over (decided or timed out): later answers no longer swap slots. */
  let done: any;
  let last: any;
  /** Experiment → arm already pushed to dataLayer on this page. */
  const exposed: Record<string, string> = {};

  // Preview pages write nothing: no id, no events; only the decide (the server writes nothing either).
  const can = () => !preview && allowed(optedOut, consentRequired, consentGiven);
  /** May the page's slots be decided? */
  const may = () => preview || can();

  /** Makes `id` this browser's visitor id, in the cookie (for two years) and in localStorage. */
  function remember(id: string) {
    // Only when it changes: rewriting a cookie the site's server set would, in Safari, turn it
    // into a script-set one capped at 7 days.
    if (vidCookie() != (vid = id)) setVidCookie(id);
    store('dw_vid', id);
  }

  /** The visitor id (cookie first, then localStorage), created on first use; null when not allowed. */
  function visitorId() {
    const known = vidCookie() || store('dw_vid');
    return can() ? vid || (remember(VISITOR_ID.test(known!) ? known! : ((made = true), rid())), vid) : null;
  }

  const save = () => can() && store('dw_queue', JSON.stringify(queue));

  /**
   * Forgets the visitor on this device (opt-out, consent withdrawn, reset). The cookie keeps "-"
   * instead of an id: in rewrite mode the edge reads it and neither decides nor makes a new id.
   */
  function wipe() {
    vid = null;
    queue = [];
    setVidCookie('-');
    store('dw_vid', null);
    store('dw_queue', null);
    store('dw_pt', null);
    setTokenCookie();
  }

  /** Milliseconds until the edge may be sent events again (0 or less: now). */
  const wait = () => until - Date.now();

  /**
   * Sends `events` with a request; drops them from the queue once the server answered for them.
   * A 429 or 503 also says when to try again: kept for this page and the next ones.
   */
  function send(path: string, body: any, events: Ev[]) {
    inFlight++;
    // In turn: a request made while another is out waits for its answer and sends the token that
    // answer brought (kept once its body is read: `b`), so neither answer lacks the other's events.
    const mine = new Promise((go) => (turn.then(go), setTimeout(go, ms))).then(() => {
      // Read before it is dropped below; `new` only on the first request of an id made on this page.
      body.token = store('dw_pt');
      body.new = made;
      // The profile token goes with every decide and collect and is used up by it (the edge's
      // token cookie too); the answer brings the next one (docs/storage.md).
      store('dw_pt', null);
      setTokenCookie();
      made = undefined;
      return post(endpoint + path, body).then((res) => {
        inFlight--;
        if (res) {
          // The answer's token (a decide's, or a collect's: the previous page, queued or stored,
          // and the collect's events) is for the next request; none: the next decide reads. On a
          // page the edge decided, the next request is the edge's next page: the cookie carries
          // it there. Kept before a caller sees the body (`b`, undefined when not JSON), so a
          // page left right after its answer has it.
          (res as any).b = res.json().then((b: any) => (can() && (store('dw_pt', b.token), edge && setTokenCookie(b.token)), b), none);
          if (settled(res.status)) {
            queue = without(queue, events);
            save();
          }
          const at = retryAt(res);
          if (at > until) can() && store('dw_retry', '' + (until = at));
        }
        return res;
      });
    });
    turn = mine.then((res: any) => res && res.b, none);
    return mine;
  }

  /** Flushes in `ms`, unless a flush is already planned. */
  function later(ms: number) {
    flushTimer = flushTimer || setTimeout(safe(flush), ms);
  }

  /**
   * Sends queued events to `/v1/collect`, batch after batch. If the page is gone before the answer
   * comes, the events stay queued and ride along with the next page's decide (deduped by id).
   */
  function flush(): void {
    // A pending timer may still fire: it then finds nothing (or only new events) to send.
    flushTimer = 0;
    if (wait() > 0) return later(wait());
    const events = can() && !inFlight ? pick(queue) : [];
    if (events.length) send('/v1/collect', { visitorId: visitorId(), events }, events).then((res) => res && settled(res.status) && flush());
  }

  function enqueue(e: Ev) {
    queue = capped(queue, e);
    save();
  }

  /** Ends the page-load phase: show slots, fire `dashiwake:ready` (which runs ready callbacks). */
  function finish() {
    if (!done) {
      done = 1;
      reveal();
      d.dispatchEvent(new CustomEvent(READY, { detail: last }));
    }
  }

  /**
   * Applies a decide answer to the slots: never after the page-load timeout (no late flicker),
   * unless the visitor consented only then and is waiting to see the page respond. `edge`: the
   * edge's own decision of this page (its slots arrived filled): only `dataLayer` and `ready`.
   */
  function apply(res: any, first: unknown, els: HTMLElement[], edge?: unknown) {
    if ((first && done && !late) || !res.slots) return;
    last = res;
    const seg = res.segment;
    const dl = w.dataLayer;
    for (const el of els) {
      const dec = res.slots[el.dataset.dwSlot!];
      edge || safe(fill)(el, dec && dec.content && dec.content.html);
      const exp = dec && dec.experiment;
      if (exp && dl && exposed[exp] != dec.arm)
        safe(() => dl.push({ event: 'dw_exposure', dw_experiment: exp, dw_arm: (exposed[exp] = dec.arm), dw_segment: seg && seg.key }))();
    }
    if (preview) banner('Preview: ' + (seg ? seg.name : '-'));
  }

  /**
   * Decides the page's slots. `first`: the page-load decide, which carries this page's page_view;
   * otherwise a re-decide (after identify, or `refresh()`) with whatever is still queued.
   * Callers check `may()`. Never rejects. (Preview: a throwaway visitor id, as nothing is stored.)
   */
  function decide(first?: boolean): Promise<void> {
    const url = pageUrl();
    const els = slotElements();
    const slots = slotNames(els.map((el) => el.dataset.dwSlot!));
    const pv = first && pageView((d.querySelector('meta[name="dw:category"]') || ({} as any)).content, url);
    // Oldest undelivered first, this page's view last: always inside the 50-event limit. A preview
    // sends none (nothing of it is stored).
    const events: Ev[] = preview ? [] : pick(queue, 49).concat(pv ? (enqueue(pv), pv) : []);
    return (
      // While the edge asked for quiet, slots keep their defaults and the page view waits queued.
      (
        slots.length && wait() <= 0
          ? // `preview` is left out of the JSON when undefined (not opened from a preview link).
            // `token`: the profile token of the previous answer (docs/storage.md), so the edge needs no read.
            send('/v1/decide', { visitorId: visitorId() || rid(), url, slots, events, preview }, preview ? [] : events)
              // No answer or not JSON: throws below, caught. An error body has no `slots`.
              .then((res: any) => res.b)
              // Degraded: the edge could not store this request's events; keep them for a resend.
              .then((res: any) => (res.degraded && events.map(enqueue), apply(res, first, els)))
          : none()
      )
        .catch(none)
        .then(
          safe(() => {
            if (first) finish();
            // Whatever did not fit (or there were no slots) goes out as plain events.
            flush();
          }),
        )
    );
  }

  function start() {
    if (!started && may()) {
      started = 1;
      decide(true);
    }
  }

  function track(type: unknown, props?: unknown) {
    const e = can() && makeEvent(type, props);
    if (e) {
      enqueue(e);
      later(FLUSH_MS);
    }
  }

  /**
   * Tells the edge who this visitor is (a token signed by the site's server). The edge answers
   * with a new visitor id for the signed-in browser (the old one no longer follows the member),
   * which replaces ours; then the slots are re-decided. Resolves to `{ok: true, memberId,
   * segment}` or `{ok: false, error}` with the server's error code, `network` (no usable answer)
   * or `not_allowed` (opted out, no consent yet, preview); never rejects.
   */
  function identify(token: unknown): Promise<Identified> {
    const from = visitorId();
    return (from ? post(endpoint + '/v1/identify', { visitorId: from, token }) : none())
      .then((res) =>
        res!.json().then((body: any): Identified | Promise<Identified> => {
          if (!res!.ok) return { ok: false, error: body.error.code };
          // Unless reset() (or an opt-out) replaced the visitor while the request was out.
          if (vid == from && VISITOR_ID.test(body.visitorId)) remember(body.visitorId);
          return decide().then(() => ({ ok: true, memberId: body.memberId, segment: body.segment }));
        }),
      )
      .catch(() => ({ ok: false, error: from ? 'network' : 'not_allowed' }));
  }

  const api: Record<string, Function> = {
    /** Runs a command: `['track', 'login']`, `['consent', true]`, `['ready', fn]`… */
    push: (cmd: any[]) => api[cmd[0]]!(...cmd.slice(1)),
    track,
    convert: (goal: unknown, props?: unknown) => track('conversion', { ...(props as object), goal }),
    identify,
    /** Re-decides the page's slots now (e.g. after the visitor did something that changes their segment). */
    refresh: () => (may() ? decide() : none()),
    // Callbacks ride on the DOM event; wrapped, so a failing callback is not reported as ours.
    ready(cb: (r: unknown) => void) {
      const run = safe(() => cb(last));
      done ? run() : d.addEventListener(READY, run);
    },
    visitorId,
    /**
     * Starts a new visitor on this device (sign-out, shared PCs): a new id, and the queued events
     * of the previous one are dropped. Slots stay as they are until the next page or `refresh()`.
     */
    reset() {
      wipe();
      // Made now, so the next page finds it even if this one sends nothing more.
      visitorId();
    },
    optOut() {
      optedOut = true;
      wipe();
      store('dw_optout', '1');
    },
    optIn() {
      optedOut = false;
      store('dw_optout', null);
      start();
    },
    /** `['consent', true]` on sites embedding with `data-dw-consent="required"`; false withdraws it. */
    consent(yes: unknown) {
      store('dw_consent', (consentGiven = yes) ? '1' : null);
      if (yes) (late = 1), start();
      else wipe();
    },
  };
  for (const k in api) api[k] = safe(api[k] as (...a: unknown[]) => unknown);

  adoptStyles();

  d.addEventListener(
    'click',
    safe((ev: Event) => {
      const a = (ev.target as Element).closest('[data-dw-download]') as HTMLAnchorElement | null;
      const kind = a && a.dataset.dwDownload!;
      if (a) track('download', { asset: a.href || kind, kind: SLUG.test(kind!) ? kind : undefined });
    }),
    true,
  );
  // "hidden" is the last event browsers reliably fire on tab close and navigation: send what is left.
  d.addEventListener(
    'visibilitychange',
    safe(() => d.visibilityState == 'hidden' && flush()),
  );

  w.dashiwake = api;
  // Decided by the edge: its decision, written after the page, gives the same dataLayer entries.
  // Its token (with the writes queue) is for the next request: a collect sends it (so a page
  // still in the queue counts there), and the edge's next page reads it from the dw_pt cookie.
  started &&
    safe(() => {
      const res = JSON.parse((d.querySelector('#dw-decision') as any).text);
      can() && (store('dw_pt', res.token), setTokenCookie(res.token));
      apply(res, 0, slotElements(), 1);
    })();
  // Opted out, no consent (yet) or decided by the edge: no decide is coming, so the page shows its
  // defaults at once. Otherwise only the slots wait, and only while a decide may still come.
  setTimeout(safe(finish), started || !may() ? 0 : (pend(slotElements()), ms));
  prev.forEach(api.push as (c: unknown) => void);
  start();
}

// Set for classic scripts, async ones included (when it is not, init throws and stays inert). Read
// now: it is null once this first run is over.
const script = d.currentScript as HTMLScriptElement;
/**
 * Starts once the slots are in the DOM: an async script can run before the body is parsed (e.g.
 * from cache). Until then `window.dashiwake` stays the pre-load queue, which the README asks
 * pages to use anyway. A second copy of the script leaves the first one (the API has no forEach)
 * in charge.
 */
const boot = safe(() => {
  const prev = w.dashiwake || [];
  if (prev.forEach) init(script, prev);
});
d.readyState == 'loading' ? d.addEventListener('DOMContentLoaded', boot) : boot();
