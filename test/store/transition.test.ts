import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import type { Finding, Severity } from '../../src/core/model.ts';
import type { Store, Transition } from '../../src/store/store.ts';
import { openTestStore, reopenStore, sampleIncident, writeSourceFile } from './store-helpers.ts';

const hotspot: Finding = {
  kind: 'cpu-hotspot',
  title: 'main.hash 63% of CPU',
  severity: 'high',
  location: { func: 'main.hash', file: '/src/checkout/hash.go', line: 12 },
  metrics: { flatPct: 63.2 },
  artifactIds: [],
};

/** An incident in `analyze` with a started analyze step, committed and reopened. */
async function incidentInAnalyze(): Promise<{ store: Store; incidentId: string; stepRunId: number }> {
  const store = openTestStore();
  const { id } = await store.createIncident(sampleIncident(), { value: 'alert' }, 'alert');
  await store.commitTransition({ incidentId: id, snapshot: { value: 'analyze' }, state: 'analyze' });
  const run = await store.startStep(id, 'analyze');
  return { store, incidentId: id, stepRunId: run.id };
}

/** What a user sees of an incident after `gotriage resume`: everything the store reports. */
async function visibleState(store: Store, incidentId: string) {
  const { updatedAt, ...incident } = (await store.getIncident(incidentId))!;
  return {
    incident,
    snapshot: await store.latestSnapshot(incidentId),
    steps: await store.stepRuns(incidentId),
    findings: await store.findings(incidentId),
    hypotheses: await store.hypotheses(incidentId),
    fixes: await store.fixes(incidentId),
    timeline: await store.timeline(incidentId),
  };
}

describe('commitTransition is all or nothing', () => {
  function transitionWith(incidentId: string, stepRunId: number, findings: Finding[]): Transition {
    return {
      incidentId,
      snapshot: { value: 'hypothesize' },
      state: 'hypothesize',
      status: 'active',
      stepRun: { id: stepRunId, status: 'finished' },
      findings,
      hypotheses: [{ key: 'hot:main.hash', statement: 'hash is hot', check: {}, verdict: 'pending', evidence: '' }],
      fix: { summary: 'cache hashes', commit: null, diffArtifactId: null, verified: null },
      events: [{ at: new Date().toISOString(), step: 'analyze', kind: 'note', text: 'analyze finished' }],
    };
  }

  it('writes nothing when a finding violates a constraint after other rows were written', async () => {
    const { incidentId, stepRunId, store: first } = await incidentInAnalyze();
    let store = first;
    const before = await visibleState(store, incidentId);
    const bad = { ...hotspot, severity: 'urgent' as Severity }; // fails CHECK (severity IN …)
    await expect(store.commitTransition(transitionWith(incidentId, stepRunId, [hotspot, bad]))).rejects.toThrow(StoreError);

    store = await reopenStore(store);
    expect(await visibleState(store, incidentId)).toEqual(before);
    expect(await store.latestSnapshot(incidentId)).toEqual({ value: 'analyze' });
    expect((await store.getIncident(incidentId))?.state).toBe('analyze');
    expect((await store.stepRuns(incidentId))[0]?.status).toBe('started');
    expect(await store.findings(incidentId)).toEqual([]);

    // The same transition without the bad finding then commits whole.
    await store.commitTransition(transitionWith(incidentId, stepRunId, [hotspot]));
    const after = await visibleState(await reopenStore(store), incidentId);
    expect(after.incident.state).toBe('hypothesize');
    expect(after.steps[0]?.status).toBe('finished');
    expect(after.findings).toHaveLength(1);
    expect(after.hypotheses).toHaveLength(1);
    expect(after.fixes).toHaveLength(1);
  });

  it('writes nothing when a finding points at evidence of another incident', async () => {
    const { store, incidentId, stepRunId } = await incidentInAnalyze();
    const other = await store.createIncident(sampleIncident({ title: 'other' }), {}, 'alert');
    const foreign = await store.addArtifact(other.id, {
      stepRunId: null,
      actionId: 'x',
      sourcePath: writeSourceFile('other evidence'),
      mediaType: 'text/plain',
      label: 'x',
    });
    const before = await visibleState(store, incidentId);
    await expect(
      store.commitTransition(transitionWith(incidentId, stepRunId, [{ ...hotspot, artifactIds: [foreign.id] }])),
    ).rejects.toThrow(/artifact \d+ is not evidence of incident/);
    expect(await visibleState(await reopenStore(store), incidentId)).toEqual(before);
  });

  it('refuses to end a step run twice, so a finished step is never rewritten', async () => {
    const { store, incidentId, stepRunId } = await incidentInAnalyze();
    await store.commitTransition({ incidentId, snapshot: { n: 1 }, state: 'hypothesize', stepRun: { id: stepRunId, status: 'finished' } });
    await expect(
      store.commitTransition({
        incidentId,
        snapshot: { n: 2 },
        state: 'analyze',
        stepRun: { id: stepRunId, status: 'failed', reason: 'late' },
      }),
    ).rejects.toThrow(/already ended as finished/);
    expect(await store.latestSnapshot(incidentId)).toEqual({ n: 1 });
    expect((await store.stepRuns(incidentId))[0]).toMatchObject({ status: 'finished', reason: null });
  });

  it('refuses findings without the step run that produced them', async () => {
    const { store, incidentId } = await incidentInAnalyze();
    await expect(store.commitTransition({ incidentId, snapshot: {}, state: 'hypothesize', findings: [hotspot] })).rejects.toThrow(
      StoreError,
    );
    expect(await store.findings(incidentId)).toEqual([]);
  });

  it('records the final status and reason of a failed or skipped step', async () => {
    const { incidentId, stepRunId, store: first } = await incidentInAnalyze();
    let store = first;
    await store.commitTransition({
      incidentId,
      snapshot: {},
      state: 'analyze',
      status: 'failed',
      stepRun: { id: stepRunId, status: 'failed', reason: 'go tool pprof exited 1' },
    });
    store = await reopenStore(store);
    expect((await store.getIncident(incidentId))?.status).toBe('failed');
    const [run] = await store.stepRuns(incidentId);
    expect(run).toMatchObject({ status: 'failed', reason: 'go tool pprof exited 1' });
    expect(Date.parse(run!.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(run!.startedAt));
  });
});
