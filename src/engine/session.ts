/**
 * A triage session: runs the machine for one incident, persists every transition,
 * and resumes from the last committed state after Ctrl-C, a crash or SIGKILL.
 *
 * Persistence: each time the machine changes state, the persisted snapshot, the
 * status of the step that just ended and that step's findings/hypotheses/fix commit
 * in ONE transaction (Store.commitTransition). Artifacts and tool runs are committed
 * while the step runs, as they arrive. A step is recorded `started` before any of
 * its tools run, so a resume knows what was interrupted.
 *
 * xstate restarts invoked actors when a snapshot is restored, so resuming in `gather`
 * re-enters runStep('gather'); runStep asks before re-running an interrupted step.
 */
import { createActor, fromPromise, type Actor } from 'xstate';
import { InterruptedError, StepError } from '../core/errors.js';
import type { StepId } from '../core/model.js';
import type { StepRun } from '../store/store.js';
import { triageMachine, type StepActorInput, type TriageMachine } from './machine.js';
import { decideRerun } from './rerun.js';
import { STEP_FUNCTIONS } from './steps/index.js';
import type { StepEnv, StepEvidence, StepSummary } from './types.js';

export type SessionEnd =
  { kind: 'done'; incidentId: string; reportPath: string | null } | { kind: 'paused'; incidentId: string; at: StepId };

type EnvFactory = (signal: AbortSignal) => StepEnv;

/**
 * Run (or resume) the incident's session until it is done, paused by `until`,
 * interrupted (rejects with InterruptedError after saving) or a step fails
 * (rejects with the step's error after saving).
 */
