/**
 * Machine snapshots. Every one is kept (with a per-incident sequence number), so a
 * bad transition can be inspected afterwards; resume reads the newest.
 */
import type Database from 'better-sqlite3';
import { parseJson, redactedJson, statement } from './sql.js';

/** Appends a snapshot with the next sequence number for the incident. */
export function insertSnapshot(db: Database.Database, incidentId: string, state: string, snapshot: unknown, now: string): number {
  const next = statement(db, 'SELECT coalesce(max(seq), 0) + 1 FROM snapshots WHERE incident_id = ?').pluck().get(incidentId) as number;
  statement(db, 'INSERT INTO snapshots (incident_id, seq, state, snapshot_json, created_at) VALUES (?, ?, ?, ?, ?)').run(
    incidentId,
    next,
    state,
    redactedJson(snapshot),
    now,
  );
  return next;
}

/** The newest snapshot of the incident, or undefined when it has none. */
export function selectLatestSnapshot(db: Database.Database, incidentId: string): unknown {
  const json = statement(db, 'SELECT snapshot_json FROM snapshots WHERE incident_id = ? ORDER BY seq DESC LIMIT 1')
    .pluck()
    .get(incidentId) as string | undefined;
  return json === undefined ? undefined : parseJson<unknown>(json);
}
