/**
 * Answers given at prompts, so a resumed session does not ask again.
 */
import type Database from 'better-sqlite3';
import { parseJson, redactedJson, statement } from './sql.js';

/** Saves (or replaces) the answer stored under `key`. */
export function upsertAnswer(db: Database.Database, incidentId: string, key: string, value: string | boolean, now: string): void {
  statement(
    db,
    `INSERT INTO answers (incident_id, key, value_json, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (incident_id, key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at`,
  ).run(incidentId, key, redactedJson(value), now);
}

/** Every answer of the incident by key; booleans stay booleans. */
export function selectAnswers(db: Database.Database, incidentId: string): Record<string, string | boolean> {
  const rows = statement(db, 'SELECT key, value_json FROM answers WHERE incident_id = ? ORDER BY key').all(incidentId) as Array<{
    key: string;
    value_json: string;
  }>;
  return Object.fromEntries(rows.map((row) => [row.key, parseJson<string | boolean>(row.value_json)]));
}
