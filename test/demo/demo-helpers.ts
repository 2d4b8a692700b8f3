/**
 * Shared by the test/demo tests: where the demo service lives, and small probes that read
 * what a user would look at (goroutine counts, `go tool pprof -top`) from a running service.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

export const SERVICE_DIR = fileURLToPath(new URL('../../examples/demo-service', import.meta.url));
export const FIX_PATCH = path.join(SERVICE_DIR, 'fix.patch');

/** Paths that exercise all three bugs; one request takes a few ms. */
export const BUGGY_PATHS = ['/export', '/hit', '/checksum?n=3000'];

/** A fresh temp dir and a function that removes it. */
export async function makeTempDir(prefix: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `gotriage-${prefix}-`));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function fetchText(url: string): Promise<{ status: number; text: string; contentType: string }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') ?? '' };
}

export async function fetchBytes(url: string): Promise<{ status: number; bytes: Buffer }> {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  return { status: response.status, bytes: Buffer.from(await response.arrayBuffer()) };
}

/** The goroutine dump in grouped form (`goroutine?debug=1`). */
export async function goroutineDump(baseUrl: string): Promise<string> {
  const { status, text } = await fetchText(`${baseUrl}/user/debug/pprof/goroutine?debug=1`);
  if (status !== 200) throw new Error(`goroutine?debug=1 answered ${status}: ${text.slice(0, 200)}`);
  return text;
}

/** `goroutine profile: total N` → N (first line of the debug=1 dump). */
export function goroutineTotal(dump: string): number {
  const match = /^goroutine profile: total (\d+)\n/.exec(dump);
  if (!match) throw new Error(`not a goroutine?debug=1 dump: ${dump.slice(0, 100)}`);
  return Number(match[1]);
}

/** How many goroutines have `funcName` on their stack, summing the `N @ …` group counts. */
export function goroutinesIn(dump: string, funcName: string): number {
  let total = 0;
  // Drop the `goroutine profile: total N` line so the first group starts its chunk.
  const groups = dump.slice(dump.indexOf('\n') + 1).split(/\n\n+/);
  for (const group of groups) {
    const header = /^(\d+) @/.exec(group);
    if (header && group.includes(`\t${funcName}+0x`)) total += Number(header[1]);
  }
  return total;
}

export interface TopRow {
  /** Flat CPU time in seconds. */
  flatSeconds: number;
  flatPct: number;
  name: string;
}

const TIME_UNITS: Record<string, number> = { ns: 1e-9, us: 1e-6, µs: 1e-6, ms: 1e-3, s: 1, mins: 60, hrs: 3600 };

/** `1.88s`, `10ms`, `0` → seconds, as `go tool pprof` scales CPU values. */
function pprofSeconds(value: string): number {
  const match = /^(-?[\d.]+)([a-zµ]*)$/.exec(value);
  if (!match) throw new Error(`not a pprof time value: ${value}`);
  const unit = match[2] === '' ? 'ns' : (match[2] as string);
  const scale = TIME_UNITS[unit];
  if (scale === undefined) throw new Error(`unknown pprof time unit in ${value}`);
  return Number(match[1]) * scale;
}

/** Run the real `go tool pprof -top` on profile bytes and return its rows, highest flat first. */
export async function pprofTop(profile: Buffer, dir: string): Promise<TopRow[]> {
  const file = path.join(dir, `cpu-${Date.now()}.pb.gz`);
  await writeFile(file, profile);
  const { stdout } = await execa('go', ['tool', 'pprof', '-top', file]);
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => /^\s*flat\s+flat%\s+sum%\s+cum\s+cum%/.test(l));
  if (header < 0) throw new Error(`no -top table in:\n${stdout}`);
  return lines
    .slice(header + 1)
    .filter((l) => l.trim() !== '')
    .map((line) => {
      // Split on whitespace, not columns: values can outgrow their width (go-tools.md §4).
      const [flat = '', flatPct = '', , , , ...name] = line.trim().split(/\s+/);
      return {
        flatSeconds: pprofSeconds(flat),
        flatPct: Number(flatPct.replace('%', '')),
        name: name.join(' ').replace(/ \((partial-)?inline\)$/, ''),
      };
    });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
