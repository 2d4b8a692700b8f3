/**
 * SIGKILL at random points, again and again, then resume: the database stays intact,
 * nothing acknowledged before a kill is lost, interrupted steps are shown as
 * interrupted, and every session still ends in a postmortem.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, binPath, repoRoot } from '../helpers/cli.js';
import { startDemoService, type DemoFixture } from '../helpers/demo-service.js';

const KILLS = 20;
/** Kills land after one of the first KILL_LINES lines a run prints (a whole session prints about 45). */
const KILL_LINES = 30;
const playbook = join(repoRoot, 'test/fixtures/playbooks/quick-go-service.yaml');

let demo: DemoFixture;
beforeAll(async () => {
  assertBuilt();
  demo = await startDemoService();
});
afterAll(async () => demo?.stop());

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** `kept artifact #12 <sha>` lines: evidence the CLI reported as committed. */
function acknowledged(stderr: string): Map<number, string> {
  const kept = new Map<number, string>();
  for (const m of stderr.matchAll(/kept artifact #(\d+) ([0-9a-f]{64})/g)) kept.set(Number(m[1]), m[2]!);
  return kept;
}

/** SIGKILLs `child` `delayMs` after the `line`-th line of its output (stdout and stderr together). */
function killAfterLine(child: ResultPromise, line: number, delayMs: number): void {
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  child.all?.on('data', (chunk: Buffer) => {
    seen += chunk.toString('utf8').split('\n').length - 1;
    if (seen >= line && timer === undefined) timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
  });
  void child.finally(() => clearTimeout(timer));
}

describe('resume after SIGKILL', () => {
  it(`survives ${KILLS} kills at random points and still finishes each session`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-kill-'));
    const db = join(dir, 'gotriage.db');
    const out = join(dir, 'postmortems');
    const answers = join(dir, 'answers.yaml');
    writeFileSync(answers, 'alert:\n  summary: "goroutines climbing"\nfix:\n  summary: "none yet"\nresume:\n  rerun: true\n');
    const env = { GOTRIAGE_DB: db, NO_COLOR: '1' };

    const everAcknowledged = new Map<number, string>();
    let incidentId: string | null = null;
    let kills = 0;
    const finished: string[] = [];
    const interruptedSteps = new Set<string>();

    while (kills < KILLS || incidentId !== null) {
      const args = incidentId
        ? ['resume', incidentId, '--rerun', '--answers', answers, '--out', out, '-v']
        : [
            'start',
            '--playbook',
            playbook,
            '--target',
            demo.service.url,
            '--pprof-base',
            '/user/debug/pprof',
            '--answers',
            answers,
            '--out',
            out,
            '-v',
          ];
      const child = execa('node', [binPath, ...args], { cwd: dir, env, reject: false, stdin: 'ignore', all: true });
      // Kill at a random point of the work itself, not of the clock: after the n-th line the
      // CLI printed (with -v every step start, capture and kept artifact is a line), plus a
      // short random delay so kills also land between lines, in the middle of a write. A
      // loaded machine then slows the run down without moving where the kills land.
      if (kills < KILLS) killAfterLine(child, 1 + Math.floor(Math.random() * KILL_LINES), Math.floor(Math.random() * 100));
      const result = await child;
      for (const [id, sha] of acknowledged(result.all ?? '')) everAcknowledged.set(id, sha);

      if (result.signal === 'SIGKILL') kills++;
      else expect(result.exitCode, result.all).toBe(0);

      // After every run: the database is intact and every acknowledged artifact is there.
      // (A kill before the CLI opened the database leaves no file yet.)
      if (existsSync(db)) {
        const conn = new Database(db, { readonly: true });
        expect(conn.pragma('integrity_check', { simple: true })).toBe('ok');
        conn.close();
      }
      const list = await execa('node', [binPath, 'list', '--json'], { env, reject: false });
      const incidents = JSON.parse(list.stdout || '[]') as { id: string; status: string }[];
      if (everAcknowledged.size > 0) expect(incidents.length).toBeGreaterThan(0);
      const artifacts = new Map<number, { sha256: string; path: string }>();
      for (const incident of incidents) {
        const show = await execa('node', [binPath, 'show', incident.id, '--json'], { env });
        const data = JSON.parse(show.stdout) as {
          artifacts: { id: number; sha256: string; path: string }[];
          steps: { step: string; status: string }[];
        };
        for (const a of data.artifacts) artifacts.set(a.id, a);
        for (const s of data.steps) if (s.status === 'interrupted') interruptedSteps.add(s.step);
      }
      for (const [id, sha] of everAcknowledged) {
        const row = artifacts.get(id);
        expect(row, `artifact #${id} acknowledged before a kill is missing`).toBeDefined();
        expect(row!.sha256).toBe(sha);
        expect(existsSync(row!.path)).toBe(true);
        expect(sha256(row!.path)).toBe(sha);
      }

      // Next: resume the unfinished incident, or start a new one.
      const open = incidents.find((i) => i.status !== 'done');
      if (result.exitCode === 0 && result.signal === undefined) {
        finished.push(result.stdout.trim());
        incidentId = null;
      } else {
        incidentId = open?.id ?? null;
      }
    }

    expect(kills).toBe(KILLS);
    expect(finished.length).toBeGreaterThan(0);
    // The kills landed in the middle of real work at least once.
    expect(interruptedSteps.size).toBeGreaterThan(0);
    for (const report of finished) {
      const text = readFileSync(report, 'utf8');
      expect(text).toContain('main.renderExport');
      expect(text).toContain('main.slowChecksum');
    }
  }, 600_000);
});
