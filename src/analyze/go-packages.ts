/**
 * What the analyzers that run a go command over a module's packages share (go list -deps
 * for the dependency graph, go list + go build -gcflags=-m for escape analysis): their
 * options, the check of the package patterns, and how a failed run is reported.
 */
import { InterruptedError, ToolError, UsageError } from '../core/errors.js';
import type { Runner, RunResult } from '../exec/runner.js';

export interface GoPackagesOptions {
  /** The module (or a directory inside it). */
  dir: string;
  /** Package patterns relative to dir. Default `['./...']`. */
  packages?: readonly string[];
  runner: Runner;
  /** Where the tools' stdout/stderr files go (before the caller keeps them as artifacts). */
  outputDir: string;
  signal?: AbortSignal;
}

/** The patterns to pass to go: a pattern starting with `-` would be read as a flag (bad-inputs.md). */
export function checkedPackagePatterns(options: Pick<GoPackagesOptions, 'packages'>): readonly string[] {
  const patterns = options.packages ?? ['./...'];
  for (const p of patterns) {
    if (p.startsWith('-') || p.includes('\0'))
      throw new UsageError(`package pattern ${JSON.stringify(p)} is not allowed`, 'give a package path or pattern such as ./...');
  }
  return patterns;
}

/**
 * Returns when `result` succeeded. A cancel is not a tool failure: the abort is rethrown so
 * the step is recorded as interrupted; anything else is a ToolError naming `what` and
 * pointing at its stderr, with `hint`.
 */
export function assertGoSucceeded(result: RunResult, what: string, signal: AbortSignal | undefined, hint: string): void {
  if (result.exitCode === 0) return;
  if (result.cancelled) throw signal?.reason ?? new InterruptedError();
  const how = result.timedOut ? 'timed out' : result.signal ? `was killed by ${result.signal}` : `exited ${result.exitCode}`;
  throw new ToolError(`${what} ${how}`, result.argv, result.exitCode, result.signal, result.stderr.path, hint);
}
