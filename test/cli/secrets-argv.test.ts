/**
 * Secrets never reach a tool's command line, which every user of the machine can read
 * (/proc/<pid>/cmdline). A real tool (print-cmdline.mjs) records its own cmdline: with a
 * secret in a templated argument the built CLI refuses to start it and says to use env:;
 * through env: the secret arrives and the cmdline holds none of it. `playbook validate`
 * warns, with file:line:col, at each argument whose placeholder can hold a secret.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.js';

const SECRET = 'tok-Wm4"9f8e7d6c';
const PASSWORD = 'pw-5b4a3c2d1e';
const TARGET = `http://oncall:${PASSWORD}@127.0.0.1:9/`;
const recorder = join(repoRoot, 'test/fixtures/cli/print-cmdline.mjs');

let dir: string;
const playbooks: Record<string, string> = {};

/** A one-action playbook; `action` is the YAML of the action's extra keys. */
function playbook(name: string, action: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(
    path,
    [
      'apiVersion: gotriage/v1',
      `name: ${name}`,
      'title: Secrets and argv',
      'params:',
      `  recorder: ${JSON.stringify(recorder)}`,
      '  token: ""',
      'steps:',
      '  gather:',
      '    actions:',
      '      - id: record',
      '        kind: command',
      '        tool: node',
      ...action.split('\n').map((line) => `        ${line}`),
      '  fix:',
      '    prompts: []',
      '',
    ].join('\n'),
  );
  return path;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-argv-'));
  playbooks.tokenArg = playbook('token-arg', 'args: ["{{recorder}}", "--token={{token}}"]');
  playbooks.targetArg = playbook('target-arg', 'args: ["{{recorder}}", "{{target}}"]');
  playbooks.env = playbook('env', 'args: ["{{recorder}}"]\nenv: { API_TOKEN: "{{token}}", TARGET: "{{target}}" }');
});

function run(book: string, record: string, extra: string[]) {
  return cli(['start', '--playbook', book, '--non-interactive', '--out', join(dir, 'pm'), ...extra], {
    db: join(dir, `${record}.db`),
    env: { RECORD_FILE: join(dir, `${record}.jsonl`) },
  });
}

describe('a secret in a command argument', () => {
  it.each([
    [
      'a secret-named param, --token={{token}}',
      'tokenArg',
      ['--param', `token=${SECRET}`],
      '{{token}} in the argument "--token={{token}}"',
    ],
    ['a target with user:password@, {{target}}', 'targetArg', ['--target', TARGET], '{{target}} in the argument "{{target}}"'],
  ])('%s: refused before the tool starts, with what to do instead', async (_what, book, flags, said) => {
    const result = await run(playbooks[book]!, book, flags);
    expect(result.exitCode, result.all).toBe(2);
    expect(result.stderr).toContain(`error: action record: ${said} would put a secret on the tool's command line`);
    expect(result.stderr).toContain('/proc/<pid>/cmdline');
    expect(result.stderr).toMatch(/pass it through the action's env: instead, e\.g\. env: \{ (TOKEN|TARGET): "\{\{(token|target)\}\}" \}/);
    expect(result.all).not.toContain(SECRET);
    expect(result.all).not.toContain(PASSWORD);
    expect(existsSync(join(dir, `${book}.jsonl`))).toBe(false);
  });

  it('through env: the tool gets the secret, and its command line shows none of it', async () => {
    const result = await run(playbooks.env!, 'env', ['--param', `token=${SECRET}`, '--target', TARGET]);
    expect(result.exitCode, result.all).toBe(0);
    const [record] = readFileSync(join(dir, 'env.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { cmdline: string[]; tokenLength: number; target: string });
    expect(record!.cmdline).toEqual(['node', recorder]);
    expect(record!.cmdline.join(' ')).not.toContain(SECRET.slice(4));
    expect(record!.cmdline.join(' ')).not.toContain(PASSWORD);
    expect(record!.tokenLength).toBe(SECRET.length);
    expect(record!.target).toBe(TARGET);
    expect(result.all).not.toContain(SECRET);
    expect(result.all).not.toContain(PASSWORD);
  });
});

describe('gotriage playbook validate', () => {
  /** line:col of `needle` (1-based) in the playbook file. */
  const position = (file: string, needle: string) => {
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes(needle));
    return `${line + 1}:${lines[line]!.indexOf(needle) + 1}`;
  };

  it.each([
    ['tokenArg', '"--token={{token}}"', 'args[1]: {{token}} can hold a secret (its name says it holds a secret)'],
    ['targetArg', '"{{target}}"', 'args[1]: {{target}} can hold a secret (a target URL may carry user:password@'],
  ])('%s: a warning at the argument, exit 0', async (book, needle, message) => {
    const file = playbooks[book]!;
    const result = await cli(['playbook', 'validate', file], { db: join(dir, 'validate.db') });
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stderr).toContain(`warning: ${file}:${position(file, needle)}: steps.gather.actions[0].${message}`);
    expect(result.stderr).toContain('pass it through env: instead');
  });

  it('an action that passes its secrets through env: draws no warning', async () => {
    const result = await cli(['playbook', 'validate', playbooks.env!], { db: join(dir, 'validate.db') });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
  });
});
