import { describe, expect, it } from 'vitest';
import { initialSnapshot, nextSnapshot, stateOf } from '../../src/engine/machine.js';
import type { StepSummary } from '../../src/engine/types.js';
import type { StepId } from '../../src/core/model.js';

/**
 * The machine alone, as the pure function the session loop uses: each step's summary comes
 * from a script, so the transitions (and their bounds) are what is under test.
 */
function walk(script: (step: StepId, visit: number) => Partial<StepSummary>, maxRounds = 3): StepId[] {
  const visits: StepId[] = [];
  let snapshot = initialSnapshot({ incidentId: 'inc-test', maxRounds });
  for (let state = stateOf(snapshot); state !== 'done'; state = stateOf(snapshot)) {
    visits.push(state);
    if (visits.length > 50) throw new Error(`no end after ${visits.join(' → ')}`);
    const visit = visits.filter((s) => s === state).length;
    snapshot = nextSnapshot(snapshot, { step: state, stepRunId: visits.length, status: 'finished', ...script(state, visit) });
  }
  return visits;
}

describe('triage machine', () => {
  it('walks the six steps in order when a hypothesis is confirmed and the fix verified', () => {
    const visits = walk((step) => (step === 'hypothesize' ? { confirmed: 2 } : step === 'fix' ? { verified: true } : {}));
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'postmortem']);
  });

  it('goes back to analyze when every hypothesis is refuted, then on once one is confirmed', () => {
    const visits = walk((step, visit) =>
      step === 'hypothesize' ? { confirmed: visit === 1 ? 0 : 1 } : step === 'fix' ? { verified: true } : {},
    );
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'analyze', 'hypothesize', 'fix', 'postmortem']);
  });

  it('goes back to hypothesize when the fix is not verified', () => {
    const visits = walk((step, visit) => (step === 'hypothesize' ? { confirmed: 1 } : step === 'fix' ? { verified: visit > 1 } : {}));
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'hypothesize', 'fix', 'postmortem']);
  });

  it('bounds the back-edges: after maxRounds of refuted hypotheses it writes the postmortem', () => {
    const visits = walk((step) => (step === 'hypothesize' ? { confirmed: 0 } : {}), 2);
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'analyze', 'hypothesize', 'postmortem']);
  });

  it('bounds an unverified fix the same way', () => {
    const visits = walk((step) => (step === 'hypothesize' ? { confirmed: 1 } : step === 'fix' ? { verified: false } : {}), 2);
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'hypothesize', 'fix', 'postmortem']);
  });

  it('moves on past a skipped step (a skipped hypothesize is not "nothing confirmed")', () => {
    const visits = walk((step) => (step === 'hypothesize' ? { status: 'skipped', reason: 'known cause' } : {}));
    expect(visits).toEqual(['alert', 'gather', 'analyze', 'hypothesize', 'fix', 'postmortem']);
  });
});
