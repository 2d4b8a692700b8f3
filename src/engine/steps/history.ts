/** Queries over an incident's step history that several steps share. */
import type { StepId } from '../../core/model.js';
import type { Store, StepRun, StoredFinding } from '../../store/store.js';

/** The newest run of `step` that finished (not skipped, failed or interrupted). */
export function latestFinishedRun(store: Store, incidentId: string, step: StepId): StepRun | undefined {
  return store
    .stepRuns(incidentId)
    .filter((r) => r.step === step && r.status === 'finished')
    .at(-1);
}

/** Findings of the newest finished analyze run: what hypotheses are checked against. */
export function currentFindings(store: Store, incidentId: string): StoredFinding[] {
  const analyze = latestFinishedRun(store, incidentId, 'analyze');
  return analyze ? store.findings(incidentId).filter((f) => f.stepRunId === analyze.id) : [];
}
