/**
 * The triage state machine: the six steps and their back-edges.
 *
 *   alert → gather → analyze → hypothesize → fix → postmortem → done
 *                       ▲           │  ▲        │
 *                       └───────────┘  └────────┘
 *       nothing confirmed               fix not verified
 *
 * Each step state invokes the one `runStep` promise actor, provided from outside
 * (session.ts) with `.provide()`, so the machine knows steps and transitions only.
 * Back-edges are bounded by `maxRounds`: an answers file (or a tired engineer at 3 a.m.)
 * must not loop forever. When the rounds are used up the session goes on to the
 * postmortem, which then says the root cause was not confirmed or the fix not verified.
 */
import { and, assign, fromPromise, setup } from 'xstate';
import type { StepId } from '../core/model.js';
import type { StepSummary } from './types.js';

export interface MachineContext {
  incidentId: string;
  maxRounds: number;
  /** Times the machine went back from hypothesize to analyze. */
  analyzeRounds: number;
  /** Times the machine went back from fix to hypothesize. */
  fixRounds: number;
  last: StepSummary | null;
}

export interface MachineInput {
  incidentId: string;
  maxRounds: number;
}

export interface StepActorInput {
  step: StepId;
  incidentId: string;
}

/** The invoked step's output, from a done event. */
function outputOf(event: unknown): StepSummary {
  return (event as { output: StepSummary }).output;
}

/** Placeholder logic: session.ts provides the real one. */
const runStep = fromPromise<StepSummary, StepActorInput>(async () => {
  throw new Error('runStep was not provided');
});

/**
 * Every step state invokes the same actor with its step id; only the transitions on
 * its result differ. A thrown step goes to `failed`.
 */
function invokeStep<const T>(step: StepId, onDone: T) {
  return {
    src: 'runStep' as const,
    input: ({ context }: { context: MachineContext }): StepActorInput => ({ step, incidentId: context.incidentId }),
    onDone,
    onError: { target: 'failed' as const },
  };
}

export const triageMachine = setup({
  types: {
    context: {} as MachineContext,
    input: {} as MachineInput,
  },
  actors: { runStep },
  guards: {
    nothingConfirmed: ({ event }) => outputOf(event).status === 'finished' && outputOf(event).confirmed === 0,
    fixNotVerified: ({ event }) => outputOf(event).status === 'finished' && outputOf(event).verified === false,
    analyzeRoundsLeft: ({ context }) => context.analyzeRounds + 1 < context.maxRounds,
    fixRoundsLeft: ({ context }) => context.fixRounds + 1 < context.maxRounds,
  },
  actions: {
    remember: assign({ last: ({ event }) => outputOf(event) }),
    countAnalyzeRound: assign({ analyzeRounds: ({ context }) => context.analyzeRounds + 1 }),
    countFixRound: assign({ fixRounds: ({ context }) => context.fixRounds + 1 }),
  },
}).createMachine({
  id: 'triage',
  initial: 'alert',
  context: ({ input }) => ({
    incidentId: input.incidentId,
    maxRounds: input.maxRounds,
    analyzeRounds: 0,
    fixRounds: 0,
    last: null,
  }),
  states: {
    alert: { invoke: invokeStep('alert', { target: 'gather', actions: 'remember' }) },
    gather: { invoke: invokeStep('gather', { target: 'analyze', actions: 'remember' }) },
    analyze: { invoke: invokeStep('analyze', { target: 'hypothesize', actions: 'remember' }) },
    hypothesize: {
      invoke: invokeStep('hypothesize', [
        { guard: and(['nothingConfirmed', 'analyzeRoundsLeft']), target: 'analyze', actions: ['remember', 'countAnalyzeRound'] },
        // Rounds used up with nothing confirmed: there is nothing to fix.
        { guard: 'nothingConfirmed', target: 'postmortem', actions: 'remember' },
        { target: 'fix', actions: 'remember' },
      ]),
    },
    fix: {
      invoke: invokeStep('fix', [
        { guard: and(['fixNotVerified', 'fixRoundsLeft']), target: 'hypothesize', actions: ['remember', 'countFixRound'] },
        // Verified, or rounds used up (the postmortem says the fix is unverified).
        { target: 'postmortem', actions: 'remember' },
      ]),
    },
    postmortem: { invoke: invokeStep('postmortem', { target: 'done', actions: 'remember' }) },
    done: { type: 'final' },
    // Reached only when a step throws; the session never persists this state, so a
    // resume restarts from the last committed step (see session.ts).
    failed: { type: 'final' },
  },
});

export type TriageMachine = typeof triageMachine;
