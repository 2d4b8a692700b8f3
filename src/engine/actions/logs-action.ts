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
import { eventMessage } from '../../store/timeline-event.js';
import type { ArtifactAttributes, TimelinePayload } from '../../store/store.js';
import type { StepEnv } from '../types.js';
import { keepArtifact } from './keep-artifact.js';
import { eventNow, recordCollection, type ActionOutcome } from './outcome.js';
import { describeEnd, fillCommand, recordToolRun, runTool } from './tool-run.js';

/** `kubectl logs -f` never ends on its own: the deadline ends it and what arrived is kept. */
const DEFAULT_COMMAND_TIMEOUT_MS = 2 * 60_000;

/** What the action is collecting into: the step's outcome, and why each source failed (for its collection record). */
interface LogsRun {
  outcome: ActionOutcome;
  failed: string[];
  /** Why nothing was kept where that is not a failure (no file matches a pattern). */
  notes: string[];
}

export async function runLogsAction(env: StepEnv, stepRunId: number, action: LogsAction, round: string): Promise<ActionOutcome> {
  const startedAt = env.ctx.clock.now().toISOString();
  const window = logWindowFromParams(env.params);
  const run: LogsRun = { outcome: { artifacts: [], events: [], failures: 0 }, failed: [], notes: [] };
  if (window.startMs === undefined && window.endMs === undefined) {
    note(env, run, { kind: 'note', action: action.id, text: 'no alert window is known (window.start / window.end): every line is kept' });
  }
  if (action.files && !action.command) await collectFiles(env, stepRunId, action, action.files, round, window, run);
  else if (action.command && !action.files) await collectCommand(env, stepRunId, action, action.command, round, window, run);
  else throw new UsageError(`action ${action.id}: a logs action takes exactly one of 'files' or 'command'`);
  const { artifacts } = run.outcome;
  const reasons = run.failed.length > 0 ? run.failed : artifacts.length === 0 ? run.notes : [];
  await recordCollection(env, stepRunId, action.id, {
    target: null,
    status: run.failed.length > 0 ? 'failed' : 'ok',
    reason: reasons.length > 0 ? reasons.join('; ') : null,
    artifacts,
    startedAt,
  });
  return run.outcome;
}

async function collectFiles(
  env: StepEnv,
  stepRunId: number,
  action: LogsAction,
  patterns: readonly string[],
  round: string,
  window: LogWindow,
  run: LogsRun,
): Promise<void> {
  const where = `action ${action.id}`;
  const sources = new Map<string, LogSourceFiles>();
  for (const pattern of fillArgs(patterns, env.params, where)) {
    const found = await expandLogPattern(pattern);
    if (found.length === 0) {
      const text = `no file matches ${pattern}`;
      run.notes.push(text);
      note(env, run, { kind: 'warning', action: action.id, text });
    }
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
    for (const skip of collected.skipped)
      note(env, run, { kind: 'warning', action: action.id, text: `skipped ${skip.path}: ${skip.reason}` });
    if (collected.skipped.length === source.files.length && collected.linesRead === 0) {
      fail(env, run, action, `no file of ${source.base} could be read`);
      continue;
    }
    await keep(env, stepRunId, action, collected, label, { logSource: source.base, rotated, round }, run);
  }
}

async function collectCommand(
  env: StepEnv,
  stepRunId: number,
  action: LogsAction,
  command: NonNullable<LogsAction['command']>,
  round: string,
  window: LogWindow,
  logs: LogsRun,
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
  const stdout = await keep(
    env,
    stepRunId,
    action,
    collected,
    `log from ${shown} (stdout)`,
    { logSource: shown, stream: 'stdout', round },
    logs,
  );
  const stderr =
    result.stderr.size > 0
      ? await keepArtifact(env, {
          stepRunId,
          actionId: action.id,
          sourcePath: result.stderr.path,
          mediaType: MediaType.text,
          label: `${shown} (stderr)`,
          attributes: { logSource: shown, stream: 'stderr', round },
          sha256: result.stderr.sha256,
        })
      : undefined;
  if (stderr) logs.outcome.artifacts.push(stderr);
  await recordToolRun(env, stepRunId, action.id, run, stdout.id, stderr?.id ?? null);
  if (result.timedOut || result.exitCode !== 0) fail(env, logs, action, `${shown} ${describeEnd(result)}; the lines it printed are kept`);
}

async function keep(
  env: StepEnv,
  stepRunId: number,
  action: LogsAction,
  collected: CollectedLogSource,
  label: string,
  attributes: ArtifactAttributes & { logSource: string },
  run: LogsRun,
) {
  const { linesKept, linesRead, format } = collected;
  const artifact = await keepArtifact(env, {
    stepRunId,
    actionId: action.id,
    sourcePath: collected.outputPath,
    mediaType: MediaType.log(format),
    label: redactSecrets(label),
    attributes: { ...attributes, linesRead, linesKept, format },
  });
  run.outcome.artifacts.push(artifact);
  const source = redactSecrets(attributes.logSource);
  note(env, run, { kind: 'logs-kept', action: action.id, artifact: artifact.id, source, linesKept, linesRead, format });
  return artifact;
}

/** A source that gave nothing usable: counted as a failure of the action, with its reason. */
function fail(env: StepEnv, run: LogsRun, action: LogsAction, reason: string): void {
  run.outcome.failures++;
  run.failed.push(redactSecrets(reason));
  note(env, run, { kind: 'action-failed', action: action.id, reason: redactSecrets(reason) });
}

/** Records an event (the store redacts it again: paths and argv may carry credentials) and logs warnings. */
function note(env: StepEnv, run: LogsRun, payload: TimelinePayload): void {
  const event = eventNow(env, payload);
  if (payload.kind === 'warning' || payload.kind === 'action-failed') env.ctx.log.warn(redactSecrets(eventMessage(event)));
  run.outcome.events.push(event);
}
