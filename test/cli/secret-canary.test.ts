/**
 * The canary: one secret, given the ways a run learns secrets (a --header value — not an
 * Authorization header, which cannot go with user:password@ — a target's
 * user:password@, a secret-named --param, an answer to a secret-named question), and pushed
 * through every sink a real session of the built CLI has — the logger and progress (stderr),
 * results (stdout of start, show, list, also as --json), the store (every text column, argv,
 * artifact labels, the WAL) and the postmortem — in every encoding a tool could print it:
 * raw, JSON-escaped, percent-encoded, Base64 (alone and as Basic auth), and cut in half where a
 * long log line is shortened. Then the bytes of each sink are searched for each encoding.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli, repoRoot } from '../helpers/cli.js';

/** A quote (the old rules stopped there), `:`, `/`, `+`, `=`, and a non-ASCII letter. */
const SECRET = 'Wm4"pa:ss/wo+rd=Q9ü';

const ENCODINGS: Record<string, string> = {
  raw: SECRET,
  json: JSON.stringify(SECRET).slice(1, -1),
  url: encodeURIComponent(SECRET),
  base64: Buffer.from(SECRET).toString('base64'),
  base64url: Buffer.from(SECRET).toString('base64url'),
  basicAuth: Buffer.from(`oncall:${SECRET}`).toString('base64'),
  // What a cut at a log line's 500th character would leave of it.
  firstHalf: SECRET.slice(0, 9),
  // The part after the first quote, which the old `--token=…` rule left behind.
  afterQuote: SECRET.slice(SECRET.indexOf('"') + 1),
};

let dir: string;
let db: string;
let id: string;
const sinks: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-canary-'));
  db = join(dir, 'gotriage.db');
  const now = new Date().toISOString();
  const logFile = join(dir, 'app.log');
  const logLine = (msg: string) => JSON.stringify({ time: now, level: 'ERROR', msg });
  writeFileSync(
    logFile,
    [
      logLine(`login rejected for token ${SECRET}`),
      logLine(`upstream said Authorization: Basic ${ENCODINGS.basicAuth}`),
      logLine(`retrying ${'x'.repeat(480)} ${SECRET} and more`), // the secret starts at character 490 of 500 kept
      logLine(`callback ?token=${ENCODINGS.url}&state=1`),
      // Bare encodings, where no pattern says "secret": only the known value can catch them.
      logLine(`decode failed for ${ENCODINGS.base64} / ${ENCODINGS.base64url} / ${ENCODINGS.basicAuth} / ${ENCODINGS.url}`),
    ].join('\n') + '\n',
  );
  const alert = join(dir, 'alert.md');
  writeFileSync(alert, `# Checkout rejects key ${SECRET}\n\nSince 02:50 UTC. Config had token ${ENCODINGS.json}.\n`);
  const playbook = join(dir, 'canary.yaml');
  writeFileSync(
    playbook,
    [
      'apiVersion: gotriage/v1',
      'name: canary',
      'title: One secret through every sink',
      'params:',
      '  apiToken: ""',
      'steps:',
      '  alert:',
      '    prompts: [{ key: token, message: "Which token did the client send?" }]',
      '  gather:',
      '    actions:',
      '      - id: emit',
      '        kind: command',
      '        tool: node',
      // A literal secret in a playbook's args: the argv the store keeps must not show it.
      `        args: [${JSON.stringify(join(repoRoot, 'test/fixtures/cli/emit-secret.mjs'))}, ${JSON.stringify(`--password=${SECRET}`)}]`,
      '        env: { API_TOKEN: "{{apiToken}}", TARGET: "{{target}}" }',
      `      - { id: logs, kind: logs, files: [${JSON.stringify(logFile)}] }`,
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
      '--header',
      `X-Api-Key: ${SECRET}`,
      '--target',
      `http://oncall:${encodeURIComponent(SECRET)}@127.0.0.1:9/`,
      '--param',
      `apiToken=${SECRET}`,
      '--answer',
      `alert.token=${SECRET}`,
      '--non-interactive',
      '--out',
      join(dir, 'pm'),
    ],
    { db },
  );
  expect(start.exitCode, start.all).toBe(0);
  sinks['start stdout'] = start.stdout;
  sinks['start stderr (logger, progress)'] = start.stderr;
  sinks.postmortem = readFileSync(start.stdout.trim(), 'utf8');
  id = (JSON.parse((await cli(['list', '--json'], { db })).stdout) as { id: string }[])[0]!.id;
  for (const args of [['list'], ['list', '--json'], ['show', id], ['show', id, '--json']]) {
    const result = await cli(args, { db });
    expect(result.exitCode, result.all).toBe(0);
    sinks[args.join(' ')] = result.all;
  }
  // Every process has ended; whatever the WAL still holds is searched too.
  for (const file of readdirSync(dir).filter((f) => f.startsWith('gotriage.db'))) {
    sinks[`database file ${file}`] = readFileSync(join(dir, file)).toString('utf8');
  }
});

describe('one secret through every sink', () => {
  it('reached the tool through env, the one place it belongs', () => {
    const stdout = readdirSync(join(dir, 'artifacts'), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
      .find((text) => text.startsWith('token '));
    expect(stdout).toContain(`token ${SECRET}`);
  });

  it('the sinks hold real data (the search reads something), with the secret masked', () => {
    expect(sinks.postmortem).toMatch(/login rejected for token \\\*\\\*\\\*/);
    expect(sinks['database file gotriage.db']).toContain('login rejected for token ***');
    expect(sinks[`show ${id}`]).toContain('--password=***');
    expect(sinks['start stderr (logger, progress)']).toContain('running node');
  });

  it.each(Object.entries(ENCODINGS))('no sink holds the secret written as %s', (encoding, text) => {
    for (const [sink, bytes] of Object.entries(sinks)) {
      expect(
        bytes.includes(text),
        `${encoding} in ${sink}:\n${bytes.slice(Math.max(0, bytes.indexOf(text) - 200), bytes.indexOf(text) + 200)}`,
      ).toBe(false);
    }
  });

  it('the answer to a secret question is not kept: the timeline says so', () => {
    expect(sinks[`show ${id}`]).toContain('token answered; a secret, so not kept');
  });
});
