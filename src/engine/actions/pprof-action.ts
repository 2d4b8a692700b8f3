/**
 * A `pprof` playbook action: fetch one endpoint from every target, `samples` times,
 * `interval` apart, and keep each response as an artifact. A failure on one target is
 * recorded and never stops the others; partial bytes are kept.
 */
import { join } from 'node:path';
import { fetchPprof } from '../../collect/pprof-http.js';
import { redactUrl } from '../../exec/redact.js';
import { MediaType } from '../../model.js';
import { parseDuration, type PprofAction } from '../../playbook/schema.js';
import type { StoredArtifact, TimelineEvent } from '../../store/store.js';
import { settleLimited, sleep } from '../concurrency.js';
import type { StepEnv } from '../types.js';
import { keepArtifact } from './keep-artifact.js';

export interface ActionOutcome {
  artifacts: StoredArtifact[];
  events: TimelineEvent[];
  failures: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** The media type the analyze step will read this response as. */
export function pprofMediaType(action: PprofAction): string {
  if (action.profile === 'trace') return MediaType.trace;
  if (!action.debug || action.debug === '0') return MediaType.pprof(action.profile);
  if (action.profile === 'goroutine' || action.profile === 'goroutineleak') return MediaType.goroutines(action.debug);
  return MediaType.pprofText(action.profile);
}

export async function runPprofAction(env: StepEnv, stepRunId: number, action: PprofAction, round: string): Promise<ActionOutcome> {
  const { store, clock, log } = env.ctx;
  const outcome: ActionOutcome = { artifacts: [], events: [], failures: 0 };
  const timeoutMs = action.timeout ? parseDuration(action.timeout) : DEFAULT_TIMEOUT_MS;
  const intervalMs = action.interval ? parseDuration(action.interval) : 0;
  const what = `${action.profile}${action.debug ? ` debug=${action.debug}` : ''}${action.seconds ? ` ${action.seconds}s` : ''}`;

  const perTarget = env.targets.map((target, t) => async () => {
    for (let sample = 1; sample <= action.samples; sample++) {
      if (sample > 1) await sleep(intervalMs, env.signal);
      const outputPath = join(env.scratchDir, `${action.id}-${round}-t${t}-s${sample}`);
      const label = `${what} from ${redactUrl(target)}${action.samples > 1 ? ` (sample ${sample}/${action.samples})` : ''}`;
      log.info(`  fetching ${label}${action.seconds ? ` — ${action.seconds}s window` : ''}`);
      try {
        const result = await fetchPprof({
          targetUrl: target,
          pprofBase: env.params.pprofBase,
          profile: action.profile,
          debug: action.debug,
          seconds: action.seconds,
          timeoutMs,
          signal: env.signal,
          outputPath,
        });
        const artifact = keepArtifact(env, {
          stepRunId,
          actionId: action.id,
          sourcePath: result.outputPath,
          mediaType: pprofMediaType(action),
          label,
          sha256: result.sha256,
        });
        outcome.artifacts.push(artifact);
        for (const problem of result.problems) {
          outcome.events.push({ at: clock.now().toISOString(), step: null, kind: 'warning', message: `${label}: ${problem}` });
        }
      } catch (error) {
        if (env.signal.aborted) throw error;
        outcome.failures++;
        const message = error instanceof Error ? error.message : String(error);
        log.warn(`${label}: ${message}`);
        outcome.events.push({ at: clock.now().toISOString(), step: null, kind: 'action-failed', message: `${action.id}: ${label}: ${message}` });
        const partial = (error as { partialPath?: string }).partialPath;
        if (partial) {
          outcome.artifacts.push(
            keepArtifact(env, { stepRunId, actionId: action.id, sourcePath: partial, mediaType: 'application/octet-stream', label: `${label} (partial, failed)` }),
          );
        }
        return; // later samples of a failing target would fail the same way
      }
    }
  });
  const settled = await settleLimited(perTarget, 8);
  const aborted = settled.find((s) => s.status === 'rejected');
  if (aborted && aborted.status === 'rejected') throw aborted.reason;
  return outcome;
}
