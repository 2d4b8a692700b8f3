/**
 * The triage state machine: the six steps and their back-edges, as a pure function.
 *
 *   alert → gather → analyze → hypothesize → fix → postmortem → done
 *                       ▲           │  ▲        │
 *                       └───────────┘  └────────┘
 *       nothing confirmed               fix not verified
 *
 * The machine runs nothing. Each state names the step to run next; the session loop
 * (session.ts) runs it and hands its summary back as a `step.done` event, and xstate's
 * `transition` computes the next state. So the machine knows steps and transitions only,
 * and no code depends on the order in which xstate would notify subscribers.
 *
 * Back-edges are bounded by `maxRounds`: an answers file (or a tired engineer at 3 a.m.)
 * must not loop forever. When the rounds are used up the session goes on to the
 * postmortem, which then says the root cause was not confirmed or the fix not verified.
 */
import { and, assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';
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

/** The one event: the step the machine is in has ended (finished or skipped). */
export interface StepDoneEvent {
  type: 'step.done';
  summary: StepSummary;
}

/** A machine state: the step to run next, or `done`. */
export type MachineState = StepId | 'done';

export const triageMachine = setup({
  types: {
    context: {} as MachineContext,
    input: {} as MachineInput,
    events: {} as StepDoneEvent,
  },
  guards: {
    nothingConfirmed: ({ event }) => event.summary.status === 'finished' && event.summary.confirmed === 0,
    fixNotVerified: ({ event }) => event.summary.status === 'finished' && event.summary.verified === false,
    analyzeRoundsLeft: ({ context }) => context.analyzeRounds + 1 < context.maxRounds,
    fixRoundsLeft: ({ context }) => context.fixRounds + 1 < context.maxRounds,
  },
  actions: {
    remember: assign({ last: ({ event }) => event.summary }),
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
    alert: { on: { 'step.done': { target: 'gather', actions: 'remember' } } },
    gather: { on: { 'step.done': { target: 'analyze', actions: 'remember' } } },
    analyze: { on: { 'step.done': { target: 'hypothesize', actions: 'remember' } } },
    hypothesize: {
      on: {
        'step.done': [
          { guard: and(['nothingConfirmed', 'analyzeRoundsLeft']), target: 'analyze', actions: ['remember', 'countAnalyzeRound'] },
          // Rounds used up with nothing confirmed: there is nothing to fix.
          { guard: 'nothingConfirmed', target: 'postmortem', actions: 'remember' },
          { target: 'fix', actions: 'remember' },
        ],
      },
    },
    fix: {
      on: {
        'step.done': [
          { guard: and(['fixNotVerified', 'fixRoundsLeft']), target: 'hypothesize', actions: ['remember', 'countFixRound'] },
          // Verified, or rounds used up (the postmortem says the fix is unverified).
          { target: 'postmortem', actions: 'remember' },
        ],
      },
    },
    postmortem: { on: { 'step.done': { target: 'done', actions: 'remember' } } },
    done: { type: 'final' },
  },
});

export type TriageSnapshot = SnapshotFrom<typeof triageMachine>;

/** The machine's first state for a new incident. */
export function initialSnapshot(input: MachineInput): TriageSnapshot {
  return initialTransition(triageMachine, input)[0];
}

/** The state after the step the machine is in ended with `summary`. */
export function nextSnapshot(snapshot: TriageSnapshot, summary: StepSummary): TriageSnapshot {
  return transition(triageMachine, snapshot, { type: 'step.done', summary })[0];
}

/** A snapshot rebuilt from a saved state and context (session-snapshot.ts validates them first). */
export function restoreSnapshot(state: MachineState, context: MachineContext): TriageSnapshot {
  return triageMachine.resolveState({ value: state, context });
}

export function stateOf(snapshot: TriageSnapshot): MachineState {
  return snapshot.value;
}
