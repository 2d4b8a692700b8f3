/**
 * Descendants that leave the tool's process group with setsid(2) — a daemonising helper —
 * are ended with the tool: on a timeout, and when the tool itself exits and leaves them.
 * Real programs: setsid(1) from util-linux and sh. What is left is checked through ps(1)
 * and /proc, not through the code under test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, test } from 'vitest';
import { createRunner } from '../../src/exec/create-runner.ts';
import { hasTool } from '../helpers/tools.ts';
import { isRunning, makeTempDir, removeTempDirs, writeExecutable } from './scripts.ts';

const runner = createRunner();
const haveSetsid = hasTool('setsid', ['--version']);
const leftBehind: number[] = [];

afterAll(() => {
  // A failing test must not leave its daemons to the next one.
  for (const pid of leftBehind) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
  removeTempDirs();
});

/** The pid a process wrote into `file` (bounded wait: it may not have written it yet). */
async function pidFrom(file: string): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const pid = existsSync(file) ? Number.parseInt(readFileSync(file, 'utf8'), 10) : NaN;
    if (pid > 0) {
      leftBehind.push(pid);
      return pid;
    }
    await sleep(25);
  }
  throw new Error(`${file} was never written`);
}

/** The session id (proc(5) stat field 6): a setsid'd process leads its own. */
function sessionOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
}

describe.skipIf(!haveSetsid)('descendants that leave the process group with setsid', () => {
  test('a timeout ends a grandchild that called setsid and ignores SIGTERM; nothing is left', async () => {
    const dir = makeTempDir();
    // The tool says it is ready only once its grandchild runs in its own session.
    const tool = writeExecutable(
      dir,
      'forks-setsid',
      `#!/bin/sh
setsid sh -c 'trap "" TERM; echo $$ > "$1/grandchild.pid"; while :; do sleep 1; done' sh "$1" &
while [ ! -s "$1/grandchild.pid" ]; do sleep 0.05; done
echo ready
sleep 60
`,
    );
    const result = await runner.run([tool, dir], { outputDir: dir, name: 'setsid', timeoutMs: 3000, graceMs: 300 });
    const grandchild = await pidFrom(`${dir}/grandchild.pid`);

    expect(result.timedOut).toBe(true);
    expect(readFileSync(result.stdout.path, 'utf8'), 'the grandchild was up before the timeout').toBe('ready\n');
    expect(isRunning(grandchild)).toBe(false);
  });

  test('a tool that exits at once and leaves a double-forked, setsid daemon: the daemon is ended', async () => {
    const dir = makeTempDir();
    // `setsid -f` forks, so the daemon's parent is gone at once and it is reparented: no
    // parent-pid walk from the tool can find it, only its inherited environment.
    const tool = writeExecutable(
      dir,
      'daemonises',
      `#!/bin/sh
setsid -f sh -c 'echo $$ > "$1/daemon.pid"; exec sleep 300' sh "$1"
while [ ! -s "$1/daemon.pid" ]; do sleep 0.05; done
exit 0
`,
    );
    const result = await runner.run([tool, dir], { outputDir: dir, name: 'daemon', graceMs: 300 });
    const daemon = await pidFrom(`${dir}/daemon.pid`);

    expect(result.exitCode).toBe(0);
    expect(isRunning(daemon)).toBe(false);
  });

  test('a setsid child that cleared its environment is still ended, through its parent', async () => {
    const dir = makeTempDir();
    const tool = writeExecutable(
      dir,
      'clears-env',
      `#!/bin/sh
setsid env -i /bin/sh -c 'echo $$ > "$1/child.pid"; exec sleep 300' sh "$1" &
while [ ! -s "$1/child.pid" ]; do sleep 0.05; done
echo ready
sleep 60
`,
    );
    const running = runner.run([tool, dir], { outputDir: dir, name: 'clears-env', timeoutMs: 3000, graceMs: 300 });
    const child = await pidFrom(`${dir}/child.pid`);
    expect(sessionOf(child)).toBe(child);
    const result = await running;

    expect(result.timedOut).toBe(true);
    expect(isRunning(child)).toBe(false);
  });
});
