import { describe, expect, it } from 'vitest';
import { chooseStep, resolveWindow } from '../../src/collect/prometheus-window.ts';
import { UsageError } from '../../src/core/errors.ts';

const now = new Date('2026-01-15T14:30:00Z');
const nowS = now.getTime() / 1000;

describe('resolveWindow', () => {
  it('defaults to the last 30 minutes', () => {
    expect(resolveWindow(undefined, undefined, now)).toEqual({ start: nowS - 1800, end: nowS });
  });

  it("reads RFC 3339 with Go's nanoseconds (Alertmanager's startsAt) and unix seconds", () => {
    expect(resolveWindow('2026-01-15T14:00:00.123456789Z', String(nowS - 60), now)).toEqual({ start: nowS - 1800 + 0.123, end: nowS - 60 });
    expect(resolveWindow('2026-01-15T15:00:00+01:00', undefined, now).start).toBe(nowS - 1800);
  });

  it('clamps an end in the future (a firing alert) to now', () => {
    expect(resolveWindow('2026-01-15T14:00:00Z', '2026-01-15T18:00:00Z', now).end).toBe(nowS);
  });

  it('refuses unreadable times and empty windows with the parameter named', () => {
    expect(() => resolveWindow('yesterday', undefined, now)).toThrow(/window.start is not a time/);
    expect(() => resolveWindow('2026-01-15 14:00', undefined, now)).toThrow(UsageError); // no zone: would be local time
    expect(() => resolveWindow('2026-01-15T14:20:00Z', '2026-01-15T14:10:00Z', now)).toThrow(/window is empty/);
  });
});

describe('chooseStep', () => {
  it('keeps the asked step when the window fits', () => {
    expect(chooseStep({ start: 0, end: 1800 }, 15)).toEqual({ stepSeconds: 15, widened: false, points: 121 });
  });

  it("widens the step so a long window stays within Prometheus' 11,000 points per series", () => {
    const week = { start: 0, end: 7 * 86400 };
    const chosen = chooseStep(week, 15);
    expect(chosen.widened).toBe(true);
    expect(chosen.points).toBeLessThanOrEqual(11_000);
    // …and it is the smallest whole second that fits: one second less would not.
    expect(Math.floor(week.end / (chosen.stepSeconds - 1)) + 1).toBeGreaterThan(11_000);
  });
});
