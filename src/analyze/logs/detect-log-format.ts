/**
 * Picks the format of a log from its first lines. Each non-empty line votes for the
 * formats it is a well-formed entry of; JSON lines vote for the one library whose keys
 * they carry (zap writes `ts`, zerolog `message`, slog `time` + `msg`).
 */
import type { LogFormat } from './log-format.js';
import { parseJsonObject, parseLogfmtLine, parseStdlogLine } from './parse-log-line.js';

/** How many lines detection looks at: enough to see past a banner, bounded for memory. */
export const DETECTION_LINES = 64;

/** The format most of `lines` are entries of; `plain` when none matches. */
export function detectLogFormat(lines: readonly string[]): LogFormat {
  const votes = new Map<LogFormat, number>();
  for (const line of lines.slice(0, DETECTION_LINES)) {
    const vote = formatOfLine(line);
    if (vote) votes.set(vote, (votes.get(vote) ?? 0) + 1);
  }
  let best: LogFormat = 'plain';
  let bestVotes = 0;
  for (const [format, count] of votes) {
    if (count > bestVotes) [best, bestVotes] = [format, count];
  }
  return best;
}

/** The format a single line is an entry of, if any. */
export function formatOfLine(line: string): LogFormat | undefined {
  const obj = parseJsonObject(line);
  if (obj) {
    if (typeof obj.level !== 'string') return undefined;
    // zap: `ts` (float seconds, or a string with ISO8601TimeEncoder) and `msg`.
    if ('ts' in obj && 'msg' in obj) return 'zap';
    // zerolog: `message` (zerolog.MessageFieldName) and lower-case levels.
    if ('message' in obj) return 'zerolog';
    if ('msg' in obj) return 'slog-json';
    return undefined;
  }
  if (parseLogfmtLine(line).isEntry) return 'slog-text';
  if (parseStdlogLine(line).isEntry) return 'stdlog';
  return undefined;
}
