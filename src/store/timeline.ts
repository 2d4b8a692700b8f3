/**
 * The timeline: what happened when, for the postmortem. Each event's payload is stored as
 * JSON (timeline-event.ts); the `message` column holds its rendering, for people reading the
 * database directly, and is read back only for events an older gotriage wrote.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import type { StepId } from '../core/model.js';
import { parseJson, redactedJson, statement } from './sql.js';
import { eventMessage, timelinePayloadSchema, type TimelineEvent, type TimelinePayload } from './timeline-event.js';

interface EventRow {
  at: string;
  step: StepId | null;
  kind: string;
  message: string;
  payload_json: string;
}

/** Appends an event to the incident's timeline; every string of its payload is redacted. */
export function insertEvent(db: Database.Database, incidentId: string, event: TimelineEvent): void {
  const { at, step, ...payload } = event;
  const parsed = timelinePayloadSchema.safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new StoreError(`a '${payload.kind}' event has an invalid payload: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const json = redactedJson(parsed.data);
  const redacted = parseJson<TimelinePayload>(json);
  statement(db, 'INSERT INTO events (incident_id, at, step, kind, message, payload_json) VALUES (?, ?, ?, ?, ?, ?)').run(
    incidentId,
    normalizeTime(at),
    step,
    redacted.kind,
    eventMessage({ ...redacted, at, step }),
    json,
  );
}

/** The incident's events by time; events with the same time keep the order they were added in. */
export function selectTimeline(db: Database.Database, incidentId: string): TimelineEvent[] {
  const rows = statement(db, 'SELECT at, step, kind, message, payload_json FROM events WHERE incident_id = ? ORDER BY at, id').all(
    incidentId,
  ) as EventRow[];
  return rows.map((row) => ({ ...payloadOf(row), at: row.at, step: row.step }));
}

/**
 * The row's payload. One that does not parse (a row changed by hand) is shown as what it
 * was written as, a `legacy` event with its kind and message, so one bad row never hides
 * the rest of the timeline.
 */
function payloadOf(row: EventRow): TimelinePayload {
  const parsed = timelinePayloadSchema.safeParse(parseJsonOrNull(row.payload_json));
  return parsed.success ? parsed.data : { kind: 'legacy', was: row.kind, message: row.message };
}

function parseJsonOrNull(json: string): unknown {
  try {
    return JSON.parse(json);
  } catch {
    return null;
  }
}

/**
 * The same instant as `toISOString()` prints it, so text order is time order
 * ("10:00:00Z" would sort after "10:00:00.500Z"). Unparseable text is kept as given.
 */
function normalizeTime(at: string): string {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? at : new Date(ms).toISOString();
}
