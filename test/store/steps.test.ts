import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { openTestStore, reopenStore, sampleIncident } from './store-helpers.ts';

describe('startStep', () => {
  it('numbers attempts per step and commits at once with a step-started event', async () => {
    let store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), {}, 'alert');
    const a1 = await store.startStep(id, 'analyze');
    await store.commitTransition({ incidentId: id, snapshot: {}, state: 'hypothesize', stepRun: { id: a1.id, status: 'finished' } });
    const h1 = await store.startStep(id, 'hypothesize');
    await store.commitTransition({ incidentId: id, snapshot: {}, state: 'analyze', stepRun: { id: h1.id, status: 'finished' } });
    const a2 = await store.startStep(id, 'analyze'); // the back-edge hypothesize → analyze

    expect([a1.attempt, h1.attempt, a2.attempt]).toEqual([1, 1, 2]);
    expect(a2).toMatchObject({ incidentId: id, step: 'analyze', status: 'started', reason: null, finishedAt: null });

    store = await reopenStore(store); // committed without any later call
    expect((await store.stepRuns(id)).map((r) => `${r.step}#${r.attempt}:${r.status}`)).toEqual([
      'analyze#1:finished',
      'hypothesize#1:finished',
      'analyze#2:started',
    ]);
    const started = (await store.timeline(id)).filter((e) => e.kind === 'step-started');
    expect(started.map((e) => e.step)).toEqual(['analyze', 'hypothesize', 'analyze']);
  });

  it('refuses an unknown incident with a StoreError naming it', async () => {
    const store = openTestStore();
    await expect(store.startStep('inc-deadbeef', 'gather')).rejects.toThrow(/inc-deadbeef/);
    await expect(store.startStep('inc-deadbeef', 'gather')).rejects.toThrow(StoreError);
  });
});

describe('markInterrupted', () => {
  it('turns every started step run of the incident into interrupted, with an event, and only those', async () => {
    let store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), {}, 'alert');
    const other = await store.createIncident(sampleIncident({ title: 'other' }), {}, 'alert');
    const done = await store.startStep(id, 'alert');
    await store.commitTransition({ incidentId: id, snapshot: {}, state: 'gather', stepRun: { id: done.id, status: 'finished' } });
    const gather = await store.startStep(id, 'gather');
    const otherGather = await store.startStep(other.id, 'gather');
    await store.close(); // the process dies here: gather is still `started`

    store = await reopenStore(store);
    const interrupted = await store.markInterrupted(id);
    expect(interrupted.map((r) => [r.id, r.step, r.status])).toEqual([[gather.id, 'gather', 'interrupted']]);
    expect(interrupted[0]?.reason).toMatch(/stopped while this step was running/);

    store = await reopenStore(store);
    expect((await store.stepRuns(id)).map((r) => r.status)).toEqual(['finished', 'interrupted']);
    expect((await store.stepRuns(id))[1]?.finishedAt).toBeNull();
    expect(await store.stepRuns(other.id)).toEqual([otherGather]); // another incident's run is left alone
    expect((await store.timeline(id)).filter((e) => e.kind === 'step-interrupted').map((e) => e.step)).toEqual(['gather']);
    expect(await store.markInterrupted(id)).toEqual([]); // nothing left to mark
    expect((await store.startStep(id, 'gather')).attempt).toBe(2); // the re-run is a new attempt
  });
});
