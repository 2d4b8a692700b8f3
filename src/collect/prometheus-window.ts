/**
 * The time window and resolution of a range query.
 */
import { UsageError } from '../core/errors.js';

/**
 * Prometheus refuses a range query whose (end - start) / step exceeds 11,000 points per
 * series ("exceeded maximum resolution of 11,000 points per timeseries", web/api/v1/api.go).
 */
export const PROMETHEUS_MAX_POINTS = 11_000;

/** How long a window is when the alert gave no start: the last 30 minutes. */
export const DEFAULT_WINDOW_MS = 30 * 60_000;

export interface QueryWindow {
  /** Unix seconds. */
  start: number;
  end: number;
}

export interface ChosenStep {
  stepSeconds: number;
  /** True when the asked step was widened so the window fits `maxPoints`. */
  widened: boolean;
  /** Points per series at the chosen step. */
  points: number;
}

/**
 * The step to query with: the asked one, or, when the window would need more than
 * `maxPoints` points per series at that step, the smallest whole second that fits.
 */
export function chooseStep(window: QueryWindow, askedStepSeconds: number, maxPoints = PROMETHEUS_MAX_POINTS): ChosenStep {
  if (!(askedStepSeconds > 0) || !Number.isFinite(askedStepSeconds))
    throw new UsageError(`query step must be a positive number of seconds, got ${askedStepSeconds}`);
  if (!Number.isInteger(maxPoints) || maxPoints < 2) throw new UsageError(`maxPoints must be an integer ≥ 2, got ${maxPoints}`);
  const span = window.end - window.start;
  // Prometheus returns floor(span / step) + 1 points.
  const pointsAt = (step: number) => Math.floor(span / step) + 1;
  if (pointsAt(askedStepSeconds) <= maxPoints) return { stepSeconds: askedStepSeconds, widened: false, points: pointsAt(askedStepSeconds) };
  const step = Math.ceil(span / (maxPoints - 1));
  return { stepSeconds: step, widened: true, points: pointsAt(step) };
}

/**
 * The query window from the alert step's parameters (`window.start`, `window.end`: RFC 3339
 * or unix seconds). Without an end, it ends now; without a start, it starts
 * DEFAULT_WINDOW_MS before the end. An end in the future (Alertmanager sets endsAt ahead for
 * firing alerts) is clamped to now: Prometheus has no samples there.
 * @throws UsageError for an unreadable time or a start not before the end.
 */
export function resolveWindow(startText: string | undefined, endText: string | undefined, now: Date): QueryWindow {
  const nowSeconds = now.getTime() / 1000;
  let end = endText ? parseTime(endText, 'window.end') : nowSeconds;
  if (end > nowSeconds) end = nowSeconds;
  const start = startText ? parseTime(startText, 'window.start') : end - DEFAULT_WINDOW_MS / 1000;
  if (!(start < end)) {
    throw new UsageError(
      `the metrics window is empty: window.start (${new Date(start * 1000).toISOString()}) is not before window.end (${new Date(end * 1000).toISOString()})`,
      'give --param window.start=… earlier than window.end (RFC 3339, e.g. 2025-01-01T10:00:00Z)',
    );
  }
  return { start, end };
}

/** RFC 3339 / ISO 8601 text or unix seconds → unix seconds. */
export function parseTime(text: string, name: string): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  // Date.parse accepts many formats; require a date with a time and a zone so "10:00" is not read as local time.
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
  const ms = iso.test(trimmed) ? Date.parse(trimmed) : NaN;
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `${name} is not a time: ${JSON.stringify(trimmed.slice(0, 60))}`,
      `give RFC 3339 with a zone (2025-01-01T10:00:00Z) or unix seconds (--param ${name}=…)`,
    );
  }
  return ms / 1000;
}
