/**
 * The Runner's tracking hook with a real tool: told before the spawn (with the tag the tool
 * then sees in its environment), at the spawn (pid, group, start time as /proc has them)
 * and at the end (once nothing of the tool runs). A hook that cannot record leaves nothing
 * running unrecorded.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { createRunner } from '../../src/exec/create-runner.ts';
import type { ProcessEnded, ProcessSpawned, ProcessStarting, ProcessTracker } from '../../src/exec/process-tracker.ts';
import { isRunning, makeTempDir, removeTempDirs, runningProcessesInGroup, writeExecutable } from './scripts.ts';

afterAll(removeTempDirs);

const runner = createRunner();

/** The start ticks of `pid` read straight from /proc (field 22), independently of proc-table.ts. */
function startTicksOf(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

describe('the tracking hook', () => {
  test('is told before the spawn, at the spawn and after the end, in that order, with what the tool really was', async () => {
    const dir = makeTempDir();
    const tool = writeExecutable(
      dir,
      'tagged',
      `#!/bin/sh\ntouch "$1/ran"\necho "$$ $GOTRIAGE_PROCESS_TAG"\n# left behind: ended by the runner before the hook hears of the end\nsleep 30 >/dev/null 2>&1 &\n`,
    );
    const calls: string[] = [];
    let starting: ProcessStarting | undefined;
    let spawned: ProcessSpawned | undefined;
    let ended: ProcessEnded | undefined;
    let ticksAtSpawn = '';
    let leftAtEnd: string[] = ['not called'];
    const tracker: ProcessTracker = {
      async starting(p) {
        calls.push('starting');
        starting = p;
        expect(existsSync(`${dir}/ran`), 'nothing runs before the start is recorded').toBe(false);
        return {
          async spawned(s) {
            calls.push('spawned');
            spawned = s;
            ticksAtSpawn = startTicksOf(s.pid);
          },
          async ended(e) {
            calls.push('ended');
            ended = e;
            leftAtEnd = runningProcessesInGroup(spawned!.pgid);
          },
        };
      },
    };
    const result = await runner.run([tool, dir, '--token=s3cret'], { outputDir: dir, name: 'tagged', tracker });
    const [pid, tag] = readFileSync(result.stdout.path, 'utf8').trim().split(' ');

    expect(calls).toEqual(['starting', 'spawned', 'ended']);
    expect(starting).toMatchObject({ kind: 'tool', name: 'tagged', tag });
    expect(starting!.argv.join(' ')).not.toContain('s3cret');
    expect(spawned).toMatchObject({ pid: Number(pid), pgid: Number(pid) });
    expect(spawned!.startId).toMatch(new RegExp(`/${ticksAtSpawn}$`));
    expect(ended).toEqual({ exitCode: 0, signal: null, started: true });
    expect(leftAtEnd).toEqual([]);
  });

  test('a hook that cannot record the start starts nothing', async () => {
    const dir = makeTempDir();
    const tracker: ProcessTracker = {
      starting: () => Promise.reject(new Error('disk full')),
    };
    await expect(runner.run(['touch', `${dir}/ran`], { outputDir: dir, name: 'refused', tracker })).rejects.toThrow('disk full');
    expect(existsSync(`${dir}/ran`)).toBe(false);
    expect(existsSync(`${dir}/refused.stdout`)).toBe(false);
  });

  test('a tool whose spawn cannot be recorded is stopped, not left running unrecorded', async () => {
    const dir = makeTempDir();
    const tool = writeExecutable(dir, 'long', `#!/bin/sh\necho $$\nexec sleep 60\n`);
    let pid = 0;
    const tracker: ProcessTracker = {
      starting: async () => ({
        spawned: (s) => {
          pid = s.pid;
          return Promise.reject(new Error('database is locked'));
        },
        ended: async () => undefined,
      }),
    };
    await expect(runner.run([tool], { outputDir: dir, name: 'long', graceMs: 200, tracker })).rejects.toThrow('database is locked');
    expect(pid).toBeGreaterThan(0);
    expect(isRunning(pid)).toBe(false);
  });
});
