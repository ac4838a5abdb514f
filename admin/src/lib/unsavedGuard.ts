/**
 * @module
 * Unsaved edits are never thrown away without asking. While an editor has changes:
 * - a link inside the console (menu, back, another variant) asks first, in the console's own
 *   dialog; the click is caught before the router sees it (capture phase);
 * - the browser's back and forward buttons ask too: the address has moved already, so
 *   the guard puts it back, asks, and goes on only when told to;
 * - closing or reloading the tab gets the browser's own "leave site?" prompt (browsers show
 *   their own words there; a page cannot choose them);
 * - signing out asks through `leaveAllowed()`.
 * Saving (the editor's own navigation with `route()`) is not a link click, so it never asks.
 */
import { useEffect, useRef } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { t } from '../i18n/catalogue';
import { confirmAction } from '../models/uiModel';

/** The dirty check of the editor on screen (one at a time), for callers outside it. */
let activeDirty: (() => boolean) | null = null;
/** The back/forward handler of the editor on screen. */
let activePopState: ((e: PopStateEvent) => void) | null = null;

// Listening from the moment this module loads puts this listener ahead of the router's (which
// registers when the console first renders), so it can stop the router from moving.
if (typeof window !== 'undefined') window.addEventListener('popstate', (e) => activePopState?.(e));

/**
 * Asks before leaving when the editor on screen has unsaved changes.
 * @example if (await leaveAllowed()) signOut();
 */
export async function leaveAllowed(): Promise<boolean> {
  if (!activeDirty?.()) return true;
  return confirmAction(t('guard.message'), t('guard.discard'));
}

/** The in-console link a click would follow, or null (new tab, other site, download, …). */
function consoleLink(e: MouseEvent): string | null {
  if (e.defaultPrevented || e.button !== 0 || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey) return null;
  const link = e.composedPath().find((el): el is HTMLAnchorElement => el instanceof HTMLAnchorElement && Boolean(el.href));
  if (!link || link.origin !== location.origin || link.download || (link.target && !/^_?self$/i.test(link.target))) return null;
  const href = link.getAttribute('href') ?? '';
  if (href.startsWith('#') || !link.pathname.startsWith('/admin')) return null;
  const to = link.pathname + link.search;
  return to === location.pathname + location.search ? null : to;
}

/**
 * Guards the calling editor while `dirty` is true.
 * @example useUnsavedGuard(editor.dirty.value);
 */
export function useUnsavedGuard(dirty: boolean): void {
  const { route, url } = useLocation();
  const state = useRef({ dirty, leaving: false, here: url });
  state.current.dirty = dirty;
  // A screen that stays mounted across addresses (one variant, then another) is guarded anew.
  if (state.current.here !== url) state.current.leaving = false;
  state.current.here = url;

  useEffect(() => {
    const isDirty = () => state.current.dirty && !state.current.leaving;
    activeDirty = isDirty;

    const go = (to: string) => {
      state.current.leaving = true;
      route(to);
    };

    const onClick = (e: MouseEvent) => {
      if (!isDirty()) return;
      const to = consoleLink(e);
      if (!to) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      void confirmAction(t('guard.message'), t('guard.discard')).then((ok) => ok && go(to));
    };

    const onPopState = (e: PopStateEvent) => {
      const to = location.pathname + location.search;
      const here = state.current.here;
      if (!isDirty() || to === here) return;
      // Runs before the router's own listener (registered first): keep it from moving.
      e.stopImmediatePropagation();
      history.pushState(null, '', here);
      void confirmAction(t('guard.message'), t('guard.discard')).then((ok) => ok && go(to));
    };

    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (!isDirty()) return;
      e.preventDefault();
      // Older browsers need a return value to show the prompt.
      e.returnValue = '';
    };

    document.addEventListener('click', onClick, true);
    activePopState = onPopState;
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (activeDirty === isDirty) activeDirty = null;
      if (activePopState === onPopState) activePopState = null;
      document.removeEventListener('click', onClick, true);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, []);
}
