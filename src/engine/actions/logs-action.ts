/**
 * A `logs` playbook action: log files (glob patterns, rotated siblings included) or a
 * command's output (journalctl, kubectl logs …; argv only), cut to the alert window and
 * kept as one `text/x-log; format=…` artifact per source. Unreadable or vanished files are
 * recorded as events and never stop the other sources.
 */
import { join } from 'node:path';
import { collectLogSource, logWindowFromParams, type CollectedLogSource } from './log-source.js';
import { expandLogPattern, type LogSourceFiles } from '../../collect/logs/log-glob.js';
import type { LogWindow } from '../../analyze/logs/window-filter.js';
import { UsageError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { MediaType } from '../../core/model.js';
import { fillArgs } from '../../playbook/interpolate.js';
import { parseDuration, type LogsAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import { keepArtifact } from './keep-artifact.js';
import type { ActionOutcome } from './pprof-action.js';
import { describeEnd, fillCommand, recordToolRun, runTool } from './tool-run.js';

/** `kubectl logs -f` never ends on its own: the deadline ends it and what arrived is kept. */
const DEFAULT_COMMAND_TIMEOUT_MS = 2 * 60_000;

export async function runLogsAction(env: StepEnv, stepRunId: number, action: LogsAction, round: string): Promise<ActionOutcome> {
  const window = logWindowFromParams(env.params);
  const outcome: ActionOutcome = { artifacts: [], events: [], failures: 0 };
  if (window.startMs === undefined && window.endMs === undefined) {
    note(env, outcome, 'note', `${action.id}: no alert window is known (window.start / window.end): every line is kept`);
  }
  if (action.files && !action.command) await collectFiles(env, stepRunId, action, action.files, round, window, outcome);
  else if (action.command && !action.files) await collectCommand(env, stepRunId, action, action.command, round, window, outcome);
  else throw new UsageError(`action ${action.id}: a logs action takes exactly one of 'files' or 'command'`);
  return outcome;
}

async function collectFiles(
  env: StepEnv,
  stepRunId: number,
  action: LogsAction,
  patterns: readonly string[],
  round: string,
  window: LogWindow,
  outcome: ActionOutcome,
): Promise<void> {
  const where = `action ${action.id}`;
  const sources = new Map<string, LogSourceFiles>();
  for (const pattern of fillArgs(patterns, env.params, where)) {
    const found = await expandLogPattern(pattern);
    if (found.length === 0) note(env, outcome, 'warning', `${action.id}: no file matches ${pattern}`);
    for (const source of found) sources.set(source.base, source);
  }
  let index = 0;
  for (const source of sources.values()) {
    const rotated = source.files.length - 1;
    const label = `log ${source.base}${rotated > 0 ? ` (+${rotated} rotated)` : ''}`;
    env.ctx.log.info(`  reading ${label}`);
    const collected = await collectLogSource(source.files, join(env.scratchDir, `${action.id}-${round}-${index++}.log`), {
      format: action.format,
      window,
      signal: env.signal,
    });
    for (const skip of collected.skipped) note(env, outcome, 'warning', `${action.id}: skipped ${skip.path}: ${skip.reason}`);
    if (collected.skipped.length === source.files.length && collected.linesRead === 0) {
      outcome.failures++;
      note(env, outcome, 'action-failed', `${action.id}: no file of ${source.base} could be read`);
      continue;
    }
    await keep(env, stepRunId, action, collected, label, outcome);
  }
}

async function collectCommand(
  env: StepEnv,
  stepRunId: number,
  action: LogsAction,
  command: NonNullable<LogsAction['command']>,
  round: string,
  window: LogWindow,
  outcome: ActionOutcome,
): Promise<void> {
  const { log } = env.ctx;
  const run = await runTool(env, fillCommand(env, `action ${action.id}`, command), {
    timeoutMs: action.timeout ? parseDuration(action.timeout) : DEFAULT_COMMAND_TIMEOUT_MS,
    name: `${action.id}-${round}`,
  });
  const { result } = run;
  const shown = result.argv.join(' '); // redacted by the runner
  log.info(`  reading the output of ${shown}`);
  const collected = await collectLogSource([result.stdout.path], join(env.scratchDir, `${action.id}-${round}.log`), {
    format: action.format,
    window,
    signal: env.signal,
  });
  const stdout = await keep(env, stepRunId, action, collected, `log from ${shown} (stdout)`, outcome);
  const stderr =
    result.stderr.size > 0
      ? await keepArtifact(env, {
          stepRunId,
          actionId: action.id,
          sourcePath: result.stderr.path,
          mediaType: MediaType.text,
          label: `${shown} (stderr)`,
          sha256: result.stderr.sha256,
        })
      : undefined;
  if (stderr) outcome.artifacts.push(stderr);
  await recordToolRun(env, stepRunId, action.id, run, stdout.id, stderr?.id ?? null);
  if (result.timedOut || result.exitCode !== 0) {
    outcome.failures++;
    note(env, outcome, 'action-failed', `${action.id}: ${shown} ${describeEnd(result)}; the lines it printed are kept`);
  }
}

async function keep(
  env: StepEnv,
  stepRunId: number,
  action: LogsAction,
  collected: CollectedLogSource,
  label: string,
  outcome: ActionOutcome,
) {
  const artifact = await keepArtifact(env, {
    stepRunId,
    actionId: action.id,
    sourcePath: collected.outputPath,
    mediaType: MediaType.log(collected.format),
    label: redactSecrets(label),
  });
  outcome.artifacts.push(artifact);
  note(
    env,
    outcome,
    'note',
    `${action.id}: kept ${collected.linesKept} of ${collected.linesRead} lines (${collected.format}) of ${artifact.label}`,
  );
  return artifact;
}

/** Records an event (redacted: paths and argv may carry credentials) and logs warnings. */
function note(env: StepEnv, outcome: ActionOutcome, kind: string, message: string): void {
  const text = redactSecrets(message);
  if (kind !== 'note') env.ctx.log.warn(text);
  outcome.events.push({ at: env.ctx.clock.now().toISOString(), step: null, kind, message: text });
}
