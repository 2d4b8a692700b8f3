/**
 * One log source (a file and its rotated siblings, or a command's output file) → the
 * lines inside the alert window, written to `outputPath`. Streams end to end: memory
 * does not depend on the size of the files.
 */
import { UsageError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { LineWriter } from '../../analyze/logs/line-writer.js';
import { readLogFiles, type SkippedLogFile } from '../../collect/logs/read-log-files.js';
import { filterLogLines, type FilterOptions, type FilterStats, type LogWindow } from '../../analyze/logs/window-filter.js';
import { parseIsoTimeMs } from '../../analyze/logs/log-time.js';

export interface CollectedLogSource extends FilterStats {
  outputPath: string;
  skipped: SkippedLogFile[];
}

/** Reads `files` in order, keeps the lines inside the window, writes them to `outputPath`. */
export async function collectLogSource(files: readonly string[], outputPath: string, options: FilterOptions): Promise<CollectedLogSource> {
  const skipped: SkippedLogFile[] = [];
  const writer = new LineWriter(outputPath);
  try {
    const stats = await filterLogLines(
      readLogFiles(files, (s) => skipped.push(s)),
      writer,
      options,
    );
    return { ...stats, outputPath, skipped };
  } finally {
    await writer.close();
  }
}

/**
 * The alert window from step parameters `window.start` / `window.end` (RFC 3339, set by
 * the alert step when it knows them). Either may be missing: that side stays open.
 * @throws UsageError for a value that is not an RFC 3339 time.
 */
export function logWindowFromParams(params: Record<string, string>): LogWindow {
  const bound = (name: string): number | undefined => {
    const text = Object.prototype.hasOwnProperty.call(params, name) ? params[name] : undefined;
    if (text === undefined || text.trim() === '') return undefined;
    const ms = parseIsoTimeMs(text.trim());
    if (ms === undefined) {
      throw new UsageError(
        `${name} is ${JSON.stringify(redactSecrets(text).slice(0, 80))}, not an RFC 3339 time`,
        `give it like 2026-11-26T15:04:05Z (--param ${name}=…)`,
      );
    }
    return ms;
  };
  return { startMs: bound('window.start'), endMs: bound('window.end') };
}
