/**
 * Build and run the demo Go service (examples/demo-service) for the demo and the tests.
 * The service prints exactly one stdout line, `listening on http://127.0.0.1:PORT`, after
 * its socket is bound, so reading that line tells us the port with no race.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ToolError } from '../core/errors.js';
import type { Runner } from '../exec/runner.js';
import { describeStderrTail, runCommand } from './run-command.js';
import { launchService, type RunningService } from './launch-service.js';

export type { RunningService } from './launch-service.js';

export interface BuildServiceOptions {
  /** Where the binary goes (relative paths resolve against the current directory). */
  outputPath: string;
  /** Build through the project Runner (its output files land beside the binary). */
  runner?: Runner;
  signal?: AbortSignal;
  /** Extra environment, e.g. `{ GOTOOLCHAIN: 'go1.23.5' }` to build with another Go. */
  env?: Record<string, string>;
}

/**
 * `go build -o <outputPath> .` in `dir`. Resolves to the binary's absolute path; throws
 * ToolMissingError without `go`, ToolError with the compiler's messages when it fails.
 */
export async function buildService(dir: string, options: BuildServiceOptions): Promise<string> {
  const outputPath = path.resolve(options.outputPath);
  // -buildvcs=false: the service directory usually sits inside someone's git checkout,
  // where VCS stamping fails on a repository without commits ("error obtaining VCS status").
  const argv = ['go', 'build', '-buildvcs=false', '-o', outputPath, '.'];
  if (options.runner === undefined) {
    await runCommand(argv, { cwd: dir, env: options.env, signal: options.signal });
    return outputPath;
  }
  const result = await options.runner.run(argv, {
    cwd: dir,
    env: options.env,
    signal: options.signal,
    timeoutMs: 300_000,
    outputDir: path.dirname(outputPath),
    name: `${path.basename(outputPath)}.build`,
  });
  if (result.exitCode !== 0) {
    const stderr = await readFile(result.stderr.path, 'utf8').catch(() => '');
    const why = result.timedOut ? 'timed out' : result.cancelled ? 'was cancelled' : `failed (exit ${result.exitCode ?? result.signal})`;
    throw new ToolError(
      `go build in ${dir} ${why}${describeStderrTail(stderr)}`,
      result.argv,
      result.exitCode,
      result.signal,
      result.stderr.path,
    );
  }
  return outputPath;
}

export interface StartServiceOptions {
  /** Arguments for the service, e.g. `['-addr', '127.0.0.1:0']`. */
  args?: string[];
  /** Added to process.env, e.g. `{ GODEBUG: 'tracebacklabels=1' }`. */
  env?: Record<string, string>;
  /** Cancels the start; after the start, aborting it stops the service. */
  signal?: AbortSignal;
  /** How long to wait for the `listening on` line. Default 15 s. */
  startTimeoutMs?: number;
  /** Time between SIGTERM and SIGKILL when stopping. Default 3 s. */
  graceMs?: number;
  /** Append the service's stderr (its log) to this file. */
  logFile?: string;
}

/**
 * Start the built service in its own process group and wait for its `listening on` line.
 * Rejects with a ToolError carrying the service's stderr tail when it exits (or prints
 * something else) before listening, or does not listen within the deadline.
 */
export function startService(binaryPath: string, options: StartServiceOptions = {}): Promise<RunningService> {
  return launchService(path.resolve(binaryPath), {
    args: options.args ?? [],
    env: options.env ?? {},
    signal: options.signal,
    startTimeoutMs: options.startTimeoutMs ?? 15_000,
    graceMs: options.graceMs ?? 3_000,
    logFile: options.logFile,
  });
}
