import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { logFindings } from '../../src/analyze/log-findings.ts';
import type { LogFormat } from '../../src/analyze/logs/log-format.ts';
import { MediaType } from '../../src/core/model.ts';
import type { StoredArtifact } from '../../src/store/store.ts';
import { CAPTURES, LOG_VERSIONS, LOGGERS, capturedLog, countInSource, loggerSourceLine, tempDir } from '../collect/logs/support.ts';

let nextId = 1;
function logArtifact(path: string, format?: LogFormat, label = `log ${path}`): StoredArtifact {
  return {
    id: nextId++,
    sha256: '0'.repeat(64),
    size: statSync(path).size,
    mediaType: format ? MediaType.log(format) : 'text/x-log',
    path,
    label,
    stepRunId: 1,
    actionId: 'logs',
    attributes: {},
    createdAt: new Date(0).toISOString(),
  };
}

const TIMEOUT_CALLS = countInSource('scenario/scenario.go', 'fmt.Sprintf("timeout after');
const PAYMENT_CALLS = countInSource('scenario/scenario.go', 'fmt.Sprintf("payment failed');

describe.each(LOG_VERSIONS)('log findings from captures of %s', (version) => {
  it.each(CAPTURES)('$name: error lines grouped by template with counts and first/last seen', async ({ name, format }) => {
    const findings = await logFindings([logArtifact(capturedLog(name, version), format)]);
    expect(findings.every((f) => f.kind === 'log-errors')).toBe(true);
    const timeout = findings.find((f) => f.title.includes('timeout after <duration>'))!;
    expect(timeout.metrics.count).toBe(TIMEOUT_CALLS);
    expect(timeout.metrics.lastSeenMs! - timeout.metrics.firstSeenMs!).toBeGreaterThanOrEqual(2000);
    expect(timeout.detail).toContain(`first seen: ${new Date(timeout.metrics.firstSeenMs!).toISOString()}`);
    expect(findings.find((f) => f.title.includes('payment failed for order <uuid>: upstream <ip> returned <num>'))?.metrics.count).toBe(
      PAYMENT_CALLS,
    );
    // Warnings and info lines are not errors.
    expect(findings.filter((f) => /slow query|request served/.test(f.title))).toEqual([]);
    // Secrets in the logged messages reach neither titles nor details (examples included).
    const shown = JSON.stringify(findings);
    expect(shown).not.toMatch(/hunter2|s3cr3tT0kenABC123/);
    expect(shown).toContain('Authorization: ***');
  });

  it('a panic inside a log becomes a critical panic finding naming the user function and line', async () => {
    const artifact = logArtifact(capturedLog('panicking', version));
    const findings = await logFindings([artifact]);
    const panics = findings.filter((f) => f.kind === 'panic');
    expect(panics).toHaveLength(1);
    expect(panics[0]).toMatchObject({
      severity: 'critical',
      location: { func: 'main.chargeCard', line: loggerSourceLine('panicking/main.go', 'total += o.items[i]') },
      artifactIds: [artifact.id],
    });
    expect(panics[0]!.location!.file).toMatch(/panicking\/main\.go$/);
    expect(panics[0]!.title).toMatch(/^panic: runtime error: index out of range \[3\] with length 3 in main\.chargeCard \(main\.go:\d+\)$/);
    expect(panics[0]!.detail).toContain('created by main.main');
    // The log lines around it are still read: the error logged before the crash is counted.
    expect(findings.find((f) => f.kind === 'log-errors')?.title).toMatch(/timeout after <duration>/);
  });
});

it('reads the short ERR level as an error, as loggers that abbreviate levels write it', async () => {
  const dir = tempDir('gotriage-err-level-');
  const stdlog = join(dir, 'service.log');
  writeFileSync(
    stdlog,
    [
      '2026/11/26 15:04:05 ERR: db timeout after 31ms',
      '2026/11/26 15:04:06 [ERR] db timeout after 2s',
      '2026/11/26 15:04:07 INFO: request served',
      '',
    ].join('\n'),
  );
  const logfmt = join(dir, 'service.logfmt');
  writeFileSync(
    logfmt,
    'time=2026-11-26T15:04:05.000Z level=err msg="cache refresh failed"\ntime=2026-11-26T15:04:06.000Z level=info msg="ok"\n',
  );
  const findings = await logFindings([logArtifact(stdlog, 'stdlog'), logArtifact(logfmt, 'slog-text')]);
  expect(findings.find((f) => f.title.includes('db timeout after <duration>'))?.metrics.count).toBe(2);
  expect(findings.find((f) => f.title.includes('cache refresh failed'))?.metrics.count).toBe(1);
  expect(findings.some((f) => f.title.includes('request served') || f.title.includes('ok'))).toBe(false);
});

it('a crash loop is one panic finding with a count, and text after a traceback is read again as log lines', async () => {
  const crash = readFileSync(capturedLog('panicking', LOG_VERSIONS[0]), 'utf8');
  const path = join(tempDir('crash-loop'), 'combined.log');
  writeFileSync(path, crash + crash + '{"time":"2026-11-26T16:00:00Z","level":"ERROR","msg":"restarted 2 times"}\n');
  const findings = await logFindings([logArtifact(path)]);
  expect(findings.filter((f) => f.kind === 'panic').map((f) => f.metrics.count)).toEqual([2]);
  expect(findings.some((f) => f.title.includes('restarted <num> times'))).toBe(true);
});

describe('live runs of the logger programs', () => {
  const bin = tempDir('loggers-bin');
  beforeAll(async () => {
    await execa('go', ['build', '-o', bin + '/', './...'], { cwd: LOGGERS });
  });

  it.each([
    { program: 'slog-json', args: [], format: 'slog-json' },
    { program: 'slog-text', args: [], format: 'slog-text' },
    { program: 'zap', args: ['-iso'], format: 'zap' },
    { program: 'zerolog', args: [], format: 'zerolog' },
    { program: 'stdlog', args: ['-style', 'utc'], format: 'stdlog' },
  ] as const)('$program $args: its output is detected and its errors grouped', async ({ program, args }) => {
    const out = join(bin, `${program}.out`);
    await execa(join(bin, program), [...args, '-gap=0'], { stdout: { file: out } });
    const findings = await logFindings([logArtifact(out)]); // no format: detected from the content
    expect(findings.find((f) => f.title.includes('timeout after <duration>'))?.metrics.count).toBe(TIMEOUT_CALLS);
  });

  it('panicking: the live crash output gives the panic finding', async () => {
    const out = join(bin, 'panicking.out');
    const run = await execa(join(bin, 'panicking'), [], { reject: false, all: true });
    writeFileSync(out, run.all);
    expect(run.exitCode).toBe(2);
    const panic = (await logFindings([logArtifact(out)])).find((f) => f.kind === 'panic');
    expect(panic?.location?.func).toBe('main.chargeCard');
  });
});
