/**
 * Starts the rewrite-mode tests' origin server in Node, beside the workerd test pool, and hands
 * its URL to the tests (`inject('originUrl')`): workerd reaches it over real local HTTP.
 */
import type { TestProject } from 'vitest/node';
import { startOrigin } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    originUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const origin = await startOrigin();
  project.provide('originUrl', origin.url);
  return () => origin.close();
}
