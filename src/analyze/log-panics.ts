/**
 * Tracebacks cut out of logs → `panic` findings. The panicking goroutine (the first block
 * of a traceback: the runtime prints the goroutine that panicked first) goes through the
 * goroutine dump parser via a temp file, and the finding names its first user frame.
 * The same panic seen again (a crash loop) is one finding with a count.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redactSecrets } from '../core/redact.js';
import type { Finding, SourceLocation } from '../core/model.js';
import { parseGoroutineDump } from './goroutines.js';
import type { LogTraceback } from './log-tracebacks.js';
import { messageTemplate } from './log-template.js';

/** Lines of a traceback shown in a finding's detail. */
const DETAIL_LINES = 60;

interface PanicGroup {
  message: string;
  location?: SourceLocation;
  count: number;
  goroutines: number;
  detail: string;
  artifactIds: Set<number>;
}

/** Collects tracebacks from any number of log artifacts and groups them into findings. */
export class PanicCollector {
  private readonly groups = new Map<string, PanicGroup>();

  /** Parses the panicking goroutine of `traceback` and files it under its message and location. */
  async add(traceback: LogTraceback, artifactId: number): Promise<void> {
    const message = traceback.lines[0] ?? 'panic';
    const location = await panickingLocation(traceback);
    const key = `${messageTemplate(message)}\u0000${location ? `${location.func} ${location.file}:${location.line}` : ''}`;
    const group = this.groups.get(key);
    if (group) {
      group.count++;
      group.artifactIds.add(artifactId);
      return;
    }
    this.groups.set(key, {
      message: redactSecrets(message).slice(0, 300),
      location,
      count: 1,
      goroutines: traceback.goroutines,
      detail: redactSecrets(describeTraceback(traceback)),
      artifactIds: new Set([artifactId]),
    });
  }

  /** One critical `panic` finding per distinct panic, most frequent first. */
  findings(): Finding[] {
    return [...this.groups.values()]
      .sort((a, b) => b.count - a.count)
      .map((g) => ({
        kind: 'panic',
        title: `${g.message}${g.location ? ` in ${g.location.func} (${shortFile(g.location.file)}:${g.location.line})` : ''}${g.count > 1 ? ` — ${g.count} times` : ''}`,
        severity: 'critical',
        location: g.location,
        metrics: { count: g.count, goroutines: g.goroutines },
        detail: g.detail + (g.count > 1 ? `\n\nThe same panic appears ${g.count} times in the logs.` : ''),
        artifactIds: [...g.artifactIds],
      }));
  }
}

/**
 * The first user frame of the panicking goroutine (else its innermost frame), read by
 * parseGoroutineDump from a temp file holding the preamble and that goroutine only.
 */
async function panickingLocation(traceback: LogTraceback): Promise<SourceLocation | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'gotriage-panic-'));
  try {
    const path = join(dir, 'traceback.txt');
    await writeFile(path, traceback.lines.slice(0, traceback.firstGoroutineLines).join('\n') + '\n');
    const dump = await parseGoroutineDump(path);
    const group = dump.groups[0];
    const frame = group?.topUserFrame ?? group?.frames[0];
    return frame ? { func: frame.func, file: frame.file, line: frame.line } : undefined;
  } catch {
    return undefined; // a traceback cut short before its first frame: the finding still stands
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function describeTraceback(traceback: LogTraceback): string {
  const shown = traceback.lines.slice(0, DETAIL_LINES);
  const more = traceback.lines.length - shown.length;
  return [...shown, ...(more > 0 ? [`… ${more} more lines (${traceback.goroutines} goroutines in all) in the log artifact`] : [])].join(
    '\n',
  );
}

function shortFile(file: string | undefined): string {
  if (file === undefined) return '?';
  return file.slice(file.lastIndexOf('/') + 1);
}
