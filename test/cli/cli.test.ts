/**
 * The CLI as a user runs it: built bin, real processes, a temp database.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { binPath, cli, repoRoot } from '../helpers/cli.js';

const fixtures = join(repoRoot, 'test/fixtures');

function tempDb(): { dir: string; db: string } {
  const dir = mkdtempSync(join(tmpdir(), 'gotriage-cli-'));
  return { dir, db: join(dir, 'gotriage.db') };
}

async function incidents(db: string): Promise<{ id: string; status: string; state: string }[]> {
  const list = await cli(['list', '--json'], { db });
  expect(list.exitCode).toBe(0);
  return JSON.parse(list.stdout);
}

describe('gotriage CLI', () => {
  it('--help lists every command', async () => {
    const { db } = tempDb();
    const result = await cli(['--help'], { db });
    expect(result.exitCode).toBe(0);
    for (const command of ['start', 'resume', 'list', 'show', 'report', 'doctor', 'demo', 'playbook']) {
      expect(result.stdout).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
    }
  });

  it('playbook validate: a broken playbook gives file:line:col and exit 2; a good one exit 0', async () => {
    const { db } = tempDb();
    const bad = join(fixtures, 'playbooks/misspelled-key.yaml');
    const result = await cli(['playbook', 'validate', bad], { db });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: `));
    expect(result.stderr).toContain('timout');
    const good = await cli(['playbook', 'validate', join(repoRoot, 'playbooks/go-service.yaml')], { db });
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toContain('ok');
  });

  it('a broken playbook given to start creates no session', async () => {
    const { db } = tempDb();
    const result = await cli(['start', '--playbook', join(fixtures, 'playbooks/unclosed-bracket.yaml'), '--target', 'http://127.0.0.1:9'], {
      db,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/unclosed-bracket\.yaml:\d+:\d+/);
    expect(existsSync(db) ? await incidents(db) : []).toEqual([]);
  });

  it('start without a target, for a playbook that collects profiles, is a usage error', async () => {
    const { db } = tempDb();
    const result = await cli(['start'], { db });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('--target');
  });

  it('a tool missing from PATH is named, with how to get it, before any state changes', async () => {
    const { db } = tempDb();
    const result = await cli(['start', '--playbook', join(fixtures, 'cli/missing-tool.yaml')], { db });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('gotriage-no-such-tool not found on PATH');
    expect(existsSync(db) ? await incidents(db) : []).toEqual([]);
  });

  it('no terminal and no answers: a clear usage error naming the question, never a hang', async () => {
    const { db } = tempDb();
    const result = await cli(['start', '--playbook', join(fixtures, 'playbooks/quick-go-service.yaml'), '--target', 'http://127.0.0.1:9'], {
      db,
      timeoutMs: 30_000,
    });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("'alert.summary'");
    expect(result.stderr).toContain('--answers');
  });

  it('templated values reach the tool as ONE literal argument each; a value that looks like a flag is refused', async () => {
    const { dir, db } = tempDb();
    const record = join(dir, 'args.jsonl');
    const hostile = ['"; curl x|sh #', '$(id)', '`id`', 'a && b', '*', 'two words', '{{secret}}'];
    for (const value of hostile) {
      const result = await cli(
        [
          'start',
          '--playbook',
          join(fixtures, 'cli/hostile-args.yaml'),
          '--param',
          `value=${value}`,
          '--param',
          `recorder=${join(fixtures, 'cli/record-args.mjs')}`,
          '--answer',
          'fix.summary=none',
          '--non-interactive',
          '--out',
          join(dir, 'pm'),
        ],
        { db, env: { RECORD_FILE: record } },
      );
      expect(result.exitCode, result.all).toBe(0);
    }
    const runs = readFileSync(record, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as string[]);
    expect(runs).toEqual(hostile.map((v) => [v, `--flag=${v}`, `${v}-suffix`]));

    const flagLike = await cli(
      [
        'start',
        '--playbook',
        join(fixtures, 'cli/hostile-args.yaml'),
        '--param',
        'value=--output=/etc/x',
        '--param',
        `recorder=${join(fixtures, 'cli/record-args.mjs')}`,
        '--answer',
        'fix.summary=none',
        '--non-interactive',
      ],
      { db, env: { RECORD_FILE: record } },
    );
    expect(flagLike.exitCode).toBe(2);
    expect(flagLike.stderr).toMatch(/starts with '-'/);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(hostile.length);
  });

  it('Ctrl-C during a running tool: exit 130, the session is saved and says how to resume; no tool is left running', async () => {
    const { dir, db } = tempDb();
    const child = execa(
      'node',
      [
        binPath,
        'start',
        '--playbook',
        join(fixtures, 'cli/slow-tool.yaml'),
        '--answer',
        'fix.summary=none',
        '--non-interactive',
        '--out',
        join(dir, 'pm'),
      ],
      {
        env: { GOTRIAGE_DB: db, NO_COLOR: '1' },
        reject: false,
        stdin: 'ignore',
      },
    );
    // Wait until the tool is running, then interrupt as a terminal would.
    for (let i = 0; i < 100 && !(await execa('pgrep', ['-f', '^sleep 60$'], { reject: false })).stdout; i++)
      await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const [incident] = await incidents(db);
    expect(result.stderr).toContain(`resume with: gotriage resume ${incident!.id}`);
    expect((await execa('pgrep', ['-f', '^sleep 60$'], { reject: false })).stdout).toBe('');
    const show = JSON.parse((await cli(['show', incident!.id, '--json'], { db })).stdout);
    expect(show.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
      'alert:finished',
      'gather:interrupted',
    ]);

    // Resuming without re-running the interrupted step skips it and finishes.
    const resumed = await cli(
      ['resume', incident!.id, '--no-rerun', '--answer', 'fix.summary=none', '--non-interactive', '--out', join(dir, 'pm')],
      { db },
    );
    expect(resumed.exitCode, resumed.all).toBe(0);
    const report = readFileSync(resumed.stdout.trim(), 'utf8');
    expect(report).toContain('interrupted');
  });

  it.each([
    ['--rerun', 'finished', 1],
    ['--no-rerun', 'skipped', 0],
  ] as const)('resume %s after Ctrl-C: the interrupted step is %s', async (flag, status, toolRuns) => {
    const { dir, db } = tempDb();
    const marker = join(dir, 'started-once');
    const answers = ['--answer', 'fix.summary=none', '--non-interactive', '--out', join(dir, 'pm')];
    const params = ['--param', `script=${join(fixtures, 'cli/sleep-once.mjs')}`, '--param', `marker=${marker}`];
    const child = execa('node', [binPath, 'start', '--playbook', join(fixtures, 'cli/interrupt-once.yaml'), ...params, ...answers], {
      env: { GOTRIAGE_DB: db, NO_COLOR: '1' },
      reject: false,
      stdin: 'ignore',
    });
    // The tool writes the marker when it starts its minute of sleep: interrupt it then.
    for (let i = 0; i < 600 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGINT');
    expect((await child).exitCode).toBe(130);
    const [incident] = await incidents(db);

    const resumed = await cli(['resume', incident!.id, flag, ...answers], { db });
    expect(resumed.exitCode, resumed.all).toBe(0);
    const show = JSON.parse((await cli(['show', incident!.id, '--json'], { db })).stdout);
    const gather = show.steps.filter((s: { step: string }) => s.step === 'gather');
    expect(gather.map((s: { status: string }) => s.status)).toEqual(['interrupted', status]);
    if (status === 'skipped') expect(gather[1].reason).toMatch(/not re-run \(declined on resume\)/);
    // Only a re-run starts the tool again (the interrupted first run kept no tool run).
    expect(show.toolRuns).toHaveLength(toolRuns);
  });

  it('--until pauses a session before a step; resume runs it from there', async () => {
    const { dir, db } = tempDb();
    const record = join(dir, 'args.jsonl');
    const common = [
      '--param',
      `recorder=${join(fixtures, 'cli/record-args.mjs')}`,
      '--answer',
      'fix.summary=none',
      '--non-interactive',
      '--out',
      join(dir, 'pm'),
    ];
    const paused = await cli(['start', '--playbook', join(fixtures, 'cli/hostile-args.yaml'), '--until', 'analyze', ...common], {
      db,
      env: { RECORD_FILE: record },
    });
    expect(paused.exitCode, paused.all).toBe(0);
    const [incident] = await incidents(db);
    expect(paused.stdout).toContain(`paused before analyze; resume with: gotriage resume ${incident!.id}`);
    expect(incident!.state).toBe('analyze');
    const resumed = await cli(['resume', incident!.id, '--non-interactive', '--answer', 'fix.summary=none', '--out', join(dir, 'pm')], {
      db,
      env: { RECORD_FILE: record },
    });
    expect(resumed.exitCode, resumed.all).toBe(0);
    const show = JSON.parse((await cli(['show', incident!.id, '--json'], { db })).stdout);
    expect(show.incident.status).toBe('done');
    // gather ran once, before the pause; nothing ran twice.
    expect(show.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
      'alert:finished',
      'gather:finished',
      'analyze:finished',
      'hypothesize:finished',
      'fix:finished',
      'postmortem:finished',
    ]);
    expect(readFileSync(record, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  it('an action whose required parameter is missing is skipped with a recorded reason; given, it runs', async () => {
    const { dir, db } = tempDb();
    const record = join(dir, 'args.jsonl');
    const base = [
      'start',
      '--playbook',
      join(fixtures, 'cli/requires-param.yaml'),
      '--param',
      `recorder=${join(fixtures, 'cli/record-args.mjs')}`,
      '--non-interactive',
      '--out',
      join(dir, 'pm'),
    ];
    const without = await cli(base, { db, env: { RECORD_FILE: record } });
    expect(without.exitCode, without.all).toBe(0);
    expect(existsSync(record)).toBe(false);
    const [incident] = await incidents(db);
    const show = JSON.parse((await cli(['show', incident!.id, '--json'], { db })).stdout);
    expect(show.timeline.map((e: { message: string }) => e.message)).toContainEqual(
      expect.stringMatching(/optional: skipped, it needs extra/),
    );
    const withParam = await cli([...base, '--param', 'extra=given'], { db, env: { RECORD_FILE: record } });
    expect(withParam.exitCode, withParam.all).toBe(0);
    expect(readFileSync(record, 'utf8').trim()).toBe('["given"]');
  });

  it('doctor names each tool with its version', async () => {
    const { db } = tempDb();
    const result = await cli(['doctor'], { db });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^ok\s+go\s+go version go1\.\d+/m);
    for (const tool of ['dlv', 'dot', 'git']) expect(result.stdout).toMatch(new RegExp(`^(ok|missing)\\s+${tool}\\b`, 'm'));
  });

  it('a database file that is not ours is refused and left untouched', async () => {
    const { dir } = tempDb();
    const db = join(dir, 'notes.db');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(db, 'these are my notes, not a database\n');
    const result = await cli(['list'], { db });
    expect(result.exitCode).toBe(1);
    expect(readFileSync(db, 'utf8')).toBe('these are my notes, not a database\n');
  });
});
