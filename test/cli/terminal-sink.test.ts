/**
 * Hostile text — escape sequences, OSC 8 links, bidi overrides — in an alert, a log and a
 * templated value, through a real session of the built CLI: no terminal control reaches
 * stdout, stderr or the postmortem raw; each shows as a visible escape; `--json` stays valid
 * JSON that still holds the original text; our own colours still work on a real terminal.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { binPath, cli } from '../helpers/cli.js';
import { hasTool } from '../helpers/tools.js';

const ESC = '\u001b';
const RLO = '\u202e';
const TITLE = `Checkout ${ESC}[31mdown${ESC}[0m ${RLO}gnp.exe${'\u202c'} ${ESC}]8;;http://evil.example/${'\u0007'}click${ESC}]8;;${'\u0007'}`;

let dir: string;
let db: string;
let incidentId: string;
let logFile: string;
const outputs: Record<string, string> = {};

/** Counts of the raw bytes a terminal would obey. */
function rawControls(text: string): { esc: number; rlo: number; bidi: number } {
  return {
    esc: text.split(ESC).length - 1,
    rlo: text.split(RLO).length - 1,
    bidi: (text.match(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g) ?? []).length,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-hostile-'));
  db = join(dir, 'gotriage.db');
  const now = new Date().toISOString();
  logFile = join(dir, 'app.log');
  writeFileSync(
    logFile,
    [
      JSON.stringify({ time: now, level: 'ERROR', msg: `payment failed ${ESC}[2J${ESC}[H ${RLO}lanigiro` }),
      JSON.stringify({ time: now, level: 'ERROR', msg: `payment failed ${ESC}[2J${ESC}[H ${RLO}lanigiro` }),
    ].join('\n') + '\n',
  );
  const alert = join(dir, 'alert.md');
  writeFileSync(alert, `# ${TITLE}\n\nSince 02:50 UTC checkout answers 500. ${RLO}evil\n`);
  const playbook = join(dir, 'hostile.yaml');
  writeFileSync(
    playbook,
    [
      'apiVersion: gotriage/v1',
      'name: hostile',
      'title: Hostile text',
      'params:',
      '  value: placeholder',
      'steps:',
      '  gather:',
      '    actions:',
      '      - { id: echo, kind: command, tool: node, args: ["-e", "process.exit(3)", "{{value}}"] }',
      `      - { id: logs, kind: logs, files: ["${logFile}"] }`,
      '  fix:',
      '    prompts: []',
      '',
    ].join('\n'),
  );
  const start = await cli(
    [
      'start',
      '--playbook',
      playbook,
      '--alert',
      alert,
      '--param',
      `value=x${ESC}[31m${RLO}y`,
      '--non-interactive',
      '--out',
      join(dir, 'pm'),
    ],
    { db },
  );
  expect(start.exitCode, start.all).toBe(0);
  outputs.start = start.all;
  outputs.postmortem = readFileSync(start.stdout.trim(), 'utf8');
  const list = await cli(['list', '--json'], { db });
  incidentId = (JSON.parse(list.stdout) as { id: string }[])[0]!.id;
  for (const [name, args] of Object.entries({
    list: ['list'],
    show: ['show', incidentId],
    analyze: ['analyze', logFile],
  })) {
    const result = await cli(args, { db });
    expect(result.exitCode, result.all).toBe(0);
    outputs[name] = result.all;
  }
});

describe('terminal and report sinks', () => {
  it.each(['start', 'list', 'show', 'analyze', 'postmortem'])('%s: no raw ESC or bidi control, the escaped form shows', (name) => {
    const text = outputs[name]!;
    expect(rawControls(text), text).toEqual({ esc: 0, rlo: 0, bidi: 0 });
    // Markdown escapes the backslash (`\\x1b` renders as `\x1b`); a terminal shows it as is.
    const visible = name === 'postmortem' ? /\\\\x1b\\\[(31m|2J)/ : /\\x1b\[(31m|2J)/;
    expect(text).toMatch(visible);
    expect(text).toMatch(name === 'postmortem' ? /\\\\u202e/ : /\\u202e/);
  });

  it('start shows the templated value as it reached the tool, escaped', () => {
    expect(outputs.start).toContain('running node -e process.exit(3) x\\x1b[31m\\u202ey');
  });

  it.each([
    ['show', () => ['show', incidentId, '--json'], (out: { incident: { title: string } }) => out.incident.title],
    ['list', () => ['list', '--json'], (out: { title: string }[]) => out[0]!.title],
    // A finding's title quotes the log line: the override is still in it, as data.
    [
      'analyze',
      () => ['analyze', logFile, '--json'],
      (out: { title: string }[]) => (out[0]!.title.includes(`${RLO}lanigiro`) ? TITLE : out[0]!.title),
    ],
  ])('%s --json: valid JSON, \\u escapes only, the original text kept', async (_name, args, title) => {
    const result = await cli(args(), { db });
    expect(result.exitCode).toBe(0);
    expect(rawControls(result.stdout)).toEqual({ esc: 0, rlo: 0, bidi: 0 });
    expect(result.stdout).toContain('\\u202e');
    expect(title(JSON.parse(result.stdout))).toBe(TITLE);
  });
});

const haveScript = hasTool('script', ['--version']);

describe.skipIf(!haveScript)('on a real terminal (script(1) gives the CLI a pty)', () => {
  const inPty = (noColor: boolean) =>
    // A wide terminal, so the table does not cut the titles this test reads.
    execa('script', ['-qec', `stty cols 250; '${process.execPath}' '${binPath}' analyze '${logFile}'`, '/dev/null'], {
      env: { ...process.env, GOTRIAGE_DB: db, ...(noColor ? { NO_COLOR: '1' } : {}) },
      extendEnv: false,
      reject: false,
    });

  it('our own colours still work; the data in the same table is escaped', async () => {
    const result = await inPty(false);
    expect(result.exitCode).toBe(0);
    // The severity column's SGR colour, then the reset: ours. The data's ESC: escaped.
    expect(result.stdout).toMatch(/\u001b\[(1;31|31|33|36|2)m(critical|high|medium|low|info) *\u001b\[0m/);
    expect(result.stdout).toContain('\\x1b[2J');
    expect(result.stdout.replace(/\u001b\[[\d;]*m/g, '')).not.toContain(ESC);
    expect(result.stdout).not.toContain(RLO);
  });

  it('NO_COLOR: not one ESC byte', async () => {
    const result = await inPty(true);
    expect(result.exitCode).toBe(0);
    expect(rawControls(result.stdout)).toEqual({ esc: 0, rlo: 0, bidi: 0 });
    expect(result.stdout).toContain('\\x1b[2J');
  });
});
