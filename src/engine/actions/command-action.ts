/**
 * A `command` playbook action: run a tool (argv, never a shell) with placeholders
 * filled per argument, keep stdout and stderr as artifacts and the run as a tool run.
 * A non-zero exit the playbook did not expect is recorded, not thrown: a failing
 * tool is evidence, and the step goes on.
 */
import { MediaType } from '../../core/model.js';
import { parseDuration, type CommandAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import type { ActionOutcome } from './pprof-action.js';
import { keepArtifact } from './keep-artifact.js';
import { describeEnd, fillCommand, recordToolRun, runTool } from './tool-run.js';

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

function outputMediaType(action: CommandAction): string {
  if (action.parse === 'race') return MediaType.race;
  if (action.parse === 'goroutines') return MediaType.goroutines('2');
  return MediaType.text;
}

export async function runCommandAction(env: StepEnv, stepRunId: number, action: CommandAction, round: string): Promise<ActionOutcome> {
  const { clock, log } = env.ctx;
  const where = `action ${action.id}`;
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
    sha256: result.stdout.sha256,
  });
  const stderr = await keepArtifact(env, {
    stepRunId,
    actionId: action.id,
    sourcePath: result.stderr.path,
    mediaType,
    label: `${result.argv.join(' ')} (stderr)`,
    sha256: result.stderr.sha256,
  });
  await recordToolRun(env, stepRunId, action.id, run, stdout.id, stderr.id);
  const outcome: ActionOutcome = { artifacts: [stdout, stderr], events: [], failures: 0 };
  const ok = !result.timedOut && result.exitCode !== null && action.okExitCodes.includes(result.exitCode);
  if (!ok) {
    outcome.failures = 1;
    const why = describeEnd(result);
    log.warn(`${where}: ${result.argv.join(' ')} ${why}; its output is kept as evidence`);
    outcome.events.push({
      at: clock.now().toISOString(),
      step: null,
      kind: 'action-failed',
      message: `${action.id}: ${result.argv.join(' ')} ${why}`,
    });
  }
  return outcome;
}
