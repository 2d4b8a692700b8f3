/**
 * A `pprof` playbook action: fetch one endpoint from every target, `samples` times,
 * `interval` apart, and keep each response as an artifact.
 *
 * Every target runs at once; the session's Fanout (src/collect/fanout.ts) bounds how many
 * requests are open, gives each target a deadline and skips a target found down. A failure
 * on one target never stops the others; what arrived before it is kept, and the failure
 * becomes a timeline event and a `collection-failure` finding naming the (redacted)
 * target, endpoint and reason. Each target's end is a collection record (ok, failed,
 * not-served), so the postmortem says which instance gave what, and why not.
 */
import { join } from 'node:path';
import { fetchBudgetMs, sessionFanout, type FetchOutcome } from '../../collect/fanout.js';
import { buildPprofUrl } from '../../collect/pprof-url.js';
import { redactSecrets, redactUrl } from '../../core/redact.js';
import { describePprofCapture, pprofMediaType } from '../../core/pprof-endpoints.js';
import { parseDuration, type PprofAction } from '../../playbook/schema.js';
import { recordedTarget } from '../../store/artifact-attributes.js';
import type { ArtifactAttributes, StoredArtifact } from '../../store/store.js';
import { rethrowFirstRejection, sleep } from '../../core/async.js';
import type { StepEnv } from '../types.js';
import { keepArtifact } from './keep-artifact.js';
import { eventNow, recordCollection, type ActionOutcome } from './outcome.js';

export type { ActionOutcome } from './outcome.js';

const DEFAULT_TIMEOUT_MS = 30_000;

/** The most one target can take for this action when every request uses its whole timeout (fetchBudgetMs). */
export function actionBudgetMs(action: PprofAction): number {
  const timeoutMs = action.timeout ? parseDuration(action.timeout) : DEFAULT_TIMEOUT_MS;
  const intervalMs = action.interval ? parseDuration(action.interval) : 0;
  return fetchBudgetMs({ profile: action.profile, timeoutMs, seconds: action.seconds }, action.samples, intervalMs);
}

export async function runPprofAction(env: StepEnv, stepRunId: number, action: PprofAction, round: string): Promise<ActionOutcome> {
  const fanout = sessionFanout(env);
  const outcome: ActionOutcome = { artifacts: [], events: [], failures: 0, findings: [] };
  const budgetMs = actionBudgetMs(action);
  for (const target of env.targets) fanout.registerTarget(round, target, budgetMs);
  const settled = await Promise.allSettled(
    env.targets.map((target, t) => collectFromTarget(env, stepRunId, action, round, target, t, outcome)),
  );
  rethrowFirstRejection(settled);
  return outcome;
}

