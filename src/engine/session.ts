/**
 * A triage session: a plain loop around the pure machine (machine.ts). Each turn:
 *
 *   1. the state names the step to run (or `done`, or the `--until` step: stop, saved);
 *   2. the step is recorded `started`, then run — its artifacts and tool runs are
 *      committed as they arrive;
 *   3. the machine computes the next state from the step's summary;
 *   4. the next state's snapshot, the step's final status and its findings, hypotheses,
 *      fix and events are committed in ONE transaction (Store.commitTransition).
 *
 * A step that throws is recorded `failed` (or `interrupted` after Ctrl-C) and the
 * session stops where it was: the last committed snapshot still names that step, so
 * `resume` runs it again (asking first, see rerun.ts).
 *
 * The caller holds the incident's session lock (session-lock.ts) and has cleared what a
 * killed run left behind (session-leftovers.ts) before calling runSession.
 */
import { InterruptedError } from '../core/errors.js';
import type { StepId } from '../core/model.js';
import type { StepRun, TimelineEvent } from '../store/store.js';
import { initialSnapshot, nextSnapshot, stateOf, type TriageSnapshot } from './machine.js';
import { withProcessRecords } from './process-records.js';
import { decideRerun } from './rerun.js';
import { loadSnapshot, saveSnapshot } from './session-snapshot.js';
import { STEP_FUNCTIONS } from './steps/index.js';
import type { StepEnv, StepEvidence, StepFn, StepSummary } from './types.js';

/** Step id → the function that does the step's work: STEP_FUNCTIONS, or a test's own. */
export type StepTable = Readonly<Record<StepId, StepFn>>;

export type SessionEnd =
  { kind: 'done'; incidentId: string; reportPath: string | null } | { kind: 'paused'; incidentId: string; at: StepId };

/** What running one step gave: the summary the machine reads and the evidence the store keeps. */
interface StepOutcome {
  summary: StepSummary;
  evidence: StepEvidence;
  reportPath: string | null;
}

/**
 * Run (or resume) the incident's session until it is done or paused by `until`. Rejects
 * with InterruptedError after Ctrl-C, or with the step's own error when a step fails —
 * in both cases after the step's end was saved.
 */
export async function runSession(sessionEnv: StepEnv, steps: StepTable = STEP_FUNCTIONS): Promise<SessionEnd> {
  // Every tool a step starts gets a process record, so a later resume can end leftovers.
  const env = withProcessRecords(sessionEnv);
  const { store, clock } = env.ctx;
  const incidentId = env.incident.id;
  const at = () => clock.now().toISOString();

  const stored = await store.latestSnapshot(incidentId);
  let snapshot: TriageSnapshot;
  if (stored === null || stored === undefined) {
    snapshot = initialSnapshot({ incidentId, maxRounds: env.options.maxRounds });
    await store.commitTransition({
      incidentId,
      snapshot: saveSnapshot(snapshot),
      state: stateOf(snapshot),
      status: 'active',
      events: [transitionEvent(at(), 'start', stateOf(snapshot))],
    });
  } else {
    snapshot = loadSnapshot(stored, incidentId);
  }
  // `until` pauses only on arrival: a resume that starts in that very step runs it.
  let arrived = stored === null || stored === undefined;
  let reportPath: string | null = null;

  for (;;) {
    const state = stateOf(snapshot);
    if (state === 'done') return { kind: 'done', incidentId, reportPath };
    if (env.signal.aborted) throw interrupted(incidentId);
    if (arrived && env.options.until === state) return { kind: 'paused', incidentId, at: state };

    const outcome = await runStep(env, state, steps[state]);
    if (outcome.reportPath) reportPath = outcome.reportPath;
    const next = nextSnapshot(snapshot, outcome.summary);
    const { summary, evidence } = outcome;
    await store.commitTransition({
      incidentId,
      snapshot: saveSnapshot(next),
      state: stateOf(next),
      status: stateOf(next) === 'done' ? 'done' : 'active',
      stepRun: { id: summary.stepRunId, status: summary.status, reason: summary.reason ?? null },
      findings: evidence.findings,
      hypotheses: evidence.hypotheses,
      fix: evidence.fix,
      events: [...(evidence.events ?? []), transitionEvent(at(), state, stateOf(next))],
    });
    snapshot = next;
    arrived = true;
  }
}

/** Runs the step the machine is in: skipped (by flag, or declined on resume) or for real. */
async function runStep(env: StepEnv, step: StepId, work: StepFn): Promise<StepOutcome> {
  const { store, log } = env.ctx;
  const skipReason = env.options.skip[step] ?? (await askingForInterrupt(env, () => decideRerun(env, step)));
  const run = await store.startStep(env.incident.id, step);
  if (skipReason) {
    log.info(`[${step}] skipped: ${skipReason}`);
    return { summary: { step, stepRunId: run.id, status: 'skipped', reason: skipReason }, evidence: {}, reportPath: null };
  }
  log.info(`[${step}] started`);
  try {
    const result = await work(env, run.id);
    // A step that ignores its signal (pure computation) still ends as interrupted after Ctrl-C.
    if (env.signal.aborted) throw interrupted(env.incident.id);
    log.info(`[${step}] finished`);
    return { summary: { ...result.summary, step, stepRunId: run.id }, evidence: result.evidence, reportPath: result.reportPath ?? null };
  } catch (error) {
    const wasInterrupted = env.signal.aborted || error instanceof InterruptedError;
    await recordStepEnd(env, run, wasInterrupted ? 'interrupted' : 'failed', error);
    throw wasInterrupted ? interrupted(env.incident.id) : error;
  }
}

/** Ctrl-C while a question is asked, before any step run exists: nothing to record, say how to resume. */
async function askingForInterrupt<T>(env: StepEnv, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (env.signal.aborted || error instanceof InterruptedError) throw interrupted(env.incident.id);
    throw error;
  }
}

/** Marks a step run interrupted or failed; the incident stays in the state that names that step. */
async function recordStepEnd(env: StepEnv, run: StepRun, status: 'interrupted' | 'failed', error: unknown): Promise<void> {
  const { store, clock } = env.ctx;
  const incidentId = env.incident.id;
  const reason = error instanceof Error ? error.message : String(error);
  await store.commitTransition({
    incidentId,
    snapshot: await store.latestSnapshot(incidentId),
    state: run.step,
    stepRun: { id: run.id, status, reason },
    events: [{ at: clock.now().toISOString(), step: run.step, kind: `step-${status}`, attempt: run.attempt, reason }],
  });
}

function transitionEvent(at: string, from: string, to: string): TimelineEvent {
  return { at, step: null, kind: 'transition', from, to };
}

function interrupted(incidentId: string): InterruptedError {
  return new InterruptedError('interrupted; the session is saved', `resume with: gotriage resume ${incidentId}`);
}
