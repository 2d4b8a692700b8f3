/**
 * Human formats for numbers and times in the postmortem. Pure functions; each returns plain
 * text without Markdown punctuation, so the templates can place it anywhere.
 */

/** Shown where a value is absent (a step that never finished, an unknown duration). */
export const NONE = '—';

/** `2026-11-26T15:04:05.123Z` → `2026-11-26 15:04:05 UTC`; null → `—`. Unparseable text is returned as is. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return NONE;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
}

/** 850 → `850 ms`, 1234 → `1.2 s`, 184000 → `3 min 4 s`, 7500000 → `2 h 5 min`; null → `—`. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NONE;
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZero((ms / 1000).toFixed(1))} s`;
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return minutes > 0 ? `${hours} h ${minutes} min` : `${hours} h`;
  return seconds > 0 ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** 512 → `512 B`, 1536 → `1.5 KiB`, 3355443 → `3.2 MiB`; null → `—`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return NONE;
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${trimZero(value.toFixed(1))} ${BYTE_UNITS[unit]}`;
}

/** 63.24 → `63.2%`; null → `—`. */
export function formatPercent(pct: number | null | undefined): string {
  if (pct === null || pct === undefined || !Number.isFinite(pct)) return NONE;
  return `${trimZero(pct.toFixed(1))}%`;
}

/** A metric value: integers as they are, fractions to at most two decimals; null → `—`. */
export function formatNumber(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NONE;
  return Number.isInteger(value) ? String(value) : trimZero(value.toFixed(2));
}

function trimZero(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