/** Takes the action's samples from one target, stopping at its first failure; records how it ended. */
async function collectFromTarget(
  env: StepEnv,
  stepRunId: number,
  action: PprofAction,
  round: string,
  target: string,
  t: number,
  outcome: ActionOutcome,
): Promise<void> {
  const fanout = sessionFanout(env);
  const timeoutMs = action.timeout ? parseDuration(action.timeout) : DEFAULT_TIMEOUT_MS;
  const intervalMs = action.interval ? parseDuration(action.interval) : 0;
  const what = describePprofCapture(action);
  const startedAt = env.ctx.clock.now().toISOString();
  const shown = recordedTarget(target);
  const kept: StoredArtifact[] = [];
  const end = (status: 'ok' | 'failed' | 'not-served', reason: string | null) =>
    recordCollection(env, stepRunId, action.id, { target: shown, status, reason, artifacts: kept, startedAt });
  for (let sample = 1; sample <= action.samples; sample++) {
    if (sample > 1) await sleep(intervalMs, env.signal);
    const ofSamples = action.samples > 1 ? ` (sample ${sample}/${action.samples})` : '';
    const label = `${what} from ${redactUrl(target)}${ofSamples}`;
    const attributes: ArtifactAttributes = {
      target: shown,
      endpoint: endpointOf(env, action, target),
      profile: action.profile,
      ...(action.debug !== undefined && { debug: action.debug }),
      ...(action.seconds !== undefined && { seconds: action.seconds }),
      sample,
      samples: action.samples,
      round,
    };
    const result = await fanout.fetch({
      round,
      target,
      what: `${what}${ofSamples}`,
      signal: env.signal,
      request: {
        pprofBase: env.params.pprofBase,
        profile: action.profile,
        debug: action.debug,
        seconds: action.seconds,
        timeoutMs,
        outputPath: join(env.scratchDir, `${action.id}-${round}-t${t}-s${sample}`),
      },
    });
    if (result.ok) {
      const artifact = await keepArtifact(env, {
        stepRunId,
        actionId: action.id,
        sourcePath: result.result.outputPath,
        mediaType: pprofMediaType(action.profile, action.debug),
        label,
        attributes,
        sha256: result.result.sha256,
      });
      kept.push(artifact);
      outcome.artifacts.push(artifact);
      for (const problem of result.result.problems) {
        outcome.events.push(eventNow(env, { kind: 'warning', action: action.id, target: shown, artifact: artifact.id, text: problem }));
      }
      continue;
    }
    if (result.notServed) {
      // A 404 from an endpoint this Go does not serve (core/pprof-endpoints.ts) says which
      // kind of service this is, not that collection failed.
      const reason = `${what} is not served by this service: ${result.notServed}`;
      outcome.events.push(eventNow(env, { kind: 'action-skipped', action: action.id, target: shown, reason }));
      await end('not-served', reason);
      return;
    }
    await recordFailure(env, stepRunId, action, label, attributes, result, action.samples - sample + 1, kept, outcome);
    // later samples of a failing target would fail the same way
    await end('failed', `${action.samples > 1 ? `sample ${sample} of ${action.samples}: ` : ''}${result.reason}`);
    return;
  }
  await end('ok', null);
}

async function recordFailure(
  env: StepEnv,
  stepRunId: number,
  action: PprofAction,
  label: string,
  attributes: ArtifactAttributes,
  failure: Extract<FetchOutcome, { ok: false }>,
  failed: number,
  kept: StoredArtifact[],
  outcome: ActionOutcome,
): Promise<void> {
  outcome.failures++;
  let keptId: number | undefined;
  if (failure.keptPath) {
    const artifact = await keepArtifact(env, {
      stepRunId,
      actionId: action.id,
      sourcePath: failure.keptPath,
      mediaType: 'application/octet-stream',
      label: `${label} (${failure.partial ? 'partial, ' : 'not a profile, '}failed: ${failure.reason})`,
      attributes: { ...attributes, failed: true, ...(failure.partial && { partial: true }), reason: failure.reason },
    });
    outcome.artifacts.push(artifact);
    kept.push(artifact);
    keptId = artifact.id;
  }
  const endpoint = attributes.endpoint!;
  outcome.events.push(
    eventNow(env, { kind: 'action-failed', action: action.id, target: attributes.target, reason: failure.error.message }),
  );
  outcome.findings!.push({
    kind: 'collection-failure',
    title: redactSecrets(`could not collect ${endpoint}: ${failure.reason}`),
    // The instance gave nothing for this endpoint: the analysis is blind to it there.
    severity: failed === action.samples ? 'medium' : 'low',
    metrics: { failed, attempted: action.samples },
    detail: redactSecrets(
      `${failure.error.message}${hintOf(failure.error)}${keptId !== undefined ? `\nWhat arrived is kept as artifact ${keptId}.` : ''}`,
    ),
    artifactIds: keptId !== undefined ? [keptId] : [],
  });
}

/**
 * The redacted endpoint URL, keeping the `***@` mark of a target with credentials so two
 * targets that differ only in their userinfo stay apart; the redacted target when it is
 * not even a URL.
 */
function endpointOf(env: StepEnv, action: PprofAction, target: string): string {
  try {
    const { endpoint } = buildPprofUrl({
      targetUrl: target,
      pprofBase: env.params.pprofBase,
      profile: action.profile,
      debug: action.debug,
      seconds: action.seconds,
    });
    const marked = /^[a-z][a-z0-9+.-]*:\/\/\*\*\*@/i.test(redactUrl(target));
    return marked ? endpoint.replace('://', '://***@') : endpoint;
  } catch {
    return redactUrl(target);
  }
}

function hintOf(error: Error): string {
  const hint = (error as { hint?: unknown }).hint;
  return typeof hint === 'string' && hint ? `\nWhat to do: ${hint}` : '';
}
