/**
 * Evidence rows: artifacts (files kept by sha256) and the tool runs that produced them.
 */
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { StoreError } from '../core/errors.js';
import { redactArgv } from '../core/redact.js';
import { artifactAttributesSchema, type ArtifactAttributes } from './artifact-attributes.js';
import { parseJson, redactedJson, redactText, statement } from './sql.js';
import type { StoredContent } from './artifact-files.js';
import type { NewArtifact, NewToolRun, StoredArtifact, ToolRunRecord } from './store.js';

interface ArtifactRow {
  id: number;
  incident_id: string;
  step_run_id: number | null;
  action_id: string;
  sha256: string;
  size: number;
  media_type: string;
  label: string;
  rel_path: string;
  attributes_json: string;
  created_at: string;
}

interface ToolRunRow {
  id: number;
  step_run_id: number;
  action_id: string;
  argv_json: string;
  exit_code: number | null;
  signal: string | null;
  timed_out: number;
  duration_ms: number;
  stdout_artifact_id: number | null;
  stderr_artifact_id: number | null;
  started_at: string;
}

/** The attributes as the column keeps them: validated (a wrong or unknown attribute is a bug), every string redacted. */
export function attributesJson(attributes: ArtifactAttributes | undefined, what: string): string {
  const parsed = artifactAttributesSchema.safeParse(attributes ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StoreError(`${what} has invalid attributes: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return redactedJson(parsed.data);
}

/** Inserts the row of an artifact whose content is already in the store; `attributes` as attributesJson() wrote them. */
export function insertArtifactRow(
  db: Database.Database,
  artifactDir: string,
  incidentId: string,
  artifact: NewArtifact,
  content: StoredContent,
  attributes: string,
  now: string,
): StoredArtifact {
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO artifacts (incident_id, step_run_id, action_id, sha256, size, media_type, label, rel_path, attributes_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    incidentId,
    artifact.stepRunId,
    artifact.actionId,
    content.sha256,
    content.size,
    artifact.mediaType,
    redactText(artifact.label),
    content.relPath,
    attributes,
    now,
  );
  return selectArtifact(db, artifactDir, Number(lastInsertRowid))!;
}

/** Whether any artifact row points at this content (so its file must stay). */
export function isContentReferenced(db: Database.Database, sha256: string): boolean {
  return statement(db, 'SELECT 1 FROM artifacts WHERE sha256 = ? LIMIT 1').get(sha256) !== undefined;
}

/** One artifact by id, with the absolute path of its file. */
export function selectArtifact(db: Database.Database, artifactDir: string, id: number): StoredArtifact | undefined {
  const row = statement(db, 'SELECT * FROM artifacts WHERE id = ?').get(id) as ArtifactRow | undefined;
  return row && toArtifact(row, artifactDir);
}

/** The incident's artifacts in the order they were stored. */
export function selectArtifacts(db: Database.Database, artifactDir: string, incidentId: string): StoredArtifact[] {
  const rows = statement(db, 'SELECT * FROM artifacts WHERE incident_id = ? ORDER BY id').all(incidentId) as ArtifactRow[];
  return rows.map((row) => toArtifact(row, artifactDir));
}

/** StoreError unless every id names an artifact of this incident (a finding must point at real evidence). */
export function assertArtifactsOfIncident(db: Database.Database, incidentId: string, ids: readonly number[]): void {
  const check = statement(db, 'SELECT incident_id FROM artifacts WHERE id = ?').pluck();
  for (const id of ids) {
    const owner = check.get(id) as string | undefined;
    if (owner !== incidentId) throw new StoreError(`artifact ${id} is not evidence of incident ${incidentId}`);
  }
}

/** Inserts a tool run (argv is redacted again here: the store is the last line before disk). */
export function insertToolRun(db: Database.Database, incidentId: string, run: NewToolRun): ToolRunRecord {
  const ids = [run.stdoutArtifactId, run.stderrArtifactId].filter((id): id is number => id !== null);
  assertArtifactsOfIncident(db, incidentId, ids);
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO tool_runs (incident_id, step_run_id, action_id, argv_json, exit_code, signal, timed_out, duration_ms,
       stdout_artifact_id, stderr_artifact_id, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    incidentId,
    run.stepRunId,
    run.actionId,
    JSON.stringify(redactArgv(run.argv)),
    run.exitCode,
    run.signal,
    run.timedOut ? 1 : 0,
    Math.round(run.durationMs),
    run.stdoutArtifactId,
    run.stderrArtifactId,
    run.startedAt,
  );
  const row = statement(db, 'SELECT * FROM tool_runs WHERE id = ?').get(Number(lastInsertRowid)) as ToolRunRow;
  return toToolRun(row);
}

/** The incident's tool runs in the order they were recorded. */
export function selectToolRuns(db: Database.Database, incidentId: string): ToolRunRecord[] {
  const rows = statement(db, 'SELECT * FROM tool_runs WHERE incident_id = ? ORDER BY id').all(incidentId) as ToolRunRow[];
  return rows.map(toToolRun);
}

function toArtifact(row: ArtifactRow, artifactDir: string): StoredArtifact {
  return {
    id: row.id,
    sha256: row.sha256,
    size: row.size,
    mediaType: row.media_type,
    // Stored relative so the database and its artifacts can be moved together.
    path: join(artifactDir, row.rel_path),
    label: row.label,
    stepRunId: row.step_run_id,
    actionId: row.action_id,
    attributes: readAttributes(row),
    createdAt: row.created_at,
  };
}

function readAttributes(row: ArtifactRow): ArtifactAttributes {
  const parsed = artifactAttributesSchema.safeParse(parseJson<unknown>(row.attributes_json));
  if (parsed.success) return parsed.data;
  throw new StoreError(
    `artifact ${row.id} has unreadable attributes (${parsed.error.issues[0]?.message ?? 'invalid'})`,
    'The database was changed outside gotriage; keep a copy and check attributes_json of that row.',
  );
}

function toToolRun(row: ToolRunRow): ToolRunRecord {
  return {
    id: row.id,
    stepRunId: row.step_run_id,
    actionId: row.action_id,
    argv: parseJson<string[]>(row.argv_json),
    exitCode: row.exit_code,
    signal: row.signal,
    timedOut: row.timed_out === 1,
    durationMs: row.duration_ms,
    stdoutArtifactId: row.stdout_artifact_id,
    stderrArtifactId: row.stderr_artifact_id,
    startedAt: row.started_at,
  };
}
