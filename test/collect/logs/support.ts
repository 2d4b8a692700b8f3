/**
 * Shared helpers for the log tests: the captured logs of test/fixtures/logs (real runs of
 * test/fixtures/go/loggers with Go 1.26 and 1.23), and reading their `phase` markers so
 * expectations come from the captures themselves, never from copied constants.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';
import type { LogFormat } from '../../../src/analyze/logs/log-format.ts';
import { parseLogLine } from '../../../src/analyze/logs/parse-log-line.ts';

export const ROOT = resolve(import.meta.dirname, '../../..');
export const LOG_CAPTURES = join(ROOT, 'test/fixtures/logs');
export const LOGGERS = join(ROOT, 'test/fixtures/go/loggers');
/** Go versions whose logs are captured (see test/fixtures/logs/capture.sh). */
export const LOG_VERSIONS = ['go1.26.8', 'go1.23.5'] as const;

/** Each capture (file stem) and the format it was written in. */
export const CAPTURES: readonly { name: string; format: LogFormat }[] = [
  { name: 'slog-json', format: 'slog-json' },
  { name: 'slog-text', format: 'slog-text' },
  { name: 'zap', format: 'zap' },
  { name: 'zap-iso', format: 'zap' },
  { name: 'zerolog', format: 'zerolog' },
  { name: 'stdlog-std', format: 'stdlog' },
  { name: 'stdlog-micro', format: 'stdlog' },
  { name: 'stdlog-utc', format: 'stdlog' },
];

export function capturedLog(name: string, version: string): string {
  return join(LOG_CAPTURES, `${name}.${version}.log`);
}

export function capturedLines(name: string, version: string): string[] {
  return readFileSync(capturedLog(name, version), 'utf8').replace(/\n$/, '').split('\n');
}

/** The scenario phase a line's attributes name (`"phase":2`, `phase=2`), if any. */
export function phaseOf(line: string): number | undefined {
  const m = /"?phase"?[=:](\d)/.exec(line);
  return m ? Number(m[1]) : undefined;
}

/** An ISO window from the first to the last entry of `phase` in a capture. */
export function windowAroundPhase(lines: readonly string[], format: LogFormat, phase: number): { start: string; end: string } {
  const times = lines.filter((l) => phaseOf(l) === phase).map((l) => parseLogLine(l, format).timeMs!);
  return { start: new Date(Math.min(...times)).toISOString(), end: new Date(Math.max(...times)).toISOString() };
}

/** 1-based line of the first line of a loggers program file containing `needle`. */
export function loggerSourceLine(file: string, needle: string): number {
  const i = readFileSync(join(LOGGERS, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not found in ${file}`);
  return i + 1;
}

/** How many times `needle` occurs in a loggers program file. */
export function countInSource(file: string, needle: string): number {
  return readFileSync(join(LOGGERS, file), 'utf8').split(needle).length - 1;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp dir removed after the file's tests. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `gotriage-${prefix}-`));
  dirs.push(dir);
  return dir;
}
