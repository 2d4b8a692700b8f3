/**
 * The CLI as a user runs it: built bin, real processes, a temp database.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { binPath, cli, repoRoot } from '../helpers/cli.js';
import { copyReleaseDb, RELEASE_DONE, RELEASE_PAUSED, RELEASE_PLAYBOOK } from '../helpers/release-db.js';

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
    // The event is data (its action and reason), with the sentence rendered from it beside.
    expect(show.timeline).toContainEqual(
      expect.objectContaining({
        kind: 'action-skipped',
        step: 'gather',
        action: 'optional',
        reason: expect.stringMatching(/^it needs extra/),
        message: expect.stringMatching(/^optional: skipped, it needs extra/),
      }),
    );
    expect(show.collections).toEqual([expect.objectContaining({ actionId: 'optional', target: null, status: 'skipped', artifactIds: [] })]);
    const withParam = await cli([...base, '--param', 'extra=given'], { db, env: { RECORD_FILE: record } });
    expect(withParam.exitCode, withParam.all).toBe(0);
    expect(readFileSync(record, 'utf8').trim()).toBe('["given"]');
    // `list` says how each incident's collections went, newest first.
    const listed = await cli(['list'], { db });
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => /\[collected (.*)\]$/.exec(line)?.[1]),
    ).toEqual(['1 ok', '1 skipped']);
    expect((JSON.parse((await cli(['list', '--json'], { db })).stdout) as { collections: unknown }[]).map((i) => i.collections)).toEqual([
      { ok: 1, failed: 0, skipped: 0, 'not-served': 0 },
      { ok: 0, failed: 0, skipped: 1, 'not-served': 0 },
    ]);
    const text = (await cli(['show', incident!.id], { db })).stdout;
    expect(text).toMatch(/^Collection \(1\)\n {2}gather #1 +optional +— {2}skipped {2}nothing kept — it needs extra/m);
  });

  it('a database the released gotriage wrote is migrated: show and report read it, resume finishes its paused session', async () => {
    const { dir } = tempDb();
    const db = copyReleaseDb(dir);
    // The release recorded the absolute playbook path of the machine that made the fixture.
    const old = new Database(db);
    old.prepare('UPDATE incidents SET playbook_path = ?').run(RELEASE_PLAYBOOK);
    old.close();

    const show = await cli(['show', RELEASE_DONE], { db });
    expect(show.exitCode, show.all).toBe(0);
    expect(show.stdout).toMatch(/^ {2}\S+ {2}gather +action-skipped goroutineleak debug=2 from http:\/\/127\.0\.0\.1:\d+: not served/m);
    expect(show.stdout).toMatch(/^ {2}gather #1 +goroutines +— {2}ok {2}2 artifact\(s\)/m);
    const report = await cli(['report', RELEASE_DONE, '--out', join(dir, 'pm')], { db });
    expect(report.exitCode, report.all).toBe(0);
    const markdown = readFileSync(report.stdout.trim(), 'utf8');
    expect(markdown).toMatch(/^\| — \| goroutines \| ok \| 2 artifact\(s\), [\d.]+ KiB \| recorded by an older gotriage/m);
    expect(markdown).toMatch(/goroutines parked in main\.renderExport \(chan send\) grew \d+ → \d+/);

    const resumed = await cli(['resume', RELEASE_PAUSED, '--non-interactive', '--answer', 'fix.summary=none', '--out', join(dir, 'pm')], {
      db,
    });
    expect(resumed.exitCode, resumed.all).toBe(0);
    const after = JSON.parse((await cli(['show', RELEASE_PAUSED, '--json'], { db })).stdout);
    expect(after.incident.status).toBe('done');
    expect(after.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`)).toEqual([
      'alert:finished',
      'gather:finished',
      'analyze:finished',
      'hypothesize:finished',
      'fix:finished',
      'postmortem:finished',
    ]);
    // The resumed steps read what the release gathered, and write typed events after its legacy ones.
    expect(after.findings.map((f: { kind: string }) => f.kind)).toContain('goroutine-growth');
    const kinds = after.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds.slice(0, kinds.lastIndexOf('legacy') + 1)).not.toContain('analyzed');
    expect(kinds).toContain('analyzed');
    expect(after.timeline.find((e: { kind: string }) => e.kind === 'postmortem-written').path).toBe(
      join(dir, 'pm', `${RELEASE_PAUSED}.md`),
    );
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
