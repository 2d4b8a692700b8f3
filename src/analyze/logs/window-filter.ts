/**
 * Keeps the lines of a log that fall inside the alert window. A line with a timestamp
 * is kept when start ≤ time ≤ end; a line without one (a stack trace, the rest of a
 * multi-line message, a panic on the same stream) shares the fate of the entry before
 * it. Lines before the first timestamp are kept: nothing says they are outside.
 */
import { DETECTION_LINES, detectLogFormat } from './detect-log-format.js';
import type { LogFormat } from './log-format.js';
import { parseLogLine } from './parse-log-line.js';

const MAX_HELD_LINES = 4096;

/** Epoch ms bounds, inclusive; a missing bound is open. */
export interface LogWindow {
  startMs?: number;
  endMs?: number;
}

export interface FilterOptions {
  /** A fixed format, or `auto` to detect it from the first lines. */
  format: LogFormat | 'auto';
  window: LogWindow;
  signal?: AbortSignal;
}

export interface FilterStats {
  format: LogFormat;
  linesRead: number;
  linesKept: number;
}

/** Where kept lines go (a LineWriter, or an array in tests). */
export interface LineSink {
  write(line: string): Promise<void> | void;
}

/** Streams `lines` through the window into `sink`. */
export async function filterLogLines(lines: AsyncIterable<string>, sink: LineSink, options: FilterOptions): Promise<FilterStats> {
  const { window, signal } = options;
  const stats: FilterStats = { format: options.format === 'auto' ? 'plain' : options.format, linesRead: 0, linesKept: 0 };
  let keeping = true;
  const consider = async (line: string) => {
    const parsed = parseLogLine(line, stats.format);
    if (parsed.timeMs !== undefined) keeping = inWindow(parsed.timeMs, window);
    if (keeping) {
      stats.linesKept++;
      await sink.write(line);
    }
  };

  // Detection needs the first lines before any can be judged: hold at most DETECTION_LINES.
  let held: string[] | undefined = options.format === 'auto' ? [] : undefined;
  let heldNonEmpty = 0;
  for await (const line of lines) {
    stats.linesRead++;
    if ((stats.linesRead & 0x3fff) === 0 && signal?.aborted) throw signal.reason;
    if (held) {
      held.push(line);
      if (line.trim() !== '') heldNonEmpty++;
      // The line cap bounds memory for a log that starts with thousands of blank lines.
      if (heldNonEmpty < DETECTION_LINES && held.length < MAX_HELD_LINES) continue;
      stats.format = detectLogFormat(held.filter((l) => l.trim() !== ''));
      for (const h of held) await consider(h);
      held = undefined;
      continue;
    }
    await consider(line);
  }
  if (held) {
    stats.format = detectLogFormat(held.filter((l) => l.trim() !== ''));
    for (const h of held) await consider(h);
  }
  return stats;
}

export function inWindow(timeMs: number, window: LogWindow): boolean {
  return (window.startMs === undefined || timeMs >= window.startMs) && (window.endMs === undefined || timeMs <= window.endMs);
}
