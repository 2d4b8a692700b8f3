/**
 * One session per incident, tried with the built CLI and real processes: two
 * `gotriage resume` at once (one runs, the other is refused and changes nothing), and a
 * SIGKILL while a long tool runs (the next resume ends the tool and its setsid'd grandchild
 * before it runs the step again, so it never runs twice at once).
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { assertBuilt, binPath, cli, repoRoot } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';

const fixtures = join(repoRoot, 'test/fixtures/cli');
const haveSetsid = hasTool('setsid', ['--version']);

interface ToolStart {
  pid: number;
  pgid: number;
  grandchild: number;
  /** Pids of earlier copies (and their grandchildren) still running when this one started. */
  stillRunning: number[];
}

const started: number[] = [];
afterEach(() => {
  // A failed assertion must not leave the held tools behind for the next test.
  for (const pid of started.splice(0)) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
});

/** Running = in /proc and not a zombie. Read directly, not through the code under test. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !['Z', 'X'].includes(stat.slice(stat.lastIndexOf(')') + 2)[0]!);
  } catch {
    return false;
  }
}

function setup() {
  assertBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'gotriage-lock-'));
  const db = join(dir, 'gotriage.db');
  const env = { GOTRIAGE_DB: db, NO_COLOR: '1', RECORD_FILE: join(dir, 'starts.jsonl'), RELEASE_FILE: join(dir, 'release') };
  const common = ['--non-interactive', '--answer', 'fix.summary=none', '--out', join(dir, 'pm')];
  const run = (args: string[]): ResultPromise<{ reject: false; all: true; stdin: 'ignore' }> =>
    execa('node', [binPath, ...args, ...common], { cwd: dir, env, reject: false, all: true, stdin: 'ignore' });
  const starts = (): ToolStart[] =>
    existsSync(env.RECORD_FILE)
      ? readFileSync(env.RECORD_FILE, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as ToolStart)
      : [];
  const waitForStarts = async (count: number): Promise<ToolStart[]> => {
    for (let i = 0; i < 1200; i++) {
      const now = starts();
      if (now.length >= count) {
        for (const s of now) started.push(s.pid, s.grandchild);
        return now;
      }
      await sleep(50);
    }
    throw new Error(`the held tool never started ${count} time(s)`);
  };
  const start = ['start', '--playbook', join(fixtures, 'held-tool.yaml'), '--param', `heldTool=${join(fixtures, 'held-tool.mjs')}`];
  const show = async (id: string) =>
    JSON.parse((await cli(['show', id, '--json'], { db })).stdout) as { steps: { step: string; status: string }[] };
  const incidentId = async () => (JSON.parse((await cli(['list', '--json'], { db })).stdout) as { id: string }[])[0]!.id;
  return { dir, db, env, run, starts, waitForStarts, start, show, incidentId, release: () => writeFileSync(env.RELEASE_FILE, '') };
}

const stepsOf = (show: { steps: { step: string; status: string }[] }) => show.steps.map((s) => `${s.step}:${s.status}`);

describe.skipIf(!haveSetsid)('one session per incident', () => {
  it('two `gotriage resume` at once: one runs, the other is refused with who holds it, and the running step is left alone', async () => {
    const t = setup();
    const paused = await t.run([...t.start, '--until', 'gather']);
    expect(paused.exitCode, paused.all).toBe(0);
    const id = await t.incidentId();

    const both = [t.run(['resume', id]), t.run(['resume', id])];
    // The refused one ends on its own; the one that runs waits for its tool to be released.
    const first = await Promise.race(both.map((p, index) => p.then((result) => ({ index, result }))));
    const loser = first.result;
    const winner = both[1 - first.index]!;

    expect(loser.exitCode, loser.all).toBe(1);
    expect(loser.stderr).toMatch(
      new RegExp(
        `error: incident ${id} is already being worked on by \`gotriage resume\` \\(pid ${winner.pid} on host ${hostname()}, since \\S+\\)`,
      ),
    );
    expect(loser.stderr).toContain(`then run: gotriage resume ${id}`);
    expect(loser.stderr).not.toMatch(/internal error|^\s+at /m);

    // The winner's tool is running, and its step is still `started`, not interrupted.
    const [only] = await t.waitForStarts(1);
    expect(isRunning(only!.pid)).toBe(true);
    expect(stepsOf(await t.show(id))).toEqual(['alert:finished', 'gather:started']);

    t.release();
    const done = await winner;
    expect(done.exitCode, done.all).toBe(0);
    expect(stepsOf(await t.show(id))).toEqual([
      'alert:finished',
      'gather:finished',
      'analyze:finished',
      'hypothesize:finished',
      'fix:finished',
      'postmortem:finished',
    ]);
    expect(t.starts()).toHaveLength(1);
  }, 240_000);

  it('after a SIGKILL mid-tool, resume ends the old tool and its setsid grandchild before it runs the step again', async () => {
    const t = setup();
    const first = t.run(t.start);
    const [old] = await t.waitForStarts(1);
    first.kill('SIGKILL');
    expect((await first).signal).toBe('SIGKILL');
    // What the issue saw: gotriage is gone, its tool and the tool's grandchild are not.
    expect(isRunning(old!.pid)).toBe(true);
    expect(isRunning(old!.grandchild)).toBe(true);
    expect(old!.grandchild).not.toBe(old!.pgid);

    const id = await t.incidentId();
    const resumed = t.run(['resume', id, '--rerun']);
    const [, again] = await t.waitForStarts(2);
    // The second copy started alone: nothing of the first was running any more.
    expect(again!.stillRunning).toEqual([]);
    expect(isRunning(old!.pid)).toBe(false);
    expect(isRunning(old!.grandchild)).toBe(false);

    t.release();
    const result = await resumed;
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toMatch(
      /was held by `gotriage start` \(pid \d+ on host \S+, since \S+\), which is no longer running: taking the session over/,
    );
    expect(result.stderr).toMatch(
      new RegExp(
        `tool \`node \\S+held-tool\\.mjs\` of gather \\(attempt 1\\) was still running from the interrupted run: ended it \\(pid [\\d, ]*\\b${old!.pid}\\b`,
      ),
    );
    expect(result.stderr).toMatch(new RegExp(`ended it \\(pid [\\d, ]*\\b${old!.grandchild}\\b`));
    expect(stepsOf(await t.show(id)).slice(0, 3)).toEqual(['alert:finished', 'gather:interrupted', 'gather:finished']);
    expect(isRunning(again!.pid)).toBe(false);
    expect(isRunning(again!.grandchild)).toBe(false);
  }, 240_000);
});
