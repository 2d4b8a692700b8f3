/**
 * Format checks on responses captured from real Go 1.26 and 1.23 services
 * (test/fixtures/pprof-http/README.md).
 */
import { copyFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BLOCK_PROBLEM, MUTEX_PROBLEM, validatePprofFile } from '../../src/collect/pprof-validate.ts';
import type { PprofFormat } from '../../src/core/pprof-endpoints.ts';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/pprof-http');
let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'gotriage-validate-'));
});

describe.each(['go1.26', 'go1.23'])('responses captured from %s', (version) => {
  const file = (name: string) => join(FIXTURES, version, name);
  const check = (name: string, profile: string, format: PprofFormat) => validatePprofFile(file(name), { profile, format });

  it.each([
    ['goroutine.pb.gz', 'goroutine', 'pprof-proto'],
    ['heap.pb.gz', 'heap', 'pprof-proto'],
    ['mutex-enabled.pb.gz', 'mutex', 'pprof-proto'],
    ['block-enabled.pb.gz', 'block', 'pprof-proto'],
    ['goroutine-debug1.txt', 'goroutine', 'goroutines-text'],
    ['goroutine-debug2.txt', 'goroutine', 'goroutines-text'],
    ['heap-debug1.txt', 'heap', 'pprof-text'],
    ['threadcreate-debug1.txt', 'threadcreate', 'pprof-text'],
    ['mutex-enabled-debug1.txt', 'mutex', 'pprof-text'],
    ['block-enabled-debug1.txt', 'block', 'pprof-text'],
    ['trace-0.05s.bin', 'trace', 'trace'],
  ] as const)('accepts %s as %s %s without problems', async (name, profile, format) => {
    expect(await check(name, profile, format)).toEqual({ ok: true, problems: [] });
  });

  it.each([
    ['mutex-unset.pb.gz', 'mutex', 'pprof-proto', MUTEX_PROBLEM],
    ['mutex-unset-debug1.txt', 'mutex', 'pprof-text', MUTEX_PROBLEM],
    ['block-unset.pb.gz', 'block', 'pprof-proto', BLOCK_PROBLEM],
    ['block-unset-debug1.txt', 'block', 'pprof-text', BLOCK_PROBLEM],
  ] as const)('says %s needs enabling in the service', async (name, profile, format, problem) => {
    expect(await check(name, profile, format)).toEqual({ ok: true, problems: [problem] });
  });

  it.each([
    ['goroutine-debug1.txt', 'goroutine', 'pprof-proto', 'not a gzip-compressed profile'],
    ['heap.pb.gz', 'heap', 'pprof-text', 'not heap profile text'],
    ['heap-debug1.txt', 'mutex', 'pprof-text', 'not mutex profile text'],
    ['goroutine.pb.gz', 'trace', 'trace', 'not a Go execution trace'],
    ['status-404-unknown-profile.txt', 'goroutine', 'goroutines-text', 'not goroutine profile text'],
  ] as const)('rejects %s when %s %s was asked for', async (name, profile, format, reason) => {
    const result = await check(name, profile, format);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain(reason);
  });

  it('rejects a gzip profile cut in half', async () => {
    const whole = await readFile(file('heap.pb.gz'));
    const path = join(scratch, `${version}-half.pb.gz`);
    await writeFile(path, whole.subarray(0, whole.length >> 1));
    const result = await validatePprofFile(path, { profile: 'heap', format: 'pprof-proto' });
    expect(!result.ok && result.reason).toContain('truncated or corrupt gzip');
  });

  it('rejects a trace served as text/html', async () => {
    const path = join(scratch, `${version}-trace`);
    await copyFile(file('trace-0.05s.bin'), path);
    const result = await validatePprofFile(path, { profile: 'trace', format: 'trace', contentType: 'text/html; charset=utf-8' });
    expect(!result.ok && result.reason).toContain('HTML page');
  });
});
