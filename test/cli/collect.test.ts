/**
 * `gotriage collect` (collectCommand with commander's option bag, as main.ts passes it)
 * against a real demo-service instance and a dead port: the table, the JSON, the exit
 * codes and the usage errors a user sees.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCommand } from '../../src/cli/commands/collect.ts';
import { reportError } from '../../src/cli/report-error.ts';
import { buildService, startService, type RunningService } from '../../src/demo/service.ts';
import { demoServiceDir } from '../helpers/demo-service.ts';

let dir: string;
let service: RunningService;
let deadUrl: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-cli-collect-'));
  service = await startService(await buildService(demoServiceDir, { outputPath: join(dir, 'demo-service') }));
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  deadUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  await new Promise<void>((r) => server.close(() => r()));
});
afterAll(async () => {
  await service?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs the command like main() does: the exit code, or the code reportError gives a thrown error. */
async function collect(opts: Record<string, unknown>): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c) => (stdout += c));
  err.on('data', (c) => (stderr += c));
  let code: number;
  try {
    code = await collectCommand({ pprofBase: '/user/debug/pprof', ...opts }, { stdout: out, stderr: err });
  } catch (error) {
    code = reportError(error, err);
  }
  return { code, stdout, stderr };
}

describe('gotriage collect', () => {
  it('prints a row per file and exits 1 when a target failed; the live target still delivers', async () => {
    const outDir = join(dir, 'mixed');
    const live = service.url.replace('http://', 'http://admin:hunter2@');
    const { code, stdout, stderr } = await collect({ target: [live, deadUrl], profiles: 'heap,goroutine', out: outDir });
    expect(code).toBe(1);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TARGET\s+PROFILE\s+BYTES\s+MS\s+RESULT$/);
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(6);
    const liveRows = rows.filter((r) => r.startsWith('http://***@127.0.0.1'));
    expect(liveRows.map((r) => r.split(/\s+/)[1])).toEqual(['heap.pb.gz', 'goroutine.pb.gz', 'goroutine.txt']);
    for (const row of liveRows) expect(row).toMatch(/\s\d+\s+\d+\s+ok$/);
    const deadRows = rows.filter((r) => r.startsWith(deadUrl));
    expect(deadRows).toHaveLength(3);
    for (const row of deadRows) expect(row).toMatch(/\s0\s+\d+\s+failed: .*refused/i);
    expect(lines.at(-1)).toMatch(new RegExp(`^3 file\\(s\\) in ${outDir} after [\\d.]+ s; 3 failed$`));
    const hostPort = service.url.replace('http://', '').replace(':', '_');
    for (const name of ['heap.pb.gz', 'goroutine.pb.gz', 'goroutine.txt']) expect(existsSync(join(outDir, hostPort, name))).toBe(true);
    expect(stdout + stderr).not.toContain('hunter2');
    // Not a terminal and no --verbose: no progress lines, only the heading.
    expect(stderr).not.toMatch(/^(started|done|failed) /m);
  });

  it('--verbose prints a session-style progress line as each capture starts and ends, naming the host contacted', async () => {
    const outDir = join(dir, 'verbose');
    const live = service.url.replace('http://', 'http://admin:hunter2@');
    const { code, stderr } = await collect({ target: [live], profiles: 'heap,profile', seconds: '1', out: outDir, verbose: true });
    expect(code).toBe(0);
    const host = service.url.replace('http://', '');
    const lines = stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`collecting heap, cpu from 1 target(s) into ${outDir} (cpu window 1 s)`);
    // The timed capture gets its slot first; the quick heap fetch ends inside its window.
    expect(lines.slice(1, 3)).toEqual([`started cpu 1s ${host} (1s window)`, `started heap ${host}`]);
    expect(lines[3]).toMatch(new RegExp(`^done heap ${host}: [\\d.]+ (B|KiB|MiB) in [\\d.]+ m?s$`));
    expect(lines[4]).toMatch(new RegExp(`^done cpu 1s ${host}: [\\d.]+ (B|KiB|MiB) in [\\d.]+ s$`));
    expect(lines[5]).toMatch(/^collected 2 of 2 \([\d.]+ (B|KiB|MiB)\) in [\d.]+ m?s; 0 failed$/);
    expect(stderr).not.toContain('hunter2');
  });

  it('--json gives the results and exit 0 when everything arrived', async () => {
    const outDir = join(dir, 'json');
    const { code, stdout } = await collect({ target: [service.url], profiles: 'mutex,block,threadcreate', out: outDir, json: true });
    expect(code).toBe(0);
    const parsed = JSON.parse(stdout) as {
      outDir: string;
      failed: number;
      results: { name: string; status: string; bytes: number; path: string; problems: string[] }[];
    };
    expect(parsed.outDir).toBe(outDir);
    expect(parsed.failed).toBe(0);
    expect(parsed.results.map((r) => [r.name, r.status])).toEqual([
      ['mutex.pb.gz', 'ok'],
      ['block.pb.gz', 'ok'],
      ['threadcreate.pb.gz', 'ok'],
    ]);
    for (const r of parsed.results) expect(r.path.startsWith(outDir)).toBe(true);
  });

  it.each([
    [{}, /at least one --target/],
    [{ target: ['http://127.0.0.1:1'], profiles: 'cpu,goroutines' }, /'goroutines' is not a profile kind/],
    [{ target: ['http://127.0.0.1:1'], seconds: '0' }, /--seconds takes a whole number/],
    [{ target: ['http://127.0.0.1:1'], timeout: 'soon' }, /--timeout takes a duration/],
    [{ target: ['ftp://127.0.0.1:1'] }, /must be http:\/\/ or https:\/\//],
  ])('refuses %j with exit 2 before fetching anything', async (opts, message) => {
    const outDir = join(dir, `usage-${Math.random().toString(36).slice(2)}`);
    const { code, stderr, stdout } = await collect({ ...opts, out: outDir });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stdout).toBe('');
    expect(existsSync(outDir)).toBe(false);
  });
});
