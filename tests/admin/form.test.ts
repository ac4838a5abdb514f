/**
 * The console's one form helper (admin/src/lib/form.ts): dirty against what was loaded or saved,
 * the form's own checks before sending, a refusal as field errors and a banner failure, edits made
 * while sending kept, and anything but an API refusal thrown on.
 */
import '../../admin/src/i18n/all';
import { describe, expect, it } from 'vitest';
import { ApiFailure } from '../../admin/src/api/client';
import { createForm } from '../../admin/src/lib/form';
import { lang } from '../../admin/src/i18n/catalogue';

interface Draft {
  name: string;
  points: number;
}

describe('createForm', () => {
  it('is dirty once edited and clean again after a save or a reset', async () => {
    const sent: Draft[] = [];
    const form = createForm({
      initial: { name: 'a', points: 1 } as Draft,
      submit: async (d: Draft) => {
        sent.push(d);
        return { id: 7 };
      },
    });
    expect(form.dirty.value).toBe(false);
    form.update({ points: 2 });
    expect(form.dirty.value).toBe(true);
    form.update({ points: 1 });
    expect(form.dirty.value).toBe(false);
    form.update({ name: 'b' });
    expect(await form.save()).toEqual({ id: 7 });
    expect(sent).toEqual([{ name: 'b', points: 1 }]);
    expect(form.dirty.value).toBe(false);
    expect(form.saving.value).toBe(false);
    form.update({ name: 'c' });
    form.reset({ name: 'z', points: 0 });
    expect(form.draft.value).toEqual({ name: 'z', points: 0 });
    expect(form.dirty.value).toBe(false);
  });

  it('sends nothing while its own check finds a problem', async () => {
    let calls = 0;
    const form = createForm({
      initial: { name: '', points: 1 } as Draft,
      check: (d: Draft): Record<string, string> => (d.name ? {} : { name: 'Name it.' }),
      submit: async () => ++calls,
    });
    expect(await form.save()).toBeNull();
    expect(form.errors.value).toEqual({ name: 'Name it.' });
    expect(calls).toBe(0);
    form.update({ name: 'ok' });
    expect(await form.save()).toBe(1);
    expect(form.errors.value).toEqual({});
  });

  it('turns a refusal into field errors in the reader’s language and a banner failure, and stays dirty', async () => {
    lang.value = 'en';
    const refusal = new ApiFailure(400, 'invalid_request', 'bad', [
      { path: ['points'], code: 'too_small', params: { origin: 'number', minimum: 0 } },
    ]);
    const form = createForm({
      initial: { name: 'a', points: 1 } as Draft,
      submit: async (): Promise<void> => {
        throw refusal;
      },
    });
    form.update({ points: -1 });
    expect(await form.save()).toBeNull();
    expect(form.failure.value).toBe(refusal);
    expect(form.errors.value).toEqual({ points: 'Enter 0 or more.' });
    expect(form.dirty.value).toBe(true);
  });

  it('keeps edits made while sending (still dirty), and throws on anything but a refusal', async () => {
    let release: () => void = () => {};
    const form = createForm({
      initial: { name: 'a', points: 1 } as Draft,
      submit: () => new Promise<void>((r) => (release = r)),
    });
    form.update({ name: 'b' });
    const saving = form.save();
    expect(form.saving.value).toBe(true);
    form.update({ name: 'c' });
    release();
    await saving;
    expect(form.draft.value.name).toBe('c');
    expect(form.dirty.value).toBe(true);
    const broken = createForm({
      initial: 1,
      submit: async () => {
        throw new TypeError('bug');
      },
    });
    await expect(broken.save()).rejects.toThrow('bug');
    expect(broken.saving.value).toBe(false);
  });
});
