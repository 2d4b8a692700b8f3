/**
 * A `bench` playbook action: `go test -bench` in one package with CPU and memory
 * profiles, keeping the benchmark output, both profiles and the test binary (so
 * `go tool pprof <binary> <profile>` symbolises later, after the scratch directory is gone).
 *
 * A failing benchmark or build is evidence, not an error: it is recorded and the step goes on.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { MediaType } from '../../core/model.js';
import { fillArgs } from '../../playbook/interpolate.js';
import { parseDuration, type BenchAction } from '../../playbook/schema.js';
import type { ArtifactAttributes, StoredArtifact } from '../../store/store.js';
import type { StepEnv } from '../types.js';
import { keepArtifact } from './keep-artifact.js';
import { eventNow, recordCollection, type ActionOutcome } from './outcome.js';
import { describeEnd, recordToolRun, runTool } from './tool-run.js';

/** Compiling the test binary can take minutes on a cold build cache, on top of the benchmarks. */
const DEFAULT_TIMEOUT_MS = 15 * 60_000;

/** The argv of `go test -bench` for one package, profiles and binary written into `scratch`. */
export function benchArgv(opts: {
  bench: string;
  benchtime: string;
  count: number;
  pkg: string;
  scratch: string;
  binaryName: string;
}): string[] {
  return [
    'go',
    'test',
    // -run=^$ matches no test, so only benchmarks run (and their profiles hold only them).
    '-run=^$',
    `-bench=${opts.bench}`,
    '-benchmem',
    `-benchtime=${opts.benchtime}`,
    `-count=${opts.count}`,
    // Absolute paths: go test runs the binary in the package directory, where relative
    // profile paths would land.
    '-cpuprofile',
    join(opts.scratch, 'cpu.pprof'),
    '-memprofile',
    join(opts.scratch, 'mem.pprof'),
    // -o keeps the compiled test binary; without it go test deletes it on exit.
    '-o',
    join(opts.scratch, opts.binaryName),
    opts.pkg,
  ];
}

/** `./internal/store` → `store.test`; `.` → the directory's name. Only safe file-name characters. */
export function testBinaryName(pkg: string, cwd: string): string {
  const last = basename(pkg === '.' || pkg === './' ? cwd : pkg.replace(/\/+$/, '').replace(/\/\.\.\.$/, '')) || 'pkg';
  return `${last.replace(/[^A-Za-z0-9._-]/g, '_')}.test`;
}

export async function runBenchAction(env: StepEnv, stepRunId: number, action: BenchAction, round: string): Promise<ActionOutcome> {
  const { log } = env.ctx;
  const where = `action ${action.id}`;
  const startedAt = env.ctx.clock.now().toISOString();
  const [cwd, pkg, bench] = fillArgs([action.cwd, action.package, action.bench], env.params, where) as [string, string, string];
  // Go reads a package argument starting with '-' as a flag, even when the playbook wrote it literally.
  if (pkg.startsWith('-'))
    throw new UsageError(
      `${where}: package ${JSON.stringify(pkg)} starts with '-', so go test would read it as a flag`,
      'write the package as ./dir or an import path',
    );
  if (pkg.includes('...'))
    throw new UsageError(
      `${where}: package ${JSON.stringify(pkg)} matches several packages; go test writes profiles for one package only`,
      'name one package, e.g. ./internal/checkout',
    );

  const scratch = resolve(env.scratchDir, `${action.id}-${round}`);
  mkdirSync(scratch, { recursive: true });
  const binaryName = testBinaryName(pkg, resolve(cwd));
  const argv = benchArgv({ bench, benchtime: action.benchtime, count: action.count, pkg, scratch, binaryName });
  log.info(`  running go test -bench ${bench} -benchtime=${action.benchtime} -count=${action.count} ${pkg} (in ${cwd})`);
  const run = await runTool(
    env,
    { argv, cwd },
    {
      timeoutMs: action.timeout ? parseDuration(action.timeout) : DEFAULT_TIMEOUT_MS,
      name: 'go-test-bench',
      outputDir: scratch,
    },
  );
  const { result } = run;

  const what = redactSecrets(`go test -bench=${bench} ${pkg}`);
  const common: ArtifactAttributes = { bench, packages: [pkg], round };
  const keep = (
    sourcePath: string,
    mediaType: string,
    label: string,
    attributes: ArtifactAttributes,
    sha256?: string,
  ): Promise<StoredArtifact> =>
    keepArtifact(env, { stepRunId, actionId: action.id, sourcePath, mediaType, label: `${what} (${label})`, attributes, sha256 });
  const stdout = await keep(result.stdout.path, MediaType.goBench, 'output', { ...common, stream: 'stdout' }, result.stdout.sha256);
  // stderr is empty for a clean run; when the build fails it holds the compiler's messages.
  const stderr =
    result.stderr.size > 0
      ? await keep(result.stderr.path, MediaType.text, 'stderr', { ...common, stream: 'stderr' }, result.stderr.sha256)
      : undefined;
  const artifacts = [stdout, ...(stderr ? [stderr] : [])];
  // Each file exists only if go test got that far (a build failure writes none of them).
  const kept: [string, string, string, ArtifactAttributes][] = [
    [
      join(scratch, 'cpu.pprof'),
      `${MediaType.pprof('profile')}; source=bench`,
      'CPU profile',
      { ...common, source: 'bench', profile: 'profile' },
    ],
    [
      join(scratch, 'mem.pprof'),
      `${MediaType.pprof('allocs')}; source=bench`,
      'memory profile',
      { ...common, source: 'bench', profile: 'allocs' },
    ],
    [join(scratch, binaryName), MediaType.goTestBinary, `test binary ${binaryName}`, common],
  ];
  for (const [path, mediaType, label, attributes] of kept) {
    if (existsSync(path) && statSync(path).size > 0) artifacts.push(await keep(path, mediaType, label, attributes));
  }

  await recordToolRun(env, stepRunId, action.id, run, stdout.id, stderr?.id ?? null);
  const outcome: ActionOutcome = { artifacts, events: [], failures: 0 };
  let reason: string | null = null;
  if (result.timedOut || result.exitCode !== 0) {
    outcome.failures = 1;
    const missing = kept.filter(([path]) => !existsSync(path)).map(([, , label]) => label);
    reason = `${what} ${describeEnd(result)}${missing.length > 0 ? `; no ${missing.join(', ')}` : ''}`;
    log.warn(`${where}: ${reason}; its output is kept as evidence`);
    outcome.events.push(eventNow(env, { kind: 'action-failed', action: action.id, reason }));
  }
  await recordCollection(env, stepRunId, action.id, {
    target: null,
    status: reason === null ? 'ok' : 'failed',
    reason,
    artifacts,
    startedAt,
  });
  return outcome;
}
