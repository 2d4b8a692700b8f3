/**
 * detectInput on real captured output of Go 1.26 and 1.23: every kind `gotriage analyze`
 * accepts is recognised by content (the fixtures are copied under a neutral name first,
 * so the file name cannot help), and bad input fails with the exit code a user would get.
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { detectInput } from '../../src/analyze/detect.ts';
import { ToolError, UsageError } from '../../src/core/errors.ts';
import { CAPTURED_VERSIONS, ROOT, captured, tempDir } from './support.ts';

const dir = tempDir('gotriage-detect-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A copy named `input-N` with no extension: detection must not look at names. */
function anonymous(path: string): string {
  const copy = join(dir, `input-${++n}`);
  copyFileSync(path, copy);
  return copy;
}
function written(bytes: Buffer | string): string {
  const path = join(dir, `input-${++n}`);
  writeFileSync(path, bytes);
  return path;
}

describe.each(CAPTURED_VERSIONS)('captured %s output', (version) => {
  it.each(['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate'] as const)(
    'recognises a %s profile from its sample types',
    async (kind) => {
      const detection = await detectInput(anonymous(captured(`contention-${kind}`, version, 'pb.gz')));
      expect(detection.kind).toBe('profile');
      expect(detection.profileKind).toBe(kind);
      expect(detection.description).toContain(`${kind} profile`);
    },
  );

  it('recognises a raw (not gzipped) profile.proto', async () => {
    const raw = readFileSync(captured('cpu-burner', version, 'pb.gz'));
    const { gunzipSync } = await import('node:zlib');
    const detection = await detectInput(written(gunzipSync(raw)));
    expect(detection.profileKind).toBe('cpu');
    expect(detection.description).toContain('raw profile.proto');
  });

  it.each([
    ['goroutines-debug1-late', 'goroutines', 'text/x-go-goroutines; debug=1'],
    ['goroutines-debug2-late', 'goroutines', 'text/x-go-goroutines; debug=2'],
    ['goroutines-sigquit', 'traceback', 'text/x-go-goroutines; debug=2'],
    ['panic-traceback', 'traceback', 'text/x-go-goroutines; debug=2'],
    ['race-go-test', 'race', 'text/x-go-race'],
    ['race-go-run', 'race', 'text/x-go-race'],
    ['race-log-path', 'race', 'text/x-go-race'],
  ])('recognises %s as %s', async (name, kind, mediaType) => {
    const detection = await detectInput(anonymous(captured(name, version)));
    expect(detection.kind).toBe(kind);
    expect(detection.mediaTypes[0]).toBe(mediaType);
  });

  it('reads a panic traceback also as a log, so the panic itself becomes a finding', async () => {
    const detection = await detectInput(anonymous(captured('panic-traceback', version)));
    expect(detection.description).toBe('panic traceback');
    expect(detection.mediaTypes).toContain('text/x-log; format=plain');
  });

  it('recognises an execution trace and names its Go version', async () => {
    const detection = await detectInput(anonymous(captured('contention-trace', version, 'out')));
    const minor = version.split('.')[1];
    expect(detection).toMatchObject({
      kind: 'trace',
      description: `Go 1.${minor} execution trace`,
      mediaTypes: ['application/x-go-trace'],
    });
  });

  it('recognises go test -bench output and logs', async () => {
    expect((await detectInput(anonymous(join(ROOT, `test/fixtures/bench/program.${version}.txt`)))).kind).toBe('bench');
    const zap = await detectInput(anonymous(join(ROOT, `test/fixtures/logs/zap.${version}.log`)));
    expect(zap).toMatchObject({ kind: 'log', mediaTypes: ['text/x-log; format=zap'] });
    const slog = await detectInput(anonymous(join(ROOT, `test/fixtures/logs/slog-text.${version}.log`)));
    expect(slog.mediaTypes).toEqual(['text/x-log; format=slog-text']);
  });
});

describe('escape analysis output', () => {
  it('is recognised from the compiler messages of a real go build -gcflags=-m', async () => {
    const { execa } = await import('execa');
    const build = await execa('go', ['build', '-gcflags=-m', '-o', join(dir, 'contention-bin'), '.'], {
      cwd: join(ROOT, 'test/fixtures/go/contention'),
      reject: false,
      env: { GOFLAGS: '' },
    });
    expect(build.stderr).toMatch(/escapes to heap|moved to heap/);
    const detection = await detectInput(written(build.stderr));
    expect(detection.kind).toBe('escape');
  });
});

describe('input that is not ours', () => {
  it('an HTML login page is refused (exit 2) saying it is HTML and what is accepted', async () => {
    const err = await detectInput(written('<!DOCTYPE html>\n<html><body><form>Sign in</form></body></html>\n')).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(/HTML page/);
    expect(err.hint).toMatch(/pprof profile.*goroutine dump.*race/);
  });

  it('random bytes are refused as binary data, showing the first bytes', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251));
    const err = await detectInput(written(bytes)).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain(
      `binary data (first bytes ${bytes
        .subarray(0, 2)
        .toString('hex')
        .replace(/(..)(..)/, '$1 $2')}`,
    );
  });

  it('gzip-compressed text is refused with how to decompress it', async () => {
    const text = readFileSync(captured('goroutines-debug2-late', 'go1.26.8'));
    const err = await detectInput(written(gzipSync(text))).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.hint).toMatch(/gunzip -c .* \| gotriage analyze -/);
  });

  it('half a gzip profile is recognised but broken (exit 1)', async () => {
    const whole = readFileSync(captured('cpu-burner', 'go1.26.8', 'pb.gz'));
    const err = await detectInput(written(whole.subarray(0, Math.floor(whole.length / 2)))).catch((e) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect(err.exitCode).toBe(1);
    expect(err.message).toMatch(/recognised but broken/);
  });

  it('an empty file and plain prose are refused', async () => {
    await expect(detectInput(written(''))).rejects.toThrow(/empty file/);
    await expect(detectInput(written('dear on-call,\nthe service is slow again\n'))).rejects.toThrow(/text starting with "dear on-call,"/);
  });
});
