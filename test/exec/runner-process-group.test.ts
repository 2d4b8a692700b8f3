import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { createRunner } from '../../src/exec/create-runner.ts';
import { makeTempDir, removeTempDirs, runningProcessesInGroup, writeExecutable, writeStubbornForker } from './scripts.ts';

afterAll(removeTempDirs);

const runner = createRunner();

/** Wait until the tool has printed its pid and forked, then return the group id. */
async function waitForGroup(stdoutPath: string, expectedProcesses: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const pid = Number.parseInt(safeRead(stdoutPath), 10);
    if (pid > 0 && runningProcessesInGroup(pid).length >= expectedProcesses) return pid;
    await sleep(25);
  }
  throw new Error(`tool never started its ${expectedProcesses} processes`);
}

function safeRead(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

describe('timeout and cancel kill the whole process group', () => {
  test('a tool whose whole group ignores SIGTERM is SIGKILLed after the grace period, and nothing is left', async () => {
    const dir = makeTempDir();
    const tool = writeStubbornForker(dir, 3);
    const timeoutMs = 1000;
    const graceMs = 500;
    const started = Date.now();
    const running = runner.run([tool], { outputDir: dir, name: 'stubborn', timeoutMs, graceMs });
    // leader + 3 forked loops, all in one group, all ignoring TERM
    const pgid = await waitForGroup(`${dir}/stubborn.stdout`, 4);
    const result = await running;
    const elapsed = Date.now() - started;

    expect(result.timedOut).toBe(true);
    expect(result.cancelled).toBe(false);
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe('SIGKILL');
    expect(elapsed).toBeGreaterThanOrEqual(timeoutMs);
    expect(elapsed).toBeLessThan(timeoutMs + graceMs + 1500);
    expect(runningProcessesInGroup(pgid)).toEqual([]);
    // what the tool printed before it was killed is kept as evidence
    expect(readFileSync(result.stdout.path, 'utf8').trim()).toBe(String(pgid));
    expect(readFileSync(result.stderr.path, 'utf8')).toContain('forked 3');
  });

  test('when the leader dies on SIGTERM but its children ignore it, the children are killed too', async () => {
    const dir = makeTempDir();
    const tool = writeExecutable(
      dir,
      'leader-obeys',
      `#!/bin/sh
echo $$
sh -c "trap '' TERM; while :; do sleep 1; done" &
sh -c "trap '' TERM; while :; do sleep 1; done" &
sleep 60
`,
    );
    const running = runner.run([tool], { outputDir: dir, name: 'obeys', timeoutMs: 800, graceMs: 400 });
    const pgid = await waitForGroup(`${dir}/obeys.stdout`, 3);
    const result = await running;

    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGTERM');
    expect(runningProcessesInGroup(pgid)).toEqual([]);
  });

  test('an AbortSignal cancels mid-run: the group is gone and the result says cancelled', async () => {
    const dir = makeTempDir();
    const tool = writeStubbornForker(dir, 2);
    const controller = new AbortController();
    const started = Date.now();
    const running = runner.run([tool], { outputDir: dir, name: 'cancel', timeoutMs: 60_000, graceMs: 300, signal: controller.signal });
    const pgid = await waitForGroup(`${dir}/cancel.stdout`, 3);
    controller.abort();
    const result = await running;

    expect(result.cancelled).toBe(true);
    expect(result.timedOut).toBe(false);
    expect(result.signal).toBe('SIGKILL');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(runningProcessesInGroup(pgid)).toEqual([]);
  });

  test('a signal aborted before the run starts nothing', async () => {
    const dir = makeTempDir();
    const marker = `${dir}/ran`;
    const result = await runner.run(['sh', '-c', `touch ${marker}`], { outputDir: dir, name: 'pre', signal: AbortSignal.abort() });
    expect(result.cancelled).toBe(true);
    expect(result.exitCode).toBeNull();
    expect(() => readFileSync(marker), 'the command must not have run').toThrow(/ENOENT/);
  });

  test('a tool that exits normally but leaves a TERM-ignoring child behind has that child killed', async () => {
    const dir = makeTempDir();
    const tool = writeExecutable(
      dir,
      'leaves-orphan',
      `#!/bin/sh
echo $$
sh -c "trap '' TERM; while :; do sleep 1; done" >/dev/null 2>&1 &
echo "child $!" >&2
exit 0
`,
    );
    const result = await runner.run([tool], { outputDir: dir, name: 'orphan', graceMs: 300 });
    const pgid = Number.parseInt(readFileSync(result.stdout.path, 'utf8'), 10);

    expect(result.exitCode).toBe(0);
    expect(result.timedOut).toBe(false);
    expect(readFileSync(result.stderr.path, 'utf8')).toMatch(/^child \d+/);
    expect(runningProcessesInGroup(pgid)).toEqual([]);
  });
});
