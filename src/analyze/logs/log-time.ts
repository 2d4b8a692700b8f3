/**
 * Timestamps as Go loggers print them, to epoch milliseconds. Hand-written rather than
 * `Date.parse` because Go prints nanoseconds (`.70088439Z`, trailing zeros trimmed by
 * time.RFC3339Nano), zap's ISO8601TimeEncoder writes offsets without a colon (`+0100`),
 * and the `log` package prints local time with no zone at all.
 */

// RFC 3339 / ISO 8601: date, `T` or space, time, optional fraction, optional zone.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?(Z|z|[+-]\d{2}:?\d{2})?$/;
// log.Ldate|log.Ltime[|log.Lmicroseconds]: `2006/01/02 15:04:05[.000000]`.
const STDLOG_TIME = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/;

/**
 * `2026-11-26T15:04:05.123456789+01:00` (and the variants above) → epoch ms, fraction
 * truncated to milliseconds. A time without a zone is read as local time, as Go's
 * `log` package writes it unless LUTC is set. Undefined when the text is not such a time.
 */
export function parseIsoTimeMs(text: string): number | undefined {
  const m = ISO_TIME.exec(text);
  if (!m) return undefined;
  return composeMs(m, m[8]);
}

/** `2026/11/26 15:04:05.123456` as the standard `log` package prints it (local time) → epoch ms. */
export function parseStdlogTimeMs(text: string): number | undefined {
  const m = STDLOG_TIME.exec(text);
  if (!m) return undefined;
  return composeMs(m, undefined);
}

/**
 * A numeric timestamp → epoch ms. zap's default encoder writes float seconds
 * (`1732633445.1282425`); zerolog writes integer seconds, ms, µs or ns depending on
 * `zerolog.TimeFieldFormat`, so the unit is inferred from the magnitude (seconds until
 * the year 5138, then ms, µs, ns).
 */
export function parseEpochMs(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  if (value < 1e11) return Math.floor(value * 1000);
  if (value < 1e14) return Math.floor(value);
  if (value < 1e17) return Math.floor(value / 1e3);
  return Math.floor(value / 1e6);
}

/** Any timestamp value a JSON log line may carry (string or number) → epoch ms. */
export function parseJsonTimeMs(value: unknown): number | undefined {
  if (typeof value === 'number') return parseEpochMs(value);
  if (typeof value === 'string') return parseIsoTimeMs(value) ?? (/^\d+(\.\d+)?$/.test(value) ? parseEpochMs(Number(value)) : undefined);
  return undefined;
}

function composeMs(m: RegExpExecArray, zone: string | undefined): number | undefined {
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i]));
  const ms = Number(((m[7] ?? '') + '000').slice(0, 3));
  if (month! < 1 || month! > 12 || day! < 1 || day! > 31 || hour! > 23 || minute! > 59 || second! > 60) return undefined;
  if (zone === undefined) return new Date(year!, month! - 1, day, hour, minute, second, ms).getTime();
  const utc = Date.UTC(year!, month! - 1, day, hour, minute, second, ms);
  if (zone === 'Z' || zone === 'z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return utc - sign * offsetMin * 60_000;
}
