/**
 * One log line → {isEntry, timeMs, level, msg}, per format. Every parser is total: a line
 * it does not recognise is a continuation (`isEntry: false`), never an error, because
 * real log files interleave stderr, stack traces and multi-line messages.
 */
import type { LogFormat, ParsedLogLine } from './log-format.js';
import { splitTextLevel } from './log-level.js';
import { parseIsoTimeMs, parseJsonTimeMs, parseStdlogTimeMs } from './log-time.js';

// log.New(w, prefix, flags): [prefix]2006/01/02 15:04:05[.000000] [file.go:12: ]message.
// A prefix is any text before the date (Lmsgprefix puts it after the header instead).
const STDLOG_LINE = /^(.{0,64}?)(\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})?) (?:(\S+\.go:\d+): )?(.*)$/s;
// A text line that starts with an RFC 3339 time (journalctl -o short-iso, kubectl --timestamps).
const LEADING_ISO = /^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?)\s+(.*)$/s;
// logfmt as slog.TextHandler writes it: key=value, values quoted (strconv.Quote) when needed.
const LOGFMT_PAIR = /([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)\s*/y;

/** Parses `line` as `format`. */
export function parseLogLine(line: string, format: LogFormat): ParsedLogLine {
  switch (format) {
    case 'slog-json':
    case 'zap':
    case 'zerolog':
      return parseJsonLine(line);
    case 'slog-text':
      return parseLogfmtLine(line);
    case 'stdlog':
      return parseStdlogLine(line);
    case 'plain':
      return parsePlainLine(line);
  }
}

/**
 * A JSON log line of slog (`time`, `level`, `msg`), zap (`ts`, `level`, `msg`) or zerolog
 * (`time`, `level`, `message`). Only the top-level keys are read, so attributes and
 * groups named `time` or `msg` inside an attribute never take over.
 */
export function parseJsonLine(line: string): ParsedLogLine {
  const obj = parseJsonObject(line);
  if (!obj) return { isEntry: false, msg: line };
  const level = typeof obj.level === 'string' ? obj.level : undefined;
  const message = obj.msg ?? obj.message;
  const msg = typeof message === 'string' ? message : message === undefined ? '' : JSON.stringify(message);
  return { isEntry: true, timeMs: parseJsonTimeMs(obj.time ?? obj.ts ?? obj.timestamp), level, msg };
}

/** A line that is a JSON object, parsed; undefined for anything else. */
export function parseJsonObject(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) return undefined;
  try {
    const value: unknown = JSON.parse(trimmed);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The first pairs of a logfmt line, up to and including `msg`. */
export function readLogfmtHead(line: string): Map<string, string> {
  const pairs = new Map<string, string>();
  LOGFMT_PAIR.lastIndex = 0;
  for (let m = LOGFMT_PAIR.exec(line); m; m = LOGFMT_PAIR.exec(line)) {
    pairs.set(m[1]!, m[2]!.startsWith('"') ? unquoteGo(m[2]!) : m[2]!);
    if (m[1] === 'msg' || LOGFMT_PAIR.lastIndex >= line.length) break;
  }
  return pairs;
}

/** slog.TextHandler (and logrus text): `time=… level=ERROR msg="…" k=v …`. */
export function parseLogfmtLine(line: string): ParsedLogLine {
  if (!/^(?:time|level)=/.test(line)) return { isEntry: false, msg: line };
  const pairs = readLogfmtHead(line);
  const level = pairs.get('level');
  if (level === undefined) return { isEntry: false, msg: line };
  const time = pairs.get('time');
  return { isEntry: true, timeMs: time === undefined ? undefined : parseIsoTimeMs(time), level, msg: pairs.get('msg') ?? '' };
}

/** The standard `log` package: prefix, date and time, optional `file.go:12:`, message. */
export function parseStdlogLine(line: string): ParsedLogLine {
  const m = STDLOG_LINE.exec(line);
  if (!m) return { isEntry: false, msg: line };
  const timeMs = parseStdlogTimeMs(m[2]!);
  if (timeMs === undefined) return { isEntry: false, msg: line };
  const { level, msg } = splitTextLevel(m[4]!);
  return { isEntry: true, timeMs, level, msg };
}

/**
 * Any other text: a leading RFC 3339 time is used when there is one. Indented lines are
 * continuations (Go tracebacks and wrapped messages indent with a tab).
 */
export function parsePlainLine(line: string): ParsedLogLine {
  if (line.trim() === '' || /^\s/.test(line)) return { isEntry: false, msg: line };
  const m = LEADING_ISO.exec(line);
  const text = m ? m[2]! : line;
  const { level, msg } = splitTextLevel(text);
  return { isEntry: true, timeMs: m ? parseIsoTimeMs(m[1]!.replace(',', '.')) : undefined, level, msg };
}

const GO_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

/** Undoes strconv.Quote (which slog.TextHandler uses): `\n`, `\"`, `\xNN`, `\uNNNN`, `\UNNNNNNNN`. */
export function unquoteGo(quoted: string): string {
  const body = quoted.slice(1, -1);
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)/g, (whole, esc: string) => {
    if (esc.length > 1) return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return GO_ESCAPES[esc] ?? whole;
  });
}
