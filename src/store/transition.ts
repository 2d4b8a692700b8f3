/**
 * commitTransition: everything a machine transition produced, in ONE transaction.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import { insertFinding } from './findings.js';
import { insertFix } from './fixes.js';
import { upsertHypothesis } from './hypotheses.js';
import { requireIncident, updateIncidentState } from './incidents.js';
import { insertSnapshot } from './snapshots.js';
import { finishStepRun } from './steps.js';
import { insertEvent } from './timeline.js';
import type { Transition } from './store.js';

/**
 * Writes the snapshot, the incident's state and status, the ended step run, its findings,
 * hypotheses (+ one check each), fix and events — all or nothing. better-sqlite3 runs the
 * function synchronously inside BEGIN IMMEDIATE … COMMIT and rolls back on any throw;
 * IMMEDIATE takes the write lock up front so a concurrent writer waits (busy_timeout)
 * instead of failing the upgrade from a read lock with SQLITE_BUSY.
 */
export function writeTransition(db: Database.Database, transition: Transition, now: string): void {
  db.transaction(() => {
    const { incidentId } = transition;
    requireIncident(db, incidentId);
    const stepRunId = transition.stepRun?.id;
    const needsStepRun = (transition.findings?.length ?? 0) > 0 || (transition.hypotheses?.length ?? 0) > 0 || transition.fix !== undefined;
    if (needsStepRun && stepRunId === undefined) {
      throw new StoreError('a transition with findings, hypotheses or a fix must name the step run that produced them');
    }

    insertSnapshot(db, incidentId, transition.state, transition.snapshot, now);
    updateIncidentState(db, incidentId, transition.state, transition.status, now);
    if (transition.stepRun) {
      const { id, status, reason } = transition.stepRun;
      finishStepRun(db, incidentId, id, status, reason ?? null, now);
    }
    for (const finding of transition.findings ?? []) insertFinding(db, incidentId, stepRunId!, finding, now);
    for (const hypothesis of transition.hypotheses ?? []) upsertHypothesis(db, incidentId, stepRunId!, hypothesis, now);
    if (transition.fix) insertFix(db, incidentId, stepRunId!, transition.fix, now);
    for (const event of transition.events ?? []) insertEvent(db, incidentId, event);
  }).immediate();
}
