/**
 * Types shared by the machine, the session and the steps.
 */
import type { Context } from './context.js';
import type { Fanout } from '../collect/fanout.js';
import type { Finding, Hypothesis, StepId } from '../core/model.js';
import type { LoadedPlaybook } from '../playbook/loader.js';
import type { Incident, TimelineEvent, Transition } from '../store/store.js';

/** What a step hands back to the machine (small: it lives in the persisted context). */
export interface StepSummary {
  step: StepId;
  stepRunId: number;
  status: 'finished' | 'skipped';
  reason?: string | null;
  /** hypothesize: how many hypotheses were confirmed (0 sends the machine back to analyze). */
  confirmed?: number;
  /** fix: whether every confirmed hypothesis was refuted on fresh evidence. */
  verified?: boolean;
}

/** What a step produced, committed with the transition that ends it (one transaction). */
export interface StepEvidence {
  findings?: Finding[];
  hypotheses?: Hypothesis[];
  fix?: Transition['fix'];
  events?: TimelineEvent[];
}

export interface StepResult {
  summary: StepSummary;
  evidence: StepEvidence;
}

/** Options that shape a session run (from flags). */
export interface SessionOptions {
  /** Steps to skip, with the reason recorded. */
  skip: Partial<Record<StepId, string>>;
  /** Stop (saved, resumable) when the machine reaches this step, before running it. */
  until?: StepId;
  /** Where the postmortem is written (directory). */
  outDir: string;
  /** Back-edge rounds allowed before the session gives up and writes the postmortem anyway. */
  maxRounds: number;
}

/** Everything a step needs: the shared context plus this incident. */
export interface StepEnv {
  ctx: Context;
  incident: Incident;
  playbook: LoadedPlaybook;
  options: SessionOptions;
  /** Placeholder values for playbook strings (params, targets, runtime values). */
  params: Record<string, string>;
  /** Every target URL (instances) to collect from. */
  targets: string[];
  /** Scratch directory for tool output before it is moved into the artifact store. */
  scratchDir: string;
  signal: AbortSignal;
  /**
   * The session's pprof fan-out (one request limiter, per-target deadlines, --header
   * headers, progress). Optional: without it the pprof action uses one default Fanout per
   * context (src/collect/fanout.ts sessionFanout).
   */
  fanout?: Fanout;
  /** Findings this step has so far: the analyze step sets it before its `deps` actions run. */
  findings?: Finding[];
}

/** A step's work. It returns its summary (without ids, the session adds them) and evidence. */
export type StepFn = (
  env: StepEnv,
  stepRunId: number,
) => Promise<{ summary: Omit<StepSummary, 'step' | 'stepRunId'>; evidence: StepEvidence; reportPath?: string }>;
