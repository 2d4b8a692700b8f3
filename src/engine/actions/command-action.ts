/**
 * A `command` playbook action: run a tool (argv, never a shell) with placeholders
 * filled per argument, keep stdout and stderr as artifacts and the run as a tool run.
 * A non-zero exit the playbook did not expect is recorded, not thrown: a failing
 * tool is evidence, and the step goes on.
 */
import { MediaType } from '../../model.js';
import { fillArgs } from '../../playbook/interpolate.js';
import { parseDuration, type CommandAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import type { ActionOutcome } from './pprof-action.js';
import { keepArtifact } from './keep-artifact.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

function outputMediaType(action: CommandAction): string {
  if (action.parse === 'race') return MediaType.race;
  if (action.parse === 'goroutines') return MediaType.goroutines('2');
  return MediaType.text;
}

export async function runCommandAction(env: StepEnv, stepRunId: number, action: CommandAction, round: string): Promise<ActionOutcome> {
  const { store, runner, clock, log } = env.ctx;
  const where = `action ${action.id}`;
  const [tool] = fillArgs([action.tool], env.params, where);
  const argv = [tool!, ...fillArgs(action.args, env.params, where)];
  const cwd = action.cwd ? fillArgs([action.cwd], env.params, where)[0] : undefined;
  const actionEnv = action.env
    ? Object.fromEntries(Object.entries(action.env).map(([k, v]) => [k, fillArgs([v], env.params, where)[0]!]))
    : undefined;
  const startedAt = clock.now().toISOString();
  log.info(`  running ${argv.join(' ')}${cwd ? ` (in ${cwd})` : ''}`);
  const result = await runner.run(argv, {
    timeoutMs: action.timeout ? parseDuration(action.timeout) : DEFAULT_TIMEOUT_MS,
    cwd,
    env: actionEnv,
    signal: env.signal,
    outputDir: env.scratchDir,
    name: `${action.id}-${round}`,
  });
  if (result.cancelled) throw env.signal.reason ?? new Error('cancelled');
  const mediaType = outputMediaType(action);
  const stdout = keepArtifact(env, { stepRunId, actionId: action.id, sourcePath: result.stdout.path, mediaType, label: `${result.argv.join(' ')} (stdout)`, sha256: result.stdout.sha256 });
  const stderr = keepArtifact(env, { stepRunId, actionId: action.id, sourcePath: result.stderr.path, mediaType, label: `${result.argv.join(' ')} (stderr)`, sha256: result.stderr.sha256 });
  store.addToolRun(env.incident.id, {
    stepRunId,
    actionId: action.id,
    argv: result.argv,
    exitCode: result.exitCode,
    signal: result.signal,
    timedOut: result.timedOut,
    durationMs: result.durationMs,
    stdoutArtifactId: stdout.id,
    stderrArtifactId: stderr.id,
    startedAt,
  });
  const outcome: ActionOutcome = { artifacts: [stdout, stderr], events: [], failures: 0 };
  const ok = !result.timedOut && result.exitCode !== null && action.okExitCodes.includes(result.exitCode);
  if (!ok) {
    outcome.failures = 1;
    const why = result.timedOut ? 'timed out' : result.signal ? `killed by ${result.signal}` : `exited ${result.exitCode}`;
    log.warn(`${where}: ${result.argv.join(' ')} ${why}; its output is kept as evidence`);
    outcome.events.push({ at: clock.now().toISOString(), step: null, kind: 'action-failed', message: `${action.id}: ${result.argv.join(' ')} ${why}` });
  }
  return outcome;
}
