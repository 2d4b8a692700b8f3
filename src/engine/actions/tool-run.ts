/**
 * What every action that runs a tool shares: filling its argv, cwd and env from the
 * playbook (one argument per template argument, never a shell), running it through the
 * Runner, recording the run, and saying how it ended.
 */
import type { RunResult } from '../../exec/runner.js';
import { fillArgs, fillEnv, fillValue } from '../../playbook/interpolate.js';
import type { StepEnv } from '../types.js';

export interface CommandTemplate {
  tool: string;
  args: readonly string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface FilledCommand {
  argv: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * `where` names the action in errors (an unknown placeholder, a flag-like value, a secret in
 * argv). Secrets may go into `env` only: argv is readable by every user of the machine.
 */
export function fillCommand(env: StepEnv, where: string, command: CommandTemplate): FilledCommand {
  return {
    argv: fillArgs([command.tool, ...command.args], env.params, where),
    cwd: command.cwd === undefined ? undefined : fillValue(command.cwd, env.params, where),
    env: command.env === undefined ? undefined : fillEnv(command.env, env.params, where),
  };
}

export interface ToolRun {
  result: RunResult;
  startedAt: string;
}

/** Runs the command; a cancelled run rethrows the abort so the step is recorded as interrupted. */
export async function runTool(
  env: StepEnv,
  command: FilledCommand,
  options: { timeoutMs: number; name: string; outputDir?: string },
): Promise<ToolRun> {
  const startedAt = env.ctx.clock.now().toISOString();
  const result = await env.ctx.runner.run(command.argv, {
    timeoutMs: options.timeoutMs,
    cwd: command.cwd,
    env: command.env,
    signal: env.signal,
    outputDir: options.outputDir ?? env.scratchDir,
    name: options.name,
  });
  if (result.cancelled) throw env.signal.reason ?? new Error('cancelled');
  return { result, startedAt };
}

/** Records the run with the artifacts that hold its output. */
export async function recordToolRun(
  env: StepEnv,
  stepRunId: number,
  actionId: string,
  run: ToolRun,
  stdoutArtifactId: number | null,
  stderrArtifactId: number | null,
): Promise<void> {
  const { result, startedAt } = run;
  await env.ctx.store.addToolRun(env.incident.id, {
    stepRunId,
    actionId,
    argv: result.argv,
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    stdoutArtifactId,
    stderrArtifactId,
    startedAt,
  });
}

/** How a run that did not succeed ended: `timed out`, `killed by SIGKILL`, `exited 2`. */
export function describeEnd(result: RunResult): string {
  return result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exited ${result.exitCode}`;
}
