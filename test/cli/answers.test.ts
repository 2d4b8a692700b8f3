/**
 * Answers as the README promises them: `{{alert.summary}}` (any `<step>.<key>` answer) fills
 * a later step's command arguments — a real tool records what it received — on the first run
 * and after a resume; and a NUL byte in an answers file is refused at load, naming file and key.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.js';

let dir: string;
let playbook: string;
const recorder = join(repoRoot, 'test/fixtures/cli/record-args.mjs');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-answers-'));
  playbook = join(dir, 'echo-answer.yaml');
  writeFileSync(
    playbook,
    [
      'apiVersion: gotriage/v1',
      'name: echo-answer',
      'title: Answers fill later steps',
      'params:',
      `  recorder: ${JSON.stringify(recorder)}`,
      'steps:',
      '  alert:',
      '    prompts: [{ key: summary, message: What happened? }]',
      '  gather:',
      '    actions:',
      '      - { id: echo, kind: command, tool: node, args: ["{{recorder}}", "{{alert.summary}}", "summary={{alert.summary}}"] }',
      '  fix:',
      '    prompts: []',
      '',
    ].join('\n'),
  );
});

const recorded = (file: string) =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as string[]);

describe('answers as placeholders', () => {
  it('the alert step’s answer reaches the gather step’s command, one argument whatever it holds', async () => {
    const record = join(dir, 'first.jsonl');
    const summary = 'p99 up since 02:50; $(id) "quoted"';
    const result = await cli(
      ['start', '--playbook', playbook, '--answer', `alert.summary=${summary}`, '--non-interactive', '--out', join(dir, 'pm')],
      { db: join(dir, 'first.db'), env: { RECORD_FILE: record } },
    );
    expect(result.exitCode, result.all).toBe(0);
    expect(recorded(record)).toEqual([[summary, `summary=${summary}`]]);
  });

  it('after a resume the saved answer fills it, without being asked again', async () => {
    const record = join(dir, 'resumed.jsonl');
    const db = join(dir, 'resumed.db');
    const paused = await cli(
      ['start', '--playbook', playbook, '--answer', 'alert.summary=checkout down', '--until', 'gather', '--non-interactive'],
      { db, env: { RECORD_FILE: record } },
    );
    expect(paused.exitCode, paused.all).toBe(0);
    expect(existsSync(record)).toBe(false);
    const id = (JSON.parse((await cli(['list', '--json'], { db })).stdout) as { id: string }[])[0]!.id;
    const resumed = await cli(['resume', id, '--non-interactive', '--out', join(dir, 'pm')], { db, env: { RECORD_FILE: record } });
    expect(resumed.exitCode, resumed.all).toBe(0);
    expect(recorded(record)).toEqual([['checkout down', 'summary=checkout down']]);
  });
});

describe('a NUL byte in an answer', () => {
  it('an answers file holding one is refused at load, naming file:line:col and key; no session is made', async () => {
    const answers = join(dir, 'answers.yaml');
    writeFileSync(answers, 'alert:\n  summary: "bad\\0value"\n');
    const db = join(dir, 'nul.db');
    const result = await cli(['start', '--playbook', playbook, '--answers', answers, '--non-interactive'], { db });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`error: ${answers}:2:12: answer 'alert.summary' contains a NUL byte`);
    expect(result.all).not.toContain('\0');
    const list = await cli(['list', '--json'], { db });
    expect(existsSync(db) ? JSON.parse(list.stdout) : []).toEqual([]);
  });
});
