/**
 * The call graph picture: `go tool pprof -svg` (which pipes its DOT output through
 * Graphviz `dot`), run through the project Runner.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ToolError, ToolMissingError } from '../core/errors.js';
import { installHintFor } from '../exec/install-hints.js';
import { redactSecrets } from '../core/redact.js';
import type { Runner } from '../exec/runner.js';
import { findExecutable } from '../exec/which.js';

export interface CallGraphOptions {
  runner: Runner;
  /** `-sample_index`: a sample type name or index. */
  sampleIndex?: string | number;
  /** `-focus`: keep only stacks through functions matching this regexp. */
  focus?: string;
  /** Where pprof's stdout/stderr are kept; default: beside the SVG. */
  logDir?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Writes the call graph of `profilePath` as SVG to `outPath`. Checks for `dot` first:
 * without it pprof fails late with exit 2 ("failed to execute dot. Is Graphviz
 * installed?"), so we throw ToolMissingError naming dot and how to install it before
 * starting anything. Throws ToolError (with pprof's stderr) when pprof fails.
 */
export async function renderCallGraphSvg(profilePath: string, outPath: string, options: CallGraphOptions): Promise<string> {
  // pprof runs `dot` from its own PATH, which is ours (the Runner adds to process.env).
  if (findExecutable('dot') === undefined) throw new ToolMissingError('dot', installHintFor('dot'));
  const out = resolve(outPath);
  const argv = ['go', 'tool', 'pprof', '-svg', `-output=${out}`];
  if (options.sampleIndex !== undefined) argv.push(`-sample_index=${options.sampleIndex}`);
  // `-focus=VALUE` keeps the value inside one argument, so a value starting with `-` is never a flag.
  if (options.focus !== undefined) argv.push(`-focus=${options.focus}`);
  // `--` ends flag parsing (Go's flag package): a profile path starting with `-` stays a path.
  argv.push('--', resolve(profilePath));
  const result = await options.runner.run(argv, {
    outputDir: options.logDir ?? dirname(out),
    name: 'pprof-svg',
    timeoutMs: options.timeoutMs ?? 120_000,
    signal: options.signal,
    // pprof writes scratch files to $PPROF_TMPDIR (default $HOME/pprof); keep them out of $HOME.
    env: { PPROF_TMPDIR: options.logDir ?? dirname(out) },
  });
  if (result.exitCode !== 0) {
    const stderr = redactSecrets(readFileSync(result.stderr.path, 'utf8').trim().slice(0, 2000));
    const why = result.timedOut ? 'timed out' : result.cancelled ? 'was cancelled' : `exited ${result.exitCode ?? result.signal}`;
    throw new ToolError(
      `go tool pprof -svg ${why}: ${stderr}`,
      result.argv,
      result.exitCode,
      result.signal,
      result.stderr.path,
      'check that the file is a pprof profile and that -focus/-sample_index name something in it',
    );
  }
  return out;
}
