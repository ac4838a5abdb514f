/**
 * @module
 * The embed (`/dw.js`): reads its config from its own script tag, drains the pre-load queue
 * (`window.dashiwake = [...]`) and replaces it with the API, sends ONE `/v1/decide` per page view
 * and swaps slot contents. Every entry point is wrapped: nothing may ever throw into the host page.
 *
 * @example
 *   <script async src="https://edge.example.com/dw.js" data-dw-timeout="1000"></script>
 *   <div data-dw-slot="hero">Default hero</div>
 *   <script>(window.dashiwake = window.dashiwake || []).push(['track', 'login'])</script>
 */
import { allowed } from './consent';
import { adoptStyles, banner, fill, pend, reveal, slotElements } from './dom';
import { decideBody, makeEvent, pageView, slotNames } from './events';
import { rid, SLUG, VISITOR_ID } from './ids';
import { capped, parseQueue, pick, without, type Ev } from './queue';
import { cget, cset, lget, lset } from './storage';
import { beacon, post, settled } from './transport';

const w = window as any;
const d = document;
const noop = () => {};
/** Two years, in seconds (the `dw_vid` cookie lifetime). */
const TWO_YEARS = 63_072_000;
/** Events wait this long to be sent together. */
const FLUSH_MS = 1000;

/** Runs `fn`, swallowing anything it throws. */
function safe<A extends unknown[], R>(fn: (...a: A) => R) {
  return (...a: A): R | undefined => {
    try {
      return fn(...a);
    } catch {}
  };
}

