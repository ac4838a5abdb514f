/**
 * @module
 * Attribute quality: per trait, how many members have it, and the segments that depend on a
 * trait most members lack.
 */
import { signal } from '@preact/signals';
import type { TraitQuality } from '@worker/services/admin/trait-quality';
import { api, ApiFailure, unwrap } from '../api/client';

export const quality = signal<{ status: 'idle' | 'loading' | 'ready' | 'error'; data: TraitQuality | null; error: ApiFailure | null }>({
  status: 'idle',
  data: null,
  error: null,
});

export async function loadQuality(): Promise<void> {
  quality.value = { ...quality.value, status: 'loading' };
  try {
    const data = await unwrap(api.traits.quality.$get());
    quality.value = { status: 'ready', data, error: null };
  } catch (err) {
    quality.value = { status: 'error', data: null, error: err instanceof ApiFailure ? err : null };
  }
}
