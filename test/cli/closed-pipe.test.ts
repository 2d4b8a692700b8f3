/**
 * A reader that stops early (`gotriage list | head -1`): the built CLI ends quietly — no stack,
 * no error text — with the exit code its own work earned (0 here: everything it was asked to
 * read was read; the reader just did not want the rest). Outputs are larger than a pipe's
 * 64 KiB buffer, so the later writes always meet the closed pipe (EPIPE).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { binPath, cli, repoRoot } from '../helpers/cli.js';

let dir: string;
let db: string;
let incidentId: string;

/** `gotriage ARGS | head -1` in bash: the first line, gotriage's exit code and its stderr. */
async function headOne(args: string[]): Promise<{ first: string; code: number; stderr: string }> {
  const quoted = [process.execPath, binPath, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const errFile = join(dir, `stderr-${args[0]}.txt`);
  const result = await execa('bash', ['-c', `${quoted} 2>'${errFile}' | head -1; echo "exit=\${PIPESTATUS[0]}"`], {
    env: { ...process.env, GOTRIAGE_DB: db, NO_COLOR: '1' },
    reject: false,
  });
  const lines = result.stdout.split('\n');
  const code = Number(/^exit=(\d+)$/.exec(lines.at(-1) ?? '')?.[1] ?? NaN);
  return { first: lines[0] ?? '', code, stderr: readFileSync(errFile, 'utf8') };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-pipe-'));
  db = join(dir, 'gotriage.db');
  // Three incidents with 100 KB titles: `list` writes 300 KB, `show` about as much.
  for (let i = 0; i < 3; i++) {
    const result = await cli(
      [
        'start',
        '--playbook',
        join(repoRoot, 'test/fixtures/cli/requires-param.yaml'),
        '--title',
        `incident ${i} ${'x'.repeat(100_000)}`,
        '--until',
        'gather',
        '--non-interactive',
      ],
      { db },
    );
    expect(result.exitCode, result.all).toBe(0);
  }
  incidentId = (JSON.parse((await cli(['list', '--json'], { db })).stdout) as { id: string }[])[0]!.id;
  // 3000 distinct races: a findings table of about 200 KB.
  const race = (i: number) =>
    [
      'WARNING: DATA RACE',
      'Write at 0x00c000012345 by goroutine 7:',
      `  main.writer${i}()`,
      `      /src/app/main.go:${i + 10} +0x44`,
      '',
      'Previous read at 0x00c000012345 by goroutine 6:',
      `  main.reader${i}()`,
      `      /src/app/main.go:${i + 20} +0x3a`,
      '',
      'Goroutine 7 (running) created at:',
      '  main.main()',
      '      /src/app/main.go:5 +0x1f',
      '==================',
    ].join('\n');
  writeFileSync(join(dir, 'race.txt'), '==================\n' + Array.from({ length: 3000 }, (_, i) => race(i)).join('\n') + '\n');
});

describe('stdout closed by the reader', () => {
  it('list | head -1: the first incident, exit 0, nothing on stderr', async () => {
    const { first, code, stderr } = await headOne(['list']);
    expect(first).toMatch(/^inc-[0-9a-f]+ .* incident \d x+$/);
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('show ID | head -1: the incident line, exit 0, nothing on stderr', async () => {
    const { first, code, stderr } = await headOne(['show', incidentId]);
    expect(first).toMatch(new RegExp(`^${incidentId}  incident \\d x+$`));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it('analyze big-file | head -1: the table header, exit 0, no error text', async () => {
    const { first, code, stderr } = await headOne(['analyze', join(dir, 'race.txt')]);
    expect(first).toMatch(/^SEVERITY\s+KIND\s+TITLE/);
    expect(code).toBe(0);
    expect(stderr).toBe('race.txt: race detector output\n'.replace('race.txt', join(dir, 'race.txt')));
  });
});