export async function runSession(makeEnv: EnvFactory, sessionSignal: AbortSignal): Promise<SessionEnd> {
  const probe = makeEnv(sessionSignal);
  const { store } = probe.ctx;
  const now = () => probe.ctx.clock.now().toISOString();
  const incidentId = probe.incident.id;
  const pendingEvidence = new Map<number, StepEvidence>();
  let stepError: unknown = null;
  let lastCommitted: string | null = null;
  let reportPath: string | null = null;

  let resolveEnd!: (end: SessionEnd) => void;
  let rejectEnd!: (error: unknown) => void;
  const ended = new Promise<SessionEnd>((resolve, reject) => {
    resolveEnd = resolve;
    rejectEnd = reject;
  });

  const machine = triageMachine.provide({
    actors: {
      runStep: fromPromise<StepSummary, StepActorInput>(async ({ input, signal }) => {
        const combined = AbortSignal.any([signal, sessionSignal]);
        try {
          const { summary, evidence, reportPath: written } = await runOneStep(input.step, makeEnv(combined), combined);
          pendingEvidence.set(summary.stepRunId, evidence);
          if (written) reportPath = written;
          return summary;
        } catch (error) {
          stepError = sessionSignal.aborted ? interrupted(incidentId) : error;
          throw stepError;
        }
      }),
    },
  });

  /** Steps wait for the transition into their state to be committed before they start. */
  async function runOneStep(step: StepId, env: StepEnv, signal: AbortSignal) {
    // xstate starts the invoked actor before it notifies observers of the new state;
    // one microtask later the observer has committed the transition into this step.
    // eslint-disable-next-line @typescript-eslint/await-thenable -- replaced by the plain session loop (issue 8)
    await null;
    if (lastCommitted !== step) throw new Error(`step ${step} started before its transition was saved`);
    // Ctrl-C during a step that ignores its signal (pure computation) stops here, before the next one.
    if (signal.aborted) throw signal.reason;
    if (env.options.until === step && !untilPassed) return pause(step);
    const fn = STEP_FUNCTIONS[step];
    const skipReason = env.options.skip[step] ?? (await decideRerun(env, step));
    const run = store.startStep(incidentId, step);
    if (skipReason) {
      env.ctx.log.info(`[${step}] skipped: ${skipReason}`);
      return { summary: { step, stepRunId: run.id, status: 'skipped' as const, reason: skipReason }, evidence: {}, reportPath: null };
    }
    env.ctx.log.info(`[${step}] started`);
    try {
      const result = await fn(env, run.id);
      env.ctx.log.info(`[${step}] finished`);
      return { summary: { ...result.summary, step, stepRunId: run.id }, evidence: result.evidence, reportPath: result.reportPath ?? null };
    } catch (error) {
      recordStepEnd(run, signal.aborted ? 'interrupted' : 'failed', error);
      throw error;
    }
  }

  /** Marks a step run interrupted/failed, keeping the last committed snapshot. */
  function recordStepEnd(run: StepRun, status: 'interrupted' | 'failed', error: unknown) {
    const snapshot = store.latestSnapshot(incidentId) ?? actor.getPersistedSnapshot();
    store.commitTransition({
      incidentId,
      snapshot,
      state: run.step,
      stepRun: { id: run.id, status, reason: error instanceof Error ? error.message : String(error) },
      events: [{ at: now(), step: run.step, kind: `step-${status}`, message: error instanceof Error ? error.message : String(error) }],
    });
  }

  const stored = store.latestSnapshot(incidentId);
  // `until` pauses only on arrival: a resume that starts in that very step runs it.
  const untilPassed = stored !== undefined && stored !== null && probe.incident.state === probe.options.until;
  const input = { incidentId, maxRounds: probe.options.maxRounds };
  // With a snapshot, xstate restores it and ignores input.
  const actor: Actor<TriageMachine> = createActor(machine, stored ? { input, snapshot: stored as never } : { input });
  lastCommitted = stored ? probe.incident.state : null;

  actor.subscribe({
    next(snapshot) {
      const state = String(snapshot.value);
      if (state === lastCommitted) return;
      if (state === 'failed') return; // never persisted: resume restarts the failed step
      const last = snapshot.context.last;
      const evidence = last ? (pendingEvidence.get(last.stepRunId) ?? {}) : {};
      try {
        commit(state, last, evidence);
      } catch (error) {
        // The database refused the transition (disk full, a broken file): stop here; the
        // last committed state is still a consistent place to resume from.
        stepError = error;
        rejectEnd(error);
        actor.stop();
        return;
      }
      if (last) pendingEvidence.delete(last.stepRunId);
      lastCommitted = state;
    },
    error: (error) => rejectEnd(error),
    complete() {
      const state = String(actor.getSnapshot().value);
      if (state === 'done') resolveEnd({ kind: 'done', incidentId, reportPath });
      else rejectEnd(stepError ?? new StepError(`session ended in state ${state}`));
    },
  });

  /** One transaction: the new state's snapshot, the ended step's status and its evidence. */
  function commit(state: string, last: StepSummary | null, evidence: StepEvidence): void {
    store.commitTransition({
      incidentId,
      snapshot: actor.getPersistedSnapshot(),
      state,
      status: state === 'done' ? 'done' : 'active',
      stepRun: last && lastCommitted !== null ? { id: last.stepRunId, status: last.status, reason: last.reason ?? null } : undefined,
      findings: evidence.findings,
      hypotheses: evidence.hypotheses,
      fix: evidence.fix,
      events: [
        ...(evidence.events ?? []),
        { at: now(), step: null, kind: 'transition', message: `${lastCommitted ?? 'start'} → ${state}` },
      ],
    });
  }

  const onAbort = () => {
    // The running step sees the abort through its signal; if it is waiting at the
    // pause gate or between steps, end here.
    if (!stepError) stepError = interrupted(incidentId);
  };
  sessionSignal.addEventListener('abort', onAbort, { once: true });

  // A first run commits its initial state before the alert step starts.
  if (!stored) lastCommitted = 'alert';
  actor.start();
  if (!stored) {
    store.commitTransition({
      incidentId,
      snapshot: actor.getPersistedSnapshot(),
      state: 'alert',
      status: 'active',
      events: [{ at: now(), step: null, kind: 'transition', message: 'start → alert' }],
    });
  }

  /** Stops the machine where it stands; the step never starts, so nothing is recorded. */
  function pause(step: StepId): Promise<never> {
    setImmediate(() => {
      resolveEnd({ kind: 'paused', incidentId, at: step });
      actor.stop();
    });
    return new Promise<never>(() => {});
  }

  try {
    return await ended;
  } finally {
    sessionSignal.removeEventListener('abort', onAbort);
    actor.stop();
  }
}

function interrupted(incidentId: string): InterruptedError {
  return new InterruptedError('interrupted; the session is saved', `resume with: gotriage resume ${incidentId}`);
}
