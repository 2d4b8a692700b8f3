/**
 * What an action hands back to its step, and the records it writes as it finishes: one
 * collection record per target it collected from (or one for the whole action), committed
 * at once like its artifacts, so an interrupted step still says how far each action got.
 */
import type { Finding } from '../../core/model.js';
import type { CollectionStatus, StoredArtifact, TimelineEvent, TimelinePayload } from '../../store/store.js';
import type { StepEnv } from '../types.js';

export interface ActionOutcome {
  artifacts: StoredArtifact[];
  /** Events for the step to commit with its transition; `step` is set by the step. */
  events: TimelineEvent[];
  failures: number;
  /** Findings known at gather time (collection failures); the step commits them with its evidence. */
  findings?: Finding[];
}

/** An event of this moment, not yet tied to a step (the step that commits it sets `step`). */
export function eventNow(env: StepEnv, payload: TimelinePayload): TimelineEvent {
  return { ...payload, at: env.ctx.clock.now().toISOString(), step: null };
}

export interface CollectionEnd {
  /** recordedTarget() of the instance, or null for an action that does not collect per target. */
  target: string | null;
  status: CollectionStatus;
  reason?: string | null;
  artifacts: readonly StoredArtifact[];
  startedAt: string;
}

/** Records how action `actionId` did (on one target, or as a whole); committed when this returns. */
export async function recordCollection(env: StepEnv, stepRunId: number, actionId: string, end: CollectionEnd): Promise<void> {
  await env.ctx.store.addCollection(env.incident.id, {
    stepRunId,
    actionId,
    target: end.target,
    status: end.status,
    reason: end.reason ?? null,
    artifactIds: end.artifacts.map((a) => a.id),
    startedAt: end.startedAt,
    finishedAt: env.ctx.clock.now().toISOString(),
  });
}
