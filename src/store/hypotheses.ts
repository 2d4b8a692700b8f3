/**
 * Hypotheses, upserted by key, and the history of every time their check ran.
 */
import type Database from 'better-sqlite3';
import type { Hypothesis, Verdict } from '../core/model.js';
import { parseJson, redactText, redactedJson, statement } from './sql.js';
import type { HypothesisCheck, StoredHypothesis } from './store.js';

interface HypothesisRow {
  id: number;
  key: string;
  statement: string;
  check_json: string;
  verdict: Verdict;
  evidence: string;
}

interface CheckRow {
  hypothesis_id: number;
  step_run_id: number;
  verdict: Verdict;
  evidence: string;
  at: string;
}

/** Inserts or updates the hypothesis with this key, and appends its check to the history. */
export function upsertHypothesis(db: Database.Database, incidentId: string, stepRunId: number, hypothesis: Hypothesis, now: string): void {
  const statementText = redactText(hypothesis.statement);
  const evidence = redactText(hypothesis.evidence);
  const id = statement(
    db,
    `INSERT INTO hypotheses (incident_id, key, statement, check_json, verdict, evidence, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (incident_id, key) DO UPDATE SET statement = excluded.statement, check_json = excluded.check_json,
       verdict = excluded.verdict, evidence = excluded.evidence, updated_at = excluded.updated_at
     RETURNING id`,
  )
    .pluck()
    .get(incidentId, hypothesis.key, statementText, redactedJson(hypothesis.check), hypothesis.verdict, evidence, now, now) as number;
  statement(db, 'INSERT INTO hypothesis_checks (hypothesis_id, step_run_id, verdict, evidence, at) VALUES (?, ?, ?, ?, ?)').run(
    id,
    stepRunId,
    hypothesis.verdict,
    evidence,
    now,
  );
}

/** The incident's hypotheses in the order they were first stated, each with its check history. */
export function selectHypotheses(db: Database.Database, incidentId: string): StoredHypothesis[] {
  const rows = statement(db, 'SELECT * FROM hypotheses WHERE incident_id = ? ORDER BY id').all(incidentId) as HypothesisRow[];
  const checks = statement(
    db,
    `SELECT c.* FROM hypothesis_checks c JOIN hypotheses h ON h.id = c.hypothesis_id
     WHERE h.incident_id = ? ORDER BY c.id`,
  ).all(incidentId) as CheckRow[];
  return rows.map((row) => ({
    id: row.id,
    key: row.key,
    statement: row.statement,
    check: parseJson<unknown>(row.check_json),
    verdict: row.verdict,
    evidence: row.evidence,
    checks: checks.filter((c) => c.hypothesis_id === row.id).map(toCheck),
  }));
}

function toCheck(row: CheckRow): HypothesisCheck {
  return { stepRunId: row.step_run_id, verdict: row.verdict, evidence: row.evidence, at: row.at };
}
