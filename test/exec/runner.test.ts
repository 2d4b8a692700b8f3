import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ToolError, ToolMissingError, UsageError } from '../../src/core/errors.ts';
import { createRunner } from '../../src/exec/create-runner.ts';
import { makeTempDir, removeTempDirs, writeArgvRecorder, writeExecutable } from './scripts.ts';

afterAll(removeTempDirs);

const runner = createRunner();
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('exit status and output files', () => {
  test('a failing tool resolves with its exit code; stdout and stderr are separate files with their sha256', async () => {
    const dir = makeTempDir();
    const result = await runner.run(['sh', '-c', 'echo to-stdout; echo to-stderr >&2; exit 3'], {
      outputDir: path.join(dir, 'nested', 'artifacts'),
      name: 'fails',
    });
    expect(result.exitCode).toBe(3);
    expect(result.signal).toBeNull();
    expect(result.timedOut).toBe(false);
    expect(result.stdout.path).toBe(path.join(dir, 'nested', 'artifacts', 'fails.stdout'));
    expect(readFileSync(result.stdout.path, 'utf8')).toBe('to-stdout\n');
    expect(readFileSync(result.stderr.path, 'utf8')).toBe('to-stderr\n');
    expect(result.stdout).toMatchObject({ sha256: sha256('to-stdout\n'), size: 10 });
    expect(result.stderr).toMatchObject({ sha256: sha256('to-stderr\n'), size: 10 });
  });

  test('exit code 0 and a tool killed by a signal are told apart', async () => {
    const dir = makeTempDir();
    const ok = await runner.run(['true'], { outputDir: dir, name: 'ok' });
    expect(ok).toMatchObject({ exitCode: 0, signal: null, timedOut: false, cancelled: false });

    const killed = await runner.run(['sh', '-c', 'kill -SEGV $$'], { outputDir: dir, name: 'segv' });
    expect(killed).toMatchObject({ exitCode: null, signal: 'SIGSEGV', timedOut: false, cancelled: false });
  });

  test("input is written to the tool's stdin and env is added to the environment", async () => {
    const dir = makeTempDir();
    const result = await runner.run(['sh', '-c', 'cat; printf "%s|%s" "$GOTRIAGE_TEST_VAR" "$HOME"'], {
      outputDir: dir,
      name: 'stdin',
      input: 'from stdin\n',
      env: { GOTRIAGE_TEST_VAR: 'set by test' },
    });
    expect(readFileSync(result.stdout.path, 'utf8')).toBe(`from stdin\nset by test|${process.env.HOME ?? ''}`);
  });

  test('cwd is where the tool runs', async () => {
    const dir = makeTempDir();
    const result = await runner.run(['pwd'], { outputDir: dir, name: 'pwd', cwd: dir });
    expect(readFileSync(result.stdout.path, 'utf8').trim()).toBe(dir);
  });

  test('the real `go version` runs through the runner, for the default and a GOTOOLCHAIN-selected Go', async () => {
    const dir = makeTempDir();
    const current = await runner.run(['go', 'version'], { outputDir: dir, name: 'go-version', timeoutMs: 120_000 });
    expect(current.exitCode).toBe(0);
    expect(readFileSync(current.stdout.path, 'utf8')).toMatch(/^go version go1\.\d+(\.\d+)? \S+\/\S+\n$/);

    // GOTOOLCHAIN goes through env: proves env reaches a real tool (downloads 1.23.5 once if not cached).
    const old = await runner.run(['go', 'version'], {
      outputDir: dir,
      name: 'go123',
      env: { GOTOOLCHAIN: 'go1.23.5' },
      timeoutMs: 120_000,
    });
    expect(old.exitCode).toBe(0);
    expect(readFileSync(old.stdout.path, 'utf8')).toMatch(/^go version go1\.23\.5 /);
  });
});

