import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { collectLogSource } from '../../../src/engine/actions/log-source.ts';
import { expandLogPattern } from '../../../src/collect/logs/log-glob.ts';
import { parseIsoTimeMs } from '../../../src/analyze/logs/log-time.ts';
import { CAPTURES, LOG_VERSIONS, capturedLines, capturedLog, phaseOf, tempDir, windowAroundPhase } from './support.ts';

process.env.TZ = 'UTC'; // the zone the captures were written in (see parse-log-line.test.ts)

/** Builds a directory from an object literal: name → content. */
function tree(files: Record<string, string | Buffer>): string {
  const dir = tempDir('logs-tree');
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

describe.each(LOG_VERSIONS)('time window on captures of %s', (version) => {
  it.each(CAPTURES)('$name: keeps phase 2 with its continuation lines, drops phases 1 and 3', async ({ name, format }) => {
    const lines = capturedLines(name, version);
    const { start, end } = windowAroundPhase(lines, format, 2);
    const out = join(tempDir('window'), 'kept.log');
    const stats = await collectLogSource([capturedLog(name, version)], out, {
      format: 'auto',
      window: { startMs: parseIsoTimeMs(start), endMs: parseIsoTimeMs(end) },
    });
    const kept = readFileSync(out, 'utf8').replace(/\n$/, '').split('\n');
    expect(stats.format).toBe(format);
    // Exactly the lines from the first phase-2 entry up to the first phase-3 entry.
    const from = lines.findIndex((l) => phaseOf(l) === 2);
    const to = lines.findIndex((l) => phaseOf(l) === 3);
    expect(kept).toEqual(lines.slice(from, to));
    expect(stats).toMatchObject({ linesRead: lines.length, linesKept: to - from });
    if (name.startsWith('stdlog')) {
      // A multi-line message's bare lines travel with their entry: kept in phase 2, dropped elsewhere.
      const continuations = lines.filter((l) => l.startsWith('\tattempt'));
      expect(kept.filter((l) => l.startsWith('\tattempt')).length).toBeGreaterThan(0);
      expect(kept.filter((l) => l.startsWith('\tattempt')).length).toBeLessThan(continuations.length);
    }
  });
});

describe('rotated files', () => {
  const v = LOG_VERSIONS[0];
  const lines = capturedLines('slog-json', v);
  const third = Math.ceil(lines.length / 3);
  const parts = [lines.slice(0, third), lines.slice(third, 2 * third), lines.slice(2 * third)].map((p) => p.join('\n') + '\n');

  it('finds app.log with app.log.1 and app.log.2.gz and reads them oldest first, gzip streamed', async () => {
    const dir = tree({
      'app.log': parts[2]!,
      'app.log.1': parts[1]!,
      'app.log.2.gz': gzipSync(parts[0]!),
      'worker.log': 'plain text line\n',
      'notes.txt': 'not a log\n',
    });
    const sources = await expandLogPattern(join(dir, '*.log'));
    expect(sources.map((s) => s.files.map((f) => f.slice(dir.length + 1)))).toEqual([
      ['app.log.2.gz', 'app.log.1', 'app.log'],
      ['worker.log'],
    ]);
    const out = join(dir, 'out');
    const stats = await collectLogSource(sources[0]!.files, out, { format: 'auto', window: {} });
    expect(readFileSync(out, 'utf8')).toBe(lines.join('\n') + '\n');
    expect(stats).toMatchObject({ format: 'slog-json', linesKept: lines.length, skipped: [] });
  });

  it('keeps reading past a truncated .gz and a file rotated away, and says which', async () => {
    const whole = gzipSync(parts[0]!);
    const dir = tree({ 'app.log': parts[2]!, 'app.log.2.gz': whole.subarray(0, whole.length >> 1) });
    symlinkSync(join(dir, 'gone'), join(dir, 'app.log.1')); // a sibling that vanishes between listing and reading
    const sources = await expandLogPattern(join(dir, 'app.log'));
    const out = join(dir, 'out');
    const stats = await collectLogSource(sources[0]!.files, out, { format: 'auto', window: {} });
    expect(stats.skipped.map((s) => s.path.slice(dir.length + 1))).toEqual(['app.log.2.gz', 'app.log.1']);
    expect(stats.skipped[0]!.reason).toMatch(/^stopped after \d+ lines: .*(truncated|end)/);
    expect(stats.skipped[1]!.reason).toMatch(/no such file/);
    const kept = readFileSync(out, 'utf8');
    expect(kept.endsWith(parts[2]!)).toBe(true);
    expect(stats.linesKept).toBeGreaterThanOrEqual(lines.length - 2 * third);
  });

  it('matches ?, […] and [!…] in the last element and refuses wildcards in directories', async () => {
    const dir = tree({ 'a1.log': 'x\n', 'a2.log': 'x\n', 'b1.log': 'x\n' });
    mkdirSync(join(dir, 'c1.log')); // a directory is not a log
    const names = async (p: string) => (await expandLogPattern(join(dir, p))).map((s) => s.base.slice(dir.length + 1));
    expect(await names('a?.log')).toEqual(['a1.log', 'a2.log']);
    expect(await names('[ab]1.log')).toEqual(['a1.log', 'b1.log']);
    expect(await names('[!a]1.log')).toEqual(['b1.log']);
    expect(await names('missing-*.log')).toEqual([]);
    await expect(expandLogPattern(join(dir, '*', 'x.log'))).rejects.toThrow(/wildcard in a directory/);
  });
});
