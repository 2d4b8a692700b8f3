/** Queries over an incident's step history that several steps share. */
import type { StepId } from '../../core/model.js';
import type { Store, StepRun, StoredFinding } from '../../store/store.js';

/** The newest run of `step` that finished (not skipped, failed or interrupted). */
export async function latestFinishedRun(store: Store, incidentId: string, step: StepId): Promise<StepRun | undefined> {
  return (await store.stepRuns(incidentId)).filter((r) => r.step === step && r.status === 'finished').at(-1);
}

/** Findings of the newest finished analyze run: what hypotheses are checked against. */
export async function currentFindings(store: Store, incidentId: string): Promise<StoredFinding[]> {
  const analyze = await latestFinishedRun(store, incidentId, 'analyze');
  return analyze ? (await store.findings(incidentId)).filter((f) => f.stepRunId === analyze.id) : [];
}
