import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, toPromise } from 'xstate';
import { triageMachine, type StepActorInput } from '../../src/engine/machine.js';
import type { StepSummary } from '../../src/engine/types.js';
import type { StepId } from '../../src/core/model.js';

/**
 * The machine alone, with a scripted step actor: each step's summary comes from a
 * script, so the transitions (and their bounds) are what is under test.
 */
async function walk(script: (step: StepId, visit: number) => Partial<StepSummary>, maxRounds = 3): Promise<StepId[]> {
  const visits: StepId[] = [];
  const machine = triageMachine.provide({
    actors: {
      runStep: fromPromise<StepSummary, StepActorInput>(async ({ input }) => {
        visits.push(input.step);
        const visit = visits.filter((s) => s === input.step).length;
        return { step: input.step, stepRunId: visits.length, status: 'finished', ...script(input.step, visit) };
      }),
    },
  });
  const actor = createActor(machine, { input: { incidentId: 'inc-test', maxRounds } });
  actor.start();
  await toPromise(actor);
  expect(actor.getSnapshot().value).toBe('done');
  return visits;
}

describe('triage machine', () => {
  it('walks the six steps in order when a hypothesis is confirmed and the fix verified', async () => {
    const visits = await walk((step) => (step === 'hypothesize' ? { confirmed: 2 } : step === 'fix' ? { verified: true } : {}));
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'postmortem']);
  });

  it('goes back to analyze when every hypothesis is refuted, then on once one is confirmed', async () => {
    const visits = await walk((step, visit) =>
      step === 'hypothesize' ? { confirmed: visit === 1 ? 0 : 1 } : step === 'fix' ? { verified: true } : {},
    );
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'analyze', 'hypothesize', 'fix', 'postmortem']);
  });

  it('goes back to hypothesize when the fix is not verified', async () => {
    const visits = await walk((step, visit) => (step === 'hypothesize' ? { confirmed: 1 } : step === 'fix' ? { verified: visit > 1 } : {}));
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'hypothesize', 'fix', 'postmortem']);
  });

  it('bounds the back-edges: after maxRounds of refuted hypotheses it writes the postmortem', async () => {
    const visits = await walk((step) => (step === 'hypothesize' ? { confirmed: 0 } : {}), 2);
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'analyze', 'hypothesize', 'postmortem']);
  });

  it('bounds an unverified fix the same way', async () => {
    const visits = await walk((step) => (step === 'hypothesize' ? { confirmed: 1 } : step === 'fix' ? { verified: false } : {}), 2);
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'hypothesize', 'fix', 'postmortem']);
  });

  it('moves on past a skipped step (a skipped hypothesize is not "nothing confirmed")', async () => {
    const visits = await walk((step) => (step === 'hypothesize' ? { status: 'skipped', reason: 'known cause' } : {}));
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'postmortem']);
  });

  it('restores a persisted snapshot and re-enters the step it was in', async () => {
    const first: StepId[] = [];
    const stopAtAnalyze = triageMachine.provide({
      actors: {
        runStep: fromPromise<StepSummary, StepActorInput>(async ({ input }) => {
          first.push(input.step);
          if (input.step === 'analyze') return new Promise<StepSummary>(() => {}); // "killed" here
          return { step: input.step, stepRunId: first.length, status: 'finished' };
        }),
      },
    });
    const actor = createActor(stopAtAnalyze, { input: { incidentId: 'inc-test', maxRounds: 3 } });
    actor.start();
    await new Promise((r) => setTimeout(r, 20));
    expect(actor.getSnapshot().value).toBe('analyze');
    const saved = JSON.parse(JSON.stringify(actor.getPersistedSnapshot()));
    actor.stop();

    const second: StepId[] = [];
    const resumed = createActor(
      triageMachine.provide({
        actors: {
          runStep: fromPromise<StepSummary, StepActorInput>(async ({ input }) => {
            second.push(input.step);
            return { step: input.step, stepRunId: 100 + second.length, status: 'finished', confirmed: 1, verified: true };
          }),
        },
      }),
      { snapshot: saved, input: { incidentId: 'inc-test', maxRounds: 3 } },
    );
    resumed.start();
    await toPromise(resumed);
    expect(second).toEqual(['analyze', 'hypothesize', 'fix', 'postmortem']);
  });
});
