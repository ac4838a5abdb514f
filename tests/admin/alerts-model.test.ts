/**
 * The alerts console's pure parts: its words in both languages (complete, same placeholders),
 * the editor's draft ↔ API conversion, and refused URLs worded in the marketer's language.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { enParts, ja, jaParts } from '../../admin/src/i18n/all';
import { deliveryError } from '../../admin/src/lib/deliveryText';
import { alertFieldErrors, toDraft, toInput } from '../../admin/src/models/alertsModel';
import { lang, t } from '../../admin/src/i18n/catalogue';
import { AlertInput } from '../../worker/schema/alerts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

afterEach(() => {
  lang.value = 'en';
});

describe('words', () => {
  it('Japanese has every key, with the same placeholders, and is not English', () => {
    const alertsEn: Record<string, string> = enParts.alerts;
    const alertsJa = jaParts.alerts as Record<string, string>;
    for (const key of Object.keys(alertsEn)) {
      expect(alertsJa[key], key).toBeTruthy();
      expect(placeholders(alertsJa[key]!), key).toEqual(placeholders(alertsEn[key]!));
      if (/[a-z]{4,} [a-z]{4,}/.test(alertsEn[key]!)) expect(alertsJa[key], key).not.toBe(alertsEn[key]);
    }
  });

  it('words delivery problems from their codes', () => {
    lang.value = 'ja';
    expect(deliveryError('status_503')).toBe('HTTP 503');
    expect(deliveryError('timeout')).toBe('10秒以内に応答がありませんでした');
    expect(deliveryError('something_new')).toBe('something_new');
    expect(deliveryError(null)).toBe('');
    expect(t('al.testOk', { status: 200, ms: 35 })).toBe('送信できました：受信側は 35 ミリ秒で 200 を返しました。');
  });
});

describe('the editor draft', () => {
  it('round-trips every trigger through what the API validates', () => {
    for (const trigger of [
      { type: 'segment_entered', segment: 'hot_lead' },
      { type: 'tier_reached', tier: 'warm' },
      { type: 'score_reached', score: 120 },
    ] as const) {
      const alert = {
        id: 'alt_1',
        name: 'IS に通知',
        enabled: false,
        trigger,
        destination: { url: 'https://hooks.example.com/x', format: 'slack', language: 'en' } as const,
        cooldownDays: 3,
        disabledReason: null,
        createdAt: 0,
        updatedAt: 0,
      };
      const input = toInput(toDraft(alert));
      expect(AlertInput.parse(input)).toEqual({
        name: alert.name,
        enabled: false,
        trigger,
        destination: alert.destination,
        cooldownDays: 3,
      });
    }
  });

  it('a new alert starts on the first segment, standard webhook, Japanese, 7 days', () => {
    expect(toDraft(null, 'hot_lead')).toMatchObject({
      triggerType: 'segment_entered',
      segment: 'hot_lead',
      format: 'standard',
      language: 'ja',
      cooldownDays: '7',
      enabled: true,
    });
  });

  it('sends what was typed when it is not a number, so the API can say so', () => {
    const input = toInput({ ...toDraft(null, 'x'), triggerType: 'score_reached', score: 'abc', cooldownDays: '' });
    expect(AlertInput.safeParse(input).success).toBe(false);
  });

  it('words a refused URL by why it was refused', () => {
    lang.value = 'ja';
    const errors = alertFieldErrors([
      { path: ['destination', 'url'], code: 'custom', params: { reason: 'url_not_allowed', why: 'private_address' } },
      { path: ['name'], code: 'too_small', params: { origin: 'string', minimum: 1 } },
    ]);
    expect(errors['destination.url']).toBe(ja['al.url.private_address']);
    expect(errors.name).toBeTruthy();
    expect(errors.name).not.toMatch(/[A-Za-z]{3,}/);
  });
});
