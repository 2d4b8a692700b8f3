/**
 * Log levels in the spellings Go loggers use: slog `ERROR` (and `ERROR+2` for levels
 * above it), zap `error`/`dpanic`/`panic`/`fatal`, zerolog `error`/`fatal`/`panic`, and the
 * hand-written `ERROR:` / `[error]` markers of services that log with the `log` package.
 */

const LEADING_LEVEL = /^\[?(TRACE|DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|FATAL|PANIC|CRITICAL|CRIT)\]?(?::\s*|\s+|$)/i;
// Unstructured text names its level anywhere, but only an upper-case word or a logfmt
// pair counts: lower-case "error" is ordinary prose ("no error", "error budget").
const EMBEDDED_LEVEL = /\b(ERROR|FATAL|PANIC|CRITICAL)\b|\blevel=([a-zA-Z]+)/;
const ERROR_LEVEL = /^(?:err|error|fatal|panic|dpanic|crit|critical|alert|emerg|emergency)\b/i;

/** Whether a level (as printed) is error or worse. */
export function isErrorLevel(level: string | undefined): boolean {
  return level !== undefined && ERROR_LEVEL.test(level.replace(/[+-]\d+$/, ''));
}

/** Whether a level (as printed) means the process died or panicked (zap DPanic included). */
export function isFatalLevel(level: string | undefined): boolean {
  return level !== undefined && /^(?:fatal|panic|dpanic|emerg|emergency)$/i.test(level);
}

/**
 * The level a text message starts with (`ERROR: x`, `[WARN] x`), and the message without it.
 * Without a leading marker, an upper-case level word or `level=` pair anywhere in the
 * line is taken, and the message is left whole.
 */
export function splitTextLevel(text: string): { level?: string; msg: string } {
  const lead = LEADING_LEVEL.exec(text);
  if (lead) return { level: lead[1], msg: text.slice(lead[0].length) };
  const embedded = EMBEDDED_LEVEL.exec(text.slice(0, 200));
  if (embedded) return { level: embedded[1] ?? embedded[2], msg: text };
  return { msg: text };
}
