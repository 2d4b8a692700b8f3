/**
 * A `command` playbook action: run a tool (argv, never a shell) with placeholders
 * filled per argument, keep stdout and stderr as artifacts and the run as a tool run.
 * A non-zero exit the playbook did not expect is recorded, not thrown: a failing
 * tool is evidence, and the step goes on.
 */
import { MediaType } from '../../core/model.js';
import { parseDuration, type CommandAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import { eventNow, recordCollection, type ActionOutcome } from './outcome.js';
import { keepArtifact } from './keep-artifact.js';
import { describeEnd, fillCommand, recordToolRun, runTool } from './tool-run.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

function outputMediaType(action: CommandAction): string {
  if (action.parse === 'race') return MediaType.race;
  if (action.parse === 'goroutines') return MediaType.goroutines('2');
  return MediaType.text;
}

export async function runCommandAction(env: StepEnv, stepRunId: number, action: CommandAction, round: string): Promise<ActionOutcome> {
  const { log } = env.ctx;
  const where = `action ${action.id}`;
  const startedAt = env.ctx.clock.now().toISOString();
  const command = fillCommand(env, where, action);
  log.info(`  running ${command.argv.join(' ')}${command.cwd ? ` (in ${command.cwd})` : ''}`);
  const run = await runTool(env, command, {
    timeoutMs: action.timeout ? parseDuration(action.timeout) : DEFAULT_TIMEOUT_MS,
    name: `${action.id}-${round}`,
  });
  const { result } = run;
  const mediaType = outputMediaType(action);
  const stdout = await keepArtifact(env, {
    stepRunId,
    actionId: action.id,
    sourcePath: result.stdout.path,
    mediaType,
    label: `${result.argv.join(' ')} (stdout)`,
    attributes: { stream: 'stdout', round },
    sha256: result.stdout.sha256,
  });
  const stderr = await keepArtifact(env, {
    stepRunId,
    actionId: action.id,
    sourcePath: result.stderr.path,
    mediaType,
    label: `${result.argv.join(' ')} (stderr)`,
    attributes: { stream: 'stderr', round },
    sha256: result.stderr.sha256,
  });
  await recordToolRun(env, stepRunId, action.id, run, stdout.id, stderr.id);
  const outcome: ActionOutcome = { artifacts: [stdout, stderr], events: [], failures: 0 };
  const ok = !result.timedOut && result.exitCode !== null && action.okExitCodes.includes(result.exitCode);
  const reason = ok ? null : `${result.argv.join(' ')} ${describeEnd(result)}`;
  if (reason !== null) {
    outcome.failures = 1;
    log.warn(`${where}: ${reason}; its output is kept as evidence`);
    outcome.events.push(eventNow(env, { kind: 'action-failed', action: action.id, reason }));
  }
  await recordCollection(env, stepRunId, action.id, {
    target: null,
    status: ok ? 'ok' : 'failed',
    reason,
    artifacts: outcome.artifacts,
    startedAt,
  });
  return outcome;
}
