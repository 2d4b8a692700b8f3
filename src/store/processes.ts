/**
 * The processes table: every tool (and, later, debugger) a session starts, recorded before
 * it is spawned and marked ended once nothing of it runs. A row still open after its
 * session died names a process that may still be running.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import { redactArgv } from '../core/redact.js';
import { parseJson, redactNullable, redactText, statement } from './sql.js';
import type {
  NewProcessRecord,
  ProcessEndReason,
  ProcessEndRecord,
  ProcessKind,
  ProcessRecord,
  ProcessSpawnRecord,
} from './session-records.js';

interface ProcessRow {
  id: number;
  incident_id: string;
  step_run_id: number | null;
  holder_id: string | null;
  kind: ProcessKind;
  name: string;
  argv_json: string;
  tag: string;
  host: string;
  endpoint: string | null;
  pid: number | null;
  pgid: number | null;
  start_id: string | null;
  started_at: string;
  ended_at: string | null;
  end_reason: ProcessEndReason | null;
  exit_code: number | null;
  signal: string | null;
}

export function insertProcess(db: Database.Database, incidentId: string, record: NewProcessRecord, now: string): ProcessRecord {
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO processes (incident_id, step_run_id, holder_id, kind, name, argv_json, tag, host, endpoint, started_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    incidentId,
    record.stepRunId,
    record.holderId,
    record.kind,
    redactText(record.name),
    JSON.stringify(redactArgv([...record.argv])),
    record.tag,
    record.host,
    redactNullable(record.endpoint),
    now,
  );
  return requireProcess(db, Number(lastInsertRowid));
}

export function updateProcessSpawn(db: Database.Database, id: number, spawn: ProcessSpawnRecord): void {
  requireProcess(db, id);
  statement(db, 'UPDATE processes SET pid = ?, pgid = ?, start_id = ? WHERE id = ?').run(spawn.pid, spawn.pgid, spawn.startId, id);
}

/** Ends an open record; a record that already ended keeps its first end. */
export function updateProcessEnd(db: Database.Database, id: number, end: ProcessEndRecord, now: string): void {
  requireProcess(db, id);
  statement(db, 'UPDATE processes SET ended_at = ?, end_reason = ?, exit_code = ?, signal = ? WHERE id = ? AND ended_at IS NULL').run(
    now,
    end.reason,
    end.exitCode ?? null,
    end.signal ?? null,
    id,
  );
}

/** The incident's process records, oldest first; with `running`, only the ones not ended. */
export function selectProcesses(db: Database.Database, incidentId: string, options: { running?: boolean } = {}): ProcessRecord[] {
  const sql = options.running
    ? 'SELECT * FROM processes WHERE incident_id = ? AND ended_at IS NULL ORDER BY id'
    : 'SELECT * FROM processes WHERE incident_id = ? ORDER BY id';
  return (statement(db, sql).all(incidentId) as ProcessRow[]).map(toRecord);
}

function requireProcess(db: Database.Database, id: number): ProcessRecord {
  const row = statement(db, 'SELECT * FROM processes WHERE id = ?').get(id) as ProcessRow | undefined;
  if (!row) throw new StoreError(`no process record ${id}`);
  return toRecord(row);
}

function toRecord(row: ProcessRow): ProcessRecord {
  return {
    id: row.id,
    incidentId: row.incident_id,
    stepRunId: row.step_run_id,
    holderId: row.holder_id,
    kind: row.kind,
    name: row.name,
    argv: parseJson<string[]>(row.argv_json),
    tag: row.tag,
    host: row.host,
    endpoint: row.endpoint,
    pid: row.pid,
    pgid: row.pgid,
    startId: row.start_id,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    exitCode: row.exit_code,
    signal: row.signal,
  };
}
