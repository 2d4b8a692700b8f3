/**
 * Alert timestamps and the collection window derived from them.
 */
import type { AlertWindow } from './alert-types.js';

/**
 * Go's zero `time.Time` as encoding/json writes it. Alertmanager and Grafana send it as the
 * `endsAt` of an alert that is still firing (Alertmanager's webhook blanks the internal
 * "resolve timeout" end so receivers do not take it for a real end).
 */
const GO_ZERO_TIME = /^0001-01-01T00:00:00(?:\.0+)?(?:Z|[+-]00:00)$/;

/** RFC 3339 as Go writes it (fraction optional, any number of digits, `Z` or an offset). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$/;

/**
 * Parses an RFC 3339 timestamp; undefined for Go's zero time, a non-string or an unparsable
 * value (a malformed timestamp must not abort ingestion — the window falls back to `now`).
 */
export function parseAlertTime(value: unknown): Date | undefined {
  if (typeof value !== 'string' || GO_ZERO_TIME.test(value) || !RFC3339.test(value)) return undefined;
  // Date.parse accepts more than 3 fraction digits (Go writes up to 9) and drops the excess.
  const ms = Date.parse(value.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : new Date(ms);
}

/** RFC 3339 in UTC, without a fraction when it is zero: `2026-11-26T03:12:00Z`. */
export function formatUtc(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/**
 * The window logs and metrics are collected over: from the earliest start minus `marginMs`
 * to `end` (the latest real end when every alert has ended, else `now`). Without any start
 * time the window is the last `marginMs` before its end. A start later than the end (clock
 * skew between the alert source and us) is pulled back so the window is never empty.
 */
export function alertWindow(earliestStart: Date | undefined, end: Date | undefined, now: Date, marginMs: number): AlertWindow {
  const windowEnd = end ?? now;
  const anchor = earliestStart && earliestStart.getTime() <= windowEnd.getTime() ? earliestStart : windowEnd;
  return { start: formatUtc(new Date(anchor.getTime() - marginMs)), end: formatUtc(windowEnd) };
}

/** The earliest of some dates (undefined entries ignored). */
export function earliest(dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((min, d) => (d && (!min || d < min) ? d : min), undefined);
}

/** The latest of some dates (undefined entries ignored). */
export function latest(dates: (Date | undefined)[]): Date | undefined {
  return dates.reduce<Date | undefined>((max, d) => (d && (!max || d > max) ? d : max), undefined);
}
