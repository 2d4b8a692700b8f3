/**
 * The log formats gotriage reads, and what a parsed line looks like. The format names
 * are the playbook's `format:` values and the `format=` parameter of the artifact's
 * media type (MediaType.log), so collect and analyze agree on them.
 */

export const LOG_FORMATS = ['slog-json', 'slog-text', 'zap', 'zerolog', 'stdlog', 'plain'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Whether `text` names a format (the media type's `format=` parameter comes from disk). */
export function isLogFormat(text: string | undefined): text is LogFormat {
  return (LOG_FORMATS as readonly string[]).includes(text ?? '');
}

/** One line read in a given format. */
export interface ParsedLogLine {
  /**
   * Whether the line starts a log entry. Lines that do not (stack trace lines, the rest
   * of a multi-line message, a panic printed to the same stream) belong to the entry
   * before them: they share its time window and are never counted as entries.
   */
  isEntry: boolean;
  /** Epoch ms, when the line carries a timestamp. */
  timeMs?: number;
  /** The level as printed (`ERROR`, `error`, `ERROR+2`), when the format has one. */
  level?: string;
  /** The message without the timestamp, level and (for structured formats) attributes. */
  msg: string;
}
