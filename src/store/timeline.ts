/**
 * The timeline: what happened when, for the postmortem.
 */
import type Database from 'better-sqlite3';
import type { StepId } from '../core/model.js';
import { redactText, statement } from './sql.js';
import type { TimelineEvent } from './store.js';

interface EventRow {
  at: string;
  step: StepId | null;
  kind: string;
  message: string;
}

/** Appends an event to the incident's timeline. */
export function insertEvent(db: Database.Database, incidentId: string, event: TimelineEvent): void {
  statement(db, 'INSERT INTO events (incident_id, at, step, kind, message) VALUES (?, ?, ?, ?, ?)').run(
    incidentId,
    normalizeTime(event.at),
    event.step,
    event.kind,
    redactText(event.message),
  );
}

/** The incident's events by time; events with the same time keep the order they were added in. */
export function selectTimeline(db: Database.Database, incidentId: string): TimelineEvent[] {
  const rows = statement(db, 'SELECT at, step, kind, message FROM events WHERE incident_id = ? ORDER BY at, id').all(
    incidentId,
  ) as EventRow[];
  return rows.map((row) => ({ at: row.at, step: row.step, kind: row.kind, message: row.message }));
}

/**
 * The same instant as `toISOString()` prints it, so text order is time order
 * ("10:00:00Z" would sort after "10:00:00.500Z"). Unparseable text is kept as given.
 */
function normalizeTime(at: string): string {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : new Date(ms).toISOString();
}
