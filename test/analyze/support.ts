/**
 * Shared helpers for the analyze tests: fixture paths, source-line lookups (so expected
 * lines come from the Go source, not from constants), building fixture programs and
 * running `go tool pprof -top` as the reference implementation.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CAPTURED = join(ROOT, 'test/fixtures/captured');
export const GO_PROGRAMS = join(ROOT, 'test/fixtures/go');
/** Go versions whose real output is captured (see test/fixtures/captured/capture.sh). */
export const CAPTURED_VERSIONS = ['go1.26.8', 'go1.23.5'] as const;

export function captured(name: string, version: string, ext = 'txt'): string {
  return join(CAPTURED, `${name}.${version}.${ext}`);
}

/** 1-based line of the first line in a fixture program's file containing `needle`. */
export function sourceLine(program: string, file: string, needle: string): number {
  const lines = readFileSync(join(GO_PROGRAMS, program, file), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not found in ${program}/${file}`);
  return i + 1;
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `gotriage-${prefix}-`));
}

/** `go build` a fixture program with the current toolchain; returns the binary path. */
export async function buildGoProgram(program: string, outDir: string, extraArgs: string[] = []): Promise<string> {
  const out = join(outDir, program);
  await execa('go', ['build', ...extraArgs, '-o', out, '.'], { cwd: join(GO_PROGRAMS, program) });
  return out;
}

export interface PprofTopRow {
  func: string;
  flat: number;
  cum: number;
  flatPct: number;
  cumPct: number;
  /** Half a unit in the last printed digit of flat/cum, in the base unit: pprof's rounding. */
  tolerance: number;
}

// internal/report printText: "%10s %s %s %10s %s  %s%s"; values may exceed the width.
const TOP_ROW = /^\s*(-?[\d.]+[a-zA-Z]*)\s+(\S+)%\s+(\S+)%\s+(-?[\d.]+[a-zA-Z]*)\s+(\S+)%\s+(.+?)(?: \((?:partial-)?inline\))?$/;
const TIME_UNITS: Record<string, number> = { ns: 1, us: 1e3, ms: 1e6, s: 1e9, mins: 60e9, hrs: 3600e9 };

/** A pprof-printed time value (`1.52s`, `10ms`, `0`) in nanoseconds, and its rounding step. */
export function parsePprofNanos(text: string): { value: number; step: number } {
  const m = /^(-?[\d.]+)([a-z]*)$/.exec(text);
  if (!m) throw new Error(`unparseable pprof value ${text}`);
  const scale = TIME_UNITS[m[2] || 'ns'] ?? NaN;
  const decimals = (m[1]!.split('.')[1] ?? '').length;
  return { value: Number(m[1]) * scale, step: (0.5 * scale) / 10 ** decimals };
}

/** Runs the real `go tool pprof -top` and parses its rows (CPU profiles: values in ns). */
export async function pprofTop(profilePath: string, nodeCount: number): Promise<{ rows: PprofTopRow[]; totalNs: number }> {
  const { stdout } = await execa('go', ['tool', 'pprof', '-top', `-nodecount=${nodeCount}`, profilePath], {
    env: { PPROF_TMPDIR: tmpdir() },
  });
  const total = /of ([\d.]+[a-z]*) total/.exec(stdout);
  const rows: PprofTopRow[] = [];
  let inTable = false;
  for (const line of stdout.split('\n')) {
    if (/^\s+flat\s+flat%/.test(line)) {
      inTable = true;
      continue;
    }
    const m = inTable ? TOP_ROW.exec(line) : null;
    if (!m) continue;
    const flat = parsePprofNanos(m[1]!);
    const cum = parsePprofNanos(m[4]!);
    rows.push({
      func: m[6]!,
      flat: flat.value,
      cum: cum.value,
      flatPct: Number(m[2]),
      cumPct: Number(m[5]),
      tolerance: Math.max(flat.step, cum.step),
    });
  }
  return { rows, totalNs: total ? parsePprofNanos(total[1]!).value : NaN };
}
