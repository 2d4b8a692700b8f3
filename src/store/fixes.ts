/**
 * Fixes recorded in the fix step: the change, its commit or diff, whether it was verified.
 */
import type Database from 'better-sqlite3';
import { assertArtifactsOfIncident } from './evidence.js';
import { redactText, statement } from './sql.js';
import type { FixRecord } from './store.js';

interface FixRow {
  id: number;
  step_run_id: number;
  summary: string;
  commit_sha: string | null;
  diff_artifact_id: number | null;
  verified: number | null;
  at: string;
}

/** Inserts a fix made in a step run. */
export function insertFix(
  db: Database.Database,
  incidentId: string,
  stepRunId: number,
  fix: Omit<FixRecord, 'id' | 'stepRunId' | 'at'>,
  now: string,
): void {
  if (fix.diffArtifactId !== null) assertArtifactsOfIncident(db, incidentId, [fix.diffArtifactId]);
  statement(
    db,
    `INSERT INTO fixes (incident_id, step_run_id, summary, commit_sha, diff_artifact_id, verified, at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    incidentId,
    stepRunId,
    redactText(fix.summary),
    fix.commit,
    fix.diffArtifactId,
    fix.verified === null ? null : fix.verified ? 1 : 0,
    now,
  );
}

/** The incident's fixes in the order they were recorded. */
export function selectFixes(db: Database.Database, incidentId: string): FixRecord[] {
  const rows = statement(db, 'SELECT * FROM fixes WHERE incident_id = ? ORDER BY id').all(incidentId) as FixRow[];
  return rows.map((row) => ({
    id: row.id,
    stepRunId: row.step_run_id,
    summary: row.summary,
    commit: row.commit_sha,
    diffArtifactId: row.diff_artifact_id,
    verified: row.verified === null ? null : row.verified === 1,
    at: row.at,
  }));
}
