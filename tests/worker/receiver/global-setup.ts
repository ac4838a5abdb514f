/**
 * Starts the alert tests' webhook receiver in Node (scripts/webhook-receiver.mjs), beside the
 * workerd test pool, and hands its URL to the tests (`inject('receiverUrl')`): the worker's
 * queue consumer reaches it over real local HTTP, and it checks signatures with its own code.
 */
import type { TestProject } from 'vitest/node';
import { startReceiver } from '../../../scripts/webhook-receiver.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    receiverUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const receiver = await startReceiver();
  project.provide('receiverUrl', receiver.url);
  return () => receiver.close();
}
