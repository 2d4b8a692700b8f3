/**
 * Step runs: one row each time a step starts, numbered per step (attempt 1, 2 …),
 * so back-edges and resumes keep the history of every run.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import type { StepId, StepStatus } from '../core/model.js';
import { redactNullable, statement } from './sql.js';
import type { StepRun } from './store.js';

interface StepRunRow {
  id: number;
  incident_id: string;
  step: StepId;
  attempt: number;
  status: StepStatus;
  reason: string | null;
  started_at: string;
  finished_at: string | null;
}

/** Inserts a `started` run of `step` with the next attempt number. */
export function insertStartedStep(db: Database.Database, incidentId: string, step: StepId, now: string): StepRun {
  const attempt = statement(db, 'SELECT coalesce(max(attempt), 0) + 1 FROM step_runs WHERE incident_id = ? AND step = ?')
    .pluck()
    .get(incidentId, step) as number;
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO step_runs (incident_id, step, attempt, status, started_at) VALUES (?, ?, ?, 'started', ?)`,
  ).run(incidentId, step, attempt, now);
  return requireStepRun(db, incidentId, Number(lastInsertRowid));
}

/** The step run with this id; StoreError unless it belongs to `incidentId`. */
export function requireStepRun(db: Database.Database, incidentId: string, id: number): StepRun {
  const row = statement(db, 'SELECT * FROM step_runs WHERE id = ?').get(id) as StepRunRow | undefined;
  if (!row || row.incident_id !== incidentId) {
    throw new StoreError(`step run ${id} does not belong to incident ${incidentId}`);
  }
  return toStepRun(row);
}

/** Ends a `started` step run with its final status. Refuses to rewrite a run that already ended. */
export function finishStepRun(
  db: Database.Database,
  incidentId: string,
  id: number,
  status: Exclude<StepStatus, 'started'>,
  reason: string | null,
  now: string,
): StepRun {
  const run = requireStepRun(db, incidentId, id);
  if (run.status !== 'started') {
    throw new StoreError(
      `step run ${id} (${run.step}, attempt ${run.attempt}) already ended as ${run.status}`,
      'Start a new attempt with startStep() instead of ending an old one twice.',
    );
  }
  statement(db, 'UPDATE step_runs SET status = ?, reason = ?, finished_at = ? WHERE id = ?').run(status, redactNullable(reason), now, id);
  return { ...run, status, reason: redactNullable(reason), finishedAt: now };
}

/** Marks every `started` run of the incident `interrupted` and returns them as they are now. */
export function interruptStartedSteps(db: Database.Database, incidentId: string, reason: string): StepRun[] {
  const started = statement(db, `SELECT * FROM step_runs WHERE incident_id = ? AND status = 'started' ORDER BY id`).all(
    incidentId,
  ) as StepRunRow[];
  // finished_at stays null: the step never finished, and the report must not invent an end time.
  const mark = statement(db, `UPDATE step_runs SET status = 'interrupted', reason = ? WHERE id = ?`);
  return started.map((row) => {
    mark.run(reason, row.id);
    return { ...toStepRun(row), status: 'interrupted' as const, reason };
  });
}

/** Every step run of the incident in the order they started. */
export function selectStepRuns(db: Database.Database, incidentId: string): StepRun[] {
  const rows = statement(db, 'SELECT * FROM step_runs WHERE incident_id = ? ORDER BY id').all(incidentId) as StepRunRow[];
  return rows.map(toStepRun);
}

function toStepRun(row: StepRunRow): StepRun {
  return {
    id: row.id,
    incidentId: row.incident_id,
    step: row.step,
    attempt: row.attempt,
    status: row.status,
    reason: row.reason,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
