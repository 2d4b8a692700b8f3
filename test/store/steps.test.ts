import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { openTestStore, reopenStore, sampleIncident } from './store-helpers.ts';

describe('startStep', () => {
  it('numbers attempts per step and commits at once with a step-started event', () => {
    let store = openTestStore();
    const { id } = store.createIncident(sampleIncident(), {}, 'alert');
    const a1 = store.startStep(id, 'analyze');
    store.commitTransition({ incidentId: id, snapshot: {}, state: 'hypothesize', stepRun: { id: a1.id, status: 'finished' } });
    const h1 = store.startStep(id, 'hypothesize');
    store.commitTransition({ incidentId: id, snapshot: {}, state: 'analyze', stepRun: { id: h1.id, status: 'finished' } });
    const a2 = store.startStep(id, 'analyze'); // the back-edge hypothesize → analyze

    expect([a1.attempt, h1.attempt, a2.attempt]).toEqual([1, 1, 2]);
    expect(a2).toMatchObject({ incidentId: id, step: 'analyze', status: 'started', reason: null, finishedAt: null });

    store = reopenStore(store); // committed without any later call
    expect(store.stepRuns(id).map((r) => `${r.step}#${r.attempt}:${r.status}`)).toEqual([
      'analyze#1:finished',
      'hypothesize#1:finished',
      'analyze#2:started',
    ]);
    const started = store.timeline(id).filter((e) => e.kind === 'step-started');
    expect(started.map((e) => e.step)).toEqual(['analyze', 'hypothesize', 'analyze']);
  });

  it('refuses an unknown incident with a StoreError naming it', () => {
    const store = openTestStore();
    expect(() => store.startStep('inc-deadbeef', 'gather')).toThrow(/inc-deadbeef/);
    expect(() => store.startStep('inc-deadbeef', 'gather')).toThrow(StoreError);
  });
});

describe('markInterrupted', () => {
  it('turns every started step run of the incident into interrupted, with an event, and only those', () => {
    let store = openTestStore();
    const { id } = store.createIncident(sampleIncident(), {}, 'alert');
    const other = store.createIncident(sampleIncident({ title: 'other' }), {}, 'alert');
    const done = store.startStep(id, 'alert');
    store.commitTransition({ incidentId: id, snapshot: {}, state: 'gather', stepRun: { id: done.id, status: 'finished' } });
    const gather = store.startStep(id, 'gather');
    const otherGather = store.startStep(other.id, 'gather');
    store.close(); // the process dies here: gather is still `started`

    store = reopenStore(store);
    const interrupted = store.markInterrupted(id);
    expect(interrupted.map((r) => [r.id, r.step, r.status])).toEqual([[gather.id, 'gather', 'interrupted']]);
    expect(interrupted[0]?.reason).toMatch(/stopped while this step was running/);

    store = reopenStore(store);
    expect(store.stepRuns(id).map((r) => r.status)).toEqual(['finished', 'interrupted']);
    expect(store.stepRuns(id)[1]?.finishedAt).toBeNull();
    expect(store.stepRuns(other.id)).toEqual([otherGather]); // another incident's run is left alone
    expect(
      store
        .timeline(id)
        .filter((e) => e.kind === 'step-interrupted')
        .map((e) => e.step),
    ).toEqual(['gather']);
    expect(store.markInterrupted(id)).toEqual([]); // nothing left to mark
    expect(store.startStep(id, 'gather').attempt).toBe(2); // the re-run is a new attempt
  });
});
