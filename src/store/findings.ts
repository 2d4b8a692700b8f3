/**
 * Findings: what the parsers concluded, each pointing at the artifacts it came from.
 */
import type Database from 'better-sqlite3';
import type { Finding, FindingKind, Severity } from '../core/model.js';
import { assertArtifactsOfIncident } from './evidence.js';
import { parseJson, redactNullable, redactText, statement } from './sql.js';
import type { StoredFinding } from './store.js';

interface FindingRow {
  id: number;
  step_run_id: number;
  kind: FindingKind;
  title: string;
  severity: Severity;
  func: string | null;
  file: string | null;
  line: number | null;
  metrics_json: string;
  detail: string | null;
  artifact_ids_json: string;
  created_at: string;
}

/** Inserts a finding of a step run; its artifact ids must be evidence of the same incident. */
export function insertFinding(db: Database.Database, incidentId: string, stepRunId: number, finding: Finding, now: string): void {
  assertArtifactsOfIncident(db, incidentId, finding.artifactIds);
  statement(
    db,
    `INSERT INTO findings (incident_id, step_run_id, kind, title, severity, func, file, line, metrics_json, detail,
       artifact_ids_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    incidentId,
    stepRunId,
    finding.kind,
    redactText(finding.title),
    finding.severity,
    finding.location?.func ?? null,
    finding.location?.file ?? null,
    finding.location?.line ?? null,
    JSON.stringify(finding.metrics),
    redactNullable(finding.detail),
    JSON.stringify(finding.artifactIds),
    now,
  );
}

/** The incident's findings in the order they were recorded. */
export function selectFindings(db: Database.Database, incidentId: string): StoredFinding[] {
  const rows = statement(db, 'SELECT * FROM findings WHERE incident_id = ? ORDER BY id').all(incidentId) as FindingRow[];
  return rows.map(toFinding);
}

function toFinding(row: FindingRow): StoredFinding {
  const finding: StoredFinding = {
    id: row.id,
    stepRunId: row.step_run_id,
    createdAt: row.created_at,
    kind: row.kind,
    title: row.title,
    severity: row.severity,
    metrics: parseJson<Record<string, number>>(row.metrics_json),
    artifactIds: parseJson<number[]>(row.artifact_ids_json),
  };
  if (row.func !== null) {
    finding.location = { func: row.func };
    if (row.file !== null) finding.location.file = row.file;
    if (row.line !== null) finding.location.line = row.line;
  }
  if (row.detail !== null) finding.detail = row.detail;
  return finding;
}
