/**
 * DOT → SVG through Graphviz `dot -Tsvg`, run by the Runner (argv only, output to a file).
 */
import { InterruptedError, ToolError } from '../core/errors.js';
import type { Runner } from '../exec/runner.js';

export interface RenderSvgOptions {
  runner: Runner;
  outputDir: string;
  /** Output file stem: the SVG is `<outputDir>/<name>.stdout`. Default `deps-graph`. */
  name?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Added to the child's environment (e.g. a PATH). */
  env?: Record<string, string>;
}

/**
 * Renders DOT text to an SVG file and returns its path. The DOT goes in on stdin, so no
 * temporary file is named on a command line. Throws ToolMissingError naming `dot` (with
 * how to install Graphviz) when it is not on PATH, ToolError when dot rejects the input.
 */
export async function renderSvg(dot: string, options: RenderSvgOptions): Promise<string> {
  const result = await options.runner.run(['dot', '-Tsvg'], {
    outputDir: options.outputDir,
    name: options.name ?? 'deps-graph',
    input: dot,
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? 60_000,
    env: options.env,
  });
  if (result.cancelled) throw options.signal?.reason ?? new InterruptedError();
  if (result.exitCode !== 0 || result.stdout.size === 0) {
    throw new ToolError(
      `dot -Tsvg failed (${result.timedOut ? 'timed out' : `exit ${result.exitCode}`})`,
      result.argv,
      result.exitCode,
      result.signal,
      result.stderr.path,
    );
  }
  return result.stdout.path;
}
