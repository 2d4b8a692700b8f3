/**
 * The incidents table: one row per triage session.
 */
import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import type { Severity } from '../core/model.js';
import { parseJson, redactText, redactedJson, statement } from './sql.js';
import type { Incident, IncidentStatus, NewIncident } from './store.js';

interface IncidentRow {
  id: string;
  title: string;
  severity: Severity;
  service: string;
  playbook_name: string;
  playbook_path: string;
  params_json: string;
  alert_json: string;
  state: string;
  status: IncidentStatus;
  created_at: string;
  updated_at: string;
}

/** `inc-` + 8 random lower-case hex digits: short enough to type after `gotriage resume`. */
export function newIncidentId(): string {
  return `inc-${randomBytes(4).toString('hex')}`;
}

/** Inserts a new incident with a fresh id (retrying the rare collision) and returns it. */
export function insertIncident(db: Database.Database, input: NewIncident, state: string, now: string): Incident {
  let id = newIncidentId();
  while (statement(db, 'SELECT 1 FROM incidents WHERE id = ?').get(id)) id = newIncidentId();
  statement(
    db,
    `INSERT INTO incidents (id, title, severity, service, playbook_name, playbook_path, params_json, alert_json,
       state, status, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)`,
  ).run(
    id,
    redactText(input.title),
    input.severity,
    input.service,
    input.playbookName,
    input.playbookPath,
    redactedJson(input.params),
    redactedJson(input.alert),
    state,
    now,
    now,
  );
  return requireIncident(db, id);
}

/** The incident with this id, or undefined. */
export function selectIncident(db: Database.Database, id: string): Incident | undefined {
  const row = statement(db, 'SELECT * FROM incidents WHERE id = ?').get(id) as IncidentRow | undefined;
  return row && toIncident(row);
}

/** The incident with this id; StoreError naming the id when there is none. */
export function requireIncident(db: Database.Database, id: string): Incident {
  const incident = selectIncident(db, id);
  if (!incident) {
    throw new StoreError(`no incident ${JSON.stringify(id)} in this database`, 'List the known ones with `gotriage list`.');
  }
  return incident;
}

/** Every incident, newest first. */
export function selectIncidents(db: Database.Database): Incident[] {
  const rows = statement(db, 'SELECT * FROM incidents ORDER BY created_at DESC, rowid DESC').all() as IncidentRow[];
  return rows.map(toIncident);
}

/** Moves an incident to a new machine state (and status, when given). */
export function updateIncidentState(
  db: Database.Database,
  id: string,
  state: string,
  status: IncidentStatus | undefined,
  now: string,
): void {
  statement(db, 'UPDATE incidents SET state = ?, status = coalesce(?, status), updated_at = ? WHERE id = ?').run(
    state,
    status ?? null,
    now,
    id,
  );
}

/** Marks the incident as changed now (new evidence, a step started). */
export function touchIncident(db: Database.Database, id: string, now: string): void {
  statement(db, 'UPDATE incidents SET updated_at = ? WHERE id = ?').run(now, id);
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    title: row.title,
    severity: row.severity,
    service: row.service,
    playbookName: row.playbook_name,
    playbookPath: row.playbook_path,
    params: parseJson<Record<string, string>>(row.params_json),
    alert: parseJson<unknown>(row.alert_json),
    state: row.state,
    status: row.status,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
