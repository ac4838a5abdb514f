/** Types for local-edge.mjs (plain JavaScript so `npm start` needs no build step). */
export const root: string;
export function ensureDevVars(): void;
export function prepareDatabase(persistTo: string, opts?: { seed?: boolean }): void;
export function freePort(): Promise<number>;
export function portInUse(port: number): Promise<boolean>;
export function nextFreePort(from: number): Promise<number>;
export class PortInUseError extends Error {
  code: 'EADDRINUSE';
  port: number;
  suggestedPort: number;
  constructor(port: number, suggestedPort: number);
}
export interface LocalEdge {
  url: string;
  port: number;
  persistTo: string;
  /** wrangler's process id; its workerd runs in the same process group. */
  pid: number;
  output(): string;
  stop(): Promise<void>;
}
export function startLocalEdge(opts?: {
  port?: number;
  persistTo?: string;
  seed?: boolean;
  vars?: Record<string, string>;
  stdio?: 'pipe' | 'inherit';
}): Promise<LocalEdge>;
