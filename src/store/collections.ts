/**
 * Collection records: how each action did on each target (or once, for an action that does
 * not collect per target), written by the action as it finishes.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import { assertArtifactsOfIncident } from './evidence.js';
import { parseJson, redactNullable, statement } from './sql.js';
import type { CollectionRecord, CollectionStatus, NewCollection } from './store.js';

interface CollectionRow {
  id: number;
  step_run_id: number;
  action_id: string;
  target: string | null;
  status: CollectionStatus;
  reason: string | null;
  artifact_ids_json: string;
  started_at: string;
  finished_at: string;
  bytes: number;
}

/** The size of a record's artifacts, summed from the artifact rows (never stored twice). */
const SELECT = `SELECT c.*, (SELECT coalesce(sum(a.size), 0) FROM json_each(c.artifact_ids_json) j JOIN artifacts a ON a.id = j.value) AS bytes
  FROM collections c`;

/** Inserts a record of a step run; its artifacts must be evidence of the same incident. */
export function insertCollection(db: Database.Database, incidentId: string, collection: NewCollection): CollectionRecord {
  assertArtifactsOfIncident(db, incidentId, collection.artifactIds);
  if (collection.actionId.trim() === '') throw new StoreError('a collection record must name its action');
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO collections (incident_id, step_run_id, action_id, target, status, reason, artifact_ids_json, started_at, finished_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    incidentId,
    collection.stepRunId,
    collection.actionId,
    redactNullable(collection.target),
    collection.status,
    redactNullable(collection.reason),
    JSON.stringify(collection.artifactIds),
    collection.startedAt,
    collection.finishedAt,
  );
  return toCollection(statement(db, `${SELECT} WHERE c.id = ?`).get(Number(lastInsertRowid)) as CollectionRow);
}

/** The incident's records in the order they were written. */
export function selectCollections(db: Database.Database, incidentId: string): CollectionRecord[] {
  const rows = statement(db, `${SELECT} WHERE c.incident_id = ? ORDER BY c.id`).all(incidentId) as CollectionRow[];
  return rows.map(toCollection);
}

function toCollection(row: CollectionRow): CollectionRecord {
  return {
    id: row.id,
    stepRunId: row.step_run_id,
    actionId: row.action_id,
    target: row.target,
    status: row.status,
    reason: row.reason,
    artifactIds: parseJson<number[]>(row.artifact_ids_json),
    bytes: row.bytes,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
