/**
 * @module
 * Hands the alerts a request fired to the alerts queue once their D1 batch has committed
 * (services/alerts/outbox.ts), after the response if need be (`waitUntil`): the visitor never
 * waits for the queue, and a failed send only delays the alert until the sweeper finds it.
 */
import type { MiddlewareHandler } from 'hono';
import type { App } from '../app-types';
import { type AlertMessage, bindAlertSink } from '../services/alerts/outbox';

export function alertDispatch(): MiddlewareHandler<App> {
  return async function dispatchAlerts(c, next) {
    const queue = c.env.ALERTS_QUEUE;
    if (queue) {
      bindAlertSink(c.get('d1'), (messages: AlertMessage[]) => {
        const sent = queue.sendBatch(messages.map((body) => ({ body }))).catch((err: unknown) => {
          console.error(`alerts: queue send failed, the sweeper will retry: ${String((err as Error)?.message ?? err)}`);
        });
        try {
          c.executionCtx.waitUntil(sent);
        } catch {
          // No execution context (a unit test calling app.request): the promise runs on its own.
        }
      });
    }
    await next();
  };
}