describe('arguments reach the tool literally, never through a shell', () => {
  test('hostile values arrive as ONE argument each and nothing is executed', async () => {
    const dir = makeTempDir();
    const recorder = writeArgvRecorder(dir);
    const pwned = path.join(dir, 'pwned');
    const hostile = [
      '"; curl x|sh #',
      `$(touch ${pwned})`,
      `\`touch ${pwned}\``,
      `a && touch ${pwned}`,
      '*',
      'a value with spaces',
      "it's 'quoted'",
      'line1\nline2',
      '$HOME ~ ${PATH}',
      '; rm -rf / ;',
      '',
      '-http=0.0.0.0:80',
      'ünïcødé ✓',
    ];
    const result = await runner.run([recorder, ...hostile], {
      outputDir: dir,
      name: 'hostile',
      env: { RECORD_FILE: path.join(dir, 'argv.jsonl') },
    });

    expect(result.exitCode).toBe(0);
    const recorded = readFileSync(path.join(dir, 'argv.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    expect(recorded).toEqual([hostile]);
    expect(existsSync(pwned)).toBe(false);
  });

  test('a NUL byte is refused with UsageError before anything starts', async () => {
    const dir = makeTempDir();
    const recorder = writeArgvRecorder(dir);
    const record = path.join(dir, 'argv.jsonl');
    const attempt = runner.run([recorder, 'fine', 'bad\0value'], { outputDir: dir, name: 'nul', env: { RECORD_FILE: record } });

    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(/argument 2 .*NUL byte/);
    expect(existsSync(record)).toBe(false);
    expect(existsSync(path.join(dir, 'nul.stdout'))).toBe(false);
  });

  test('an output name that would escape the output directory is refused', async () => {
    const dir = makeTempDir();
    await expect(runner.run(['true'], { outputDir: dir, name: '../escape' })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('missing or unstartable tools', () => {
  test('a tool not on PATH rejects with ToolMissingError naming it, with a generic hint', async () => {
    const dir = makeTempDir();
    const attempt = runner.run(['gotriage-no-such-tool', '--help'], { outputDir: dir, name: 'missing' });
    await expect(attempt).rejects.toBeInstanceOf(ToolMissingError);
    await expect(attempt).rejects.toMatchObject({
      tool: 'gotriage-no-such-tool',
      message: 'gotriage-no-such-tool not found on PATH',
      hint: 'install gotriage-no-such-tool or put it on PATH',
    });
    expect(existsSync(path.join(dir, 'missing.stdout'))).toBe(false);
  });

  test("dlv and dot missing from the child's PATH get their install instructions", async () => {
    const dir = makeTempDir();
    const emptyPath = { PATH: makeTempDir('gotriage-empty-path-') };
    await expect(runner.run(['dlv', 'version'], { outputDir: dir, name: 'dlv', env: emptyPath })).rejects.toMatchObject({
      tool: 'dlv',
      hint: expect.stringContaining('go install github.com/go-delve/delve/cmd/dlv@latest'),
    });
    await expect(runner.run(['dot', '-V'], { outputDir: dir, name: 'dot', env: emptyPath })).rejects.toMatchObject({
      tool: 'dot',
      hint: expect.stringContaining('apt-get install graphviz'),
    });
  });

  test('an absolute path that does not exist (spawn ENOENT) is a ToolMissingError with the go hint', async () => {
    const dir = makeTempDir();
    const attempt = runner.run(['/nonexistent/go/bin/go', 'version'], { outputDir: dir, name: 'abs' });
    await expect(attempt).rejects.toBeInstanceOf(ToolMissingError);
    await expect(attempt).rejects.toMatchObject({ hint: expect.stringContaining('https://go.dev/dl') });
    expect(existsSync(path.join(dir, 'abs.stdout'))).toBe(false);
  });

  test('a file that is not executable is a ToolError, not a missing tool', async () => {
    const dir = makeTempDir();
    const notExecutable = writeExecutable(dir, 'plain.txt', 'hello');
    chmodSync(notExecutable, 0o644);
    const attempt = runner.run([notExecutable], { outputDir: dir, name: 'eacces' });
    await expect(attempt).rejects.toBeInstanceOf(ToolError);
    await expect(attempt).rejects.not.toBeInstanceOf(ToolMissingError);
    await expect(attempt).rejects.toThrow(/permission denied/);
  });
});

describe('secrets in argv', () => {
  test("the tool gets the real credentials, the result's argv never shows them", async () => {
    const dir = makeTempDir();
    const recorder = writeArgvRecorder(dir);
    const url = 'https://oncall:hunter2@prod.example.com:6060/debug/pprof/heap?token=tok-9f8e7d&seconds=5';
    const result = await runner.run([recorder, url, '-H', 'Authorization: Bearer eyJhbGciOi.secret', '--password', 'pa55w0rd'], {
      outputDir: dir,
      name: 'secret',
      env: { RECORD_FILE: path.join(dir, 'argv.jsonl') },
    });

    const recorded = JSON.parse(readFileSync(path.join(dir, 'argv.jsonl'), 'utf8')) as string[];
    expect(recorded[0]).toBe(url);
    const shown = result.argv.join(' ');
    for (const secret of ['hunter2', 'oncall', 'tok-9f8e7d', 'eyJhbGciOi', 'pa55w0rd']) expect(shown).not.toContain(secret);
    expect(result.argv[1]).toBe('https://***@prod.example.com:6060/debug/pprof/heap?token=***&seconds=5');
  });
});
