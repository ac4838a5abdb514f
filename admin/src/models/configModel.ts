/**
 * @module
 * The site configuration as the console knows it: loaded once after sign-in
 * (`GET /api/config`) and reloaded after every write, so all screens agree.
 */
import { computed, signal } from '@preact/signals';
import type { Segment, SiteConfig } from '@worker/schema/config';
import { api, ApiFailure, unwrap } from '../api/client';

export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export const config = signal<SiteConfig | null>(null);
export const configStatus = signal<LoadStatus>('idle');
export const configError = signal<ApiFailure | null>(null);

export const segments = computed(() => config.value?.segments ?? []);
export const slots = computed(() => config.value?.slots ?? []);
export const variants = computed(() => config.value?.variants ?? []);
export const experiments = computed(() => config.value?.experiments ?? []);

/** Loads (or reloads) the configuration; a reload keeps showing the old one meanwhile. */
export async function loadConfig(): Promise<void> {
  if (!config.value) configStatus.value = 'loading';
  try {
    const body = await unwrap(api.config.$get());
    // Every field is checked against the shared types, except the recursive condition tree,
    // which JSON typing cannot follow (it validates on the server with the same zod schema).
    const { segments: wire, ...rest } = body;
    const checked: Omit<SiteConfig, 'segments'> = rest;
    config.value = {
      ...checked,
      segments: wire.map(({ rule, ...meta }) => {
        const m: Omit<Segment, 'rule'> = meta;
        return { ...m, rule: rule as unknown as Segment['rule'] };
      }),
    };
    configStatus.value = 'ready';
    configError.value = null;
  } catch (err) {
    configError.value = err instanceof ApiFailure ? err : new ApiFailure(0, 'unknown', String(err));
    if (!config.value) configStatus.value = 'error';
    throw err;
  }
}

export function resetConfig(): void {
  config.value = null;
  configStatus.value = 'idle';
  configError.value = null;
}

export const segmentName = (key: string) => segments.value.find((s) => s.key === key)?.name ?? key;