function init(prev: unknown[]) {
  const script = (d.currentScript || d.querySelector('script[src*="/dw.js"]')) as HTMLScriptElement | null;
  const data = (script && script.dataset) || {};
  const endpoint = (data.dwEndpoint || new URL(script ? script.src : location.href).origin).replace(/\/+$/, '');
  const timeout = +data.dwTimeout! || 1500;
  const preview = new URLSearchParams(location.search).get('dw_preview');

  const gate = { out: lget('dw_optout') == '1', need: data.dwConsent == 'required', given: false };
  let vid: string | null = null;
  let queue: Ev[] = parseQueue(lget('dw_queue'), Date.now());
  /** Ids of events in a request that has not answered yet (not to be sent twice at once). */
  const busy = new Set<string>();
  /** Ids handed to sendBeacon when the page was hidden; sendable again if it comes back. */
  let beaconed: string[] = [];
  let flushTimer: any = 0;
  let started = false;
  /** The page-load phase is over (decided or timed out): later answers no longer swap slots. */
  let done = false;
  let last: any;
  let readyQueue: ((r: unknown) => void)[] = [];
  /** Exposures already pushed to dataLayer on this page. */
  const exposed: Record<string, 1> = {};

  // Preview pages write nothing: no id, no events; only the decide (the server also writes nothing).
  const can = () => !preview && allowed(gate);

  /** The visitor id (cookie first, then localStorage), created on first use; null when not allowed. */
  function visitorId(): string | null {
    if (preview) return (vid = vid || rid());
    if (!can()) return null;
    if (!vid) {
      vid = cget('dw_vid') || lget('dw_vid');
      if (!vid || !VISITOR_ID.test(vid)) vid = rid();
      // Written on every page: keeps the two-year lifetime rolling.
      cset('dw_vid', vid, TWO_YEARS);
      lset('dw_vid', vid);
    }
    return vid;
  }

  const save = () => can() && lset('dw_queue', JSON.stringify(queue));

  /** Forgets the visitor on this device (opt-out, consent withdrawn). */
  function wipe() {
    vid = null;
    queue = [];
    cset('dw_vid', '', 0);
    lset('dw_vid', null);
    lset('dw_queue', null);
  }

  /** Sends `events` with a request; drops them from the queue once the server answered for them. */
  function send(path: string, body: unknown, events: Ev[]): Promise<Response | null> {
    const ids = events.map((e) => e.id);
    ids.forEach((i) => busy.add(i));
    return post(endpoint + path, body).then((res) => {
      ids.forEach((i) => busy.delete(i));
      if (res && settled(res.status)) {
        queue = without(queue, ids);
        save();
      }
      return res;
    });
  }

  /**
   * Sends queued events to `/v1/collect`. On page hide it uses sendBeacon, whose outcome is
   * unknown: those events stay queued and ride along with the next page's decide (deduped).
   */
  function flush(hiding?: boolean) {
    clearTimeout(flushTimer);
    flushTimer = 0;
    if (!can()) return;
    const events = pick(queue, busy);
    if (!events.length) return;
    const body = { visitorId: visitorId(), events };
    if (hiding && beacon(endpoint + '/v1/collect', body)) {
      for (const e of events) busy.add(e.id), beaconed.push(e.id);
    } else {
      send('/v1/collect', body, events).then((res) => res && settled(res.status) && flush());
    }
  }

  function enqueue(e: Ev) {
    queue = capped(queue, [e]);
    save();
  }

  /** Ends the page-load phase: show slots, run ready callbacks, fire `dashiwake:ready`. */
  function finish() {
    if (done) return;
    done = true;
    reveal();
    readyQueue.forEach((cb) => safe(cb)(last));
    readyQueue = [];
    safe(() => d.dispatchEvent(new CustomEvent('dashiwake:ready', { detail: last })))();
  }

  /** Applies a decide answer to the slots (not after the page-load timeout: no late flicker). */
  function apply(res: any, first: boolean, els: Element[]) {
    if (first && done) return;
    if (res && typeof res == 'object' && res.slots) {
      last = res;
      if (!preview && VISITOR_ID.test(res.visitorId) && can()) {
        vid = res.visitorId;
      }
      const seg = res.segment;
      for (const el of els) {
        const dec = res.slots[el.getAttribute('data-dw-slot')!];
        safe(fill)(el, dec && dec.content && dec.content.html);
        const key = dec && dec.experiment && dec.experiment + ':' + dec.arm;
        const dl = w.dataLayer;
        if (key && !exposed[key] && dl && dl.push) {
          exposed[key] = 1;
          safe(() => dl.push({ event: 'dw_exposure', dw_experiment: dec.experiment, dw_arm: dec.arm, dw_segment: seg ? seg.key : null }))();
        }
      }
      if (preview) banner('dashiwake preview — segment ' + (seg ? seg.name + ' (' + seg.key + ')' : 'none'));
    }
  }

  /**
   * Decides the page's slots. `first`: the page-load decide, which carries this page's page_view;
   * otherwise a re-decide (after identify, or `refresh()`) with whatever is still queued.
   */
  function decide(first: boolean): Promise<void> {
    const url = location.href;
    const els = slotElements();
    const slots = slotNames(els.map((el) => el.getAttribute('data-dw-slot')));
    const meta = d.querySelector('meta[name="dw:category"]') as HTMLMetaElement | null;
    const pv = first ? pageView(url, meta && meta.content, Date.now()) : null;
    if (!slots.length) {
      // Nothing to decide: the page view goes out as a plain event.
      if (pv && can()) enqueue(pv), flush();
      if (first) finish();
      return Promise.resolve();
    }
    let events: Ev[] = [];
    if (preview) {
      if (pv) events = [pv];
    } else {
      // Oldest undelivered first, this page's view last: always inside the 50-event limit.
      events = pick(queue, busy, pv ? 49 : 50);
      if (pv) enqueue(pv), events.push(pv);
    }
    return send('/v1/decide', decideBody(visitorId()!, url, slots, events, preview), preview ? [] : events)
      .then((res) => (res && res.ok ? res.json() : 0))
      .catch(noop)
      .then((res) => {
        safe(apply)(res, first, els);
        if (first) finish();
      });
  }

  function start() {
    if (started || !(preview || can())) return;
    started = true;
    decide(true).catch(noop);
  }

  function track(type: unknown, props?: unknown) {
    const e = can() && makeEvent(type, props, location.href, Date.now());
    if (e) {
      enqueue(e);
      flushTimer = flushTimer || setTimeout(safe(flush), FLUSH_MS);
    }
  }

  const api: Record<string, any> = {
    push: safe((cmd: any) => {
      if (typeof cmd == 'function') cmd(api);
      else if (cmd && typeof api[cmd[0]] == 'function' && cmd[0] != 'push') api[cmd[0]](...[].slice.call(cmd, 1));
    }),
    track: safe(track),
    convert: safe((goal: unknown, props?: unknown) => track('conversion', Object.assign({}, props, { goal }))),
    identify: (token: unknown): Promise<void> => {
      try {
        if (typeof token != 'string' || !can()) return Promise.resolve();
        return post(endpoint + '/v1/identify', { visitorId: visitorId(), token })
          .then(() => decide(false))
          .catch(noop);
      } catch {
        return Promise.resolve();
      }
    },
    /** Re-decides the page's slots now (e.g. after the visitor did something that changes their segment). */
    refresh: (): Promise<void> => {
      try {
        return preview || can() ? decide(false).catch(noop) : Promise.resolve();
      } catch {
        return Promise.resolve();
      }
    },
    ready: safe((cb: unknown) => {
      if (typeof cb == 'function') done ? safe(cb as any)(last) : readyQueue.push(cb as any);
    }),
    visitorId: safe(visitorId),
    optOut: safe(() => {
      gate.out = true;
      wipe();
      lset('dw_optout', '1');
    }),
    optIn: safe(() => {
      gate.out = false;
      lset('dw_optout', null);
      start();
    }),
    /** `['consent', true]` on sites embedding with `data-dw-consent="required"`; false withdraws it. */
    consent: safe((yes: unknown) => {
      gate.given = !!yes;
      if (gate.given) start(), flush();
      else wipe();
    }),
  };

  adoptStyles();
  // Only the slots wait, and only while a decide may still come.
  if (!gate.out) pend(slotElements());
  setTimeout(safe(finish), timeout);

  d.addEventListener(
    'click',
    safe((ev: Event) => {
      const a = (ev.target as Element).closest('[data-dw-download]') as HTMLAnchorElement | null;
      if (a) {
        const kind = a.getAttribute('data-dw-download');
        track('download', { asset: (a.href || kind || '').slice(0, 500), kind: kind && SLUG.test(kind) ? kind : undefined });
      }
    }),
    true,
  );
  const hide = safe(() => flush(true));
  addEventListener('pagehide', hide);
  d.addEventListener(
    'visibilitychange',
    safe(() => {
      if (d.visibilityState == 'hidden') return hide();
      beaconed.forEach((i) => busy.delete(i));
      beaconed = [];
    }),
  );

  w.dashiwake = api;
  if (Array.isArray(prev)) prev.forEach(api.push);
  start();
  if (gate.out) finish();
}

// A second copy of the script on the same page leaves the first one in charge.
safe(() => {
  const prev = w.dashiwake;
  if (!prev || Array.isArray(prev)) init(prev);
})();
