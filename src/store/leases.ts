/**
 * The session_leases table: at most one row per incident, naming the process that runs
 * its session. Acquiring runs in one IMMEDIATE transaction (the caller's), so two
 * gotriage processes cannot both see the row free and both take it.
 */
import type Database from 'better-sqlite3';
import { statement } from './sql.js';
import type { LeaseHolder, LeaseOutcome, LeaseRequest, SessionLease } from './session-records.js';

interface LeaseRow {
  incident_id: string;
  holder_id: string;
  host: string;
  pid: number;
  pid_start_id: string | null;
  command: string;
  acquired_at: string;
  heartbeat_at: string;
}

/** Takes the lease when it is free, already ours, or abandoned by its holder; else says who holds it. */
export function acquireLease(db: Database.Database, request: LeaseRequest, now: string): LeaseOutcome {
  const current = selectLease(db, request.incidentId);
  if (current === undefined) {
    insertLease(db, request.incidentId, request.holder, now);
    return { acquired: true, lease: selectLease(db, request.incidentId)! };
  }
  if (current.holderId === request.holder.holderId) {
    renewLease(db, request.incidentId, request.holder.holderId, now);
    return { acquired: true, lease: selectLease(db, request.incidentId)! };
  }
  const sinceHeartbeatMs = Math.max(0, Date.parse(now) - Date.parse(current.heartbeatAt));
  if (!request.isAbandoned(current, sinceHeartbeatMs)) return { acquired: false, heldBy: current, sinceHeartbeatMs };
  statement(db, 'DELETE FROM session_leases WHERE incident_id = ? AND holder_id = ?').run(request.incidentId, current.holderId);
  insertLease(db, request.incidentId, request.holder, now);
  return { acquired: true, lease: selectLease(db, request.incidentId)!, tookOverFrom: current };
}

/** Moves the heartbeat on; false when the lease is no longer this holder's. */
export function renewLease(db: Database.Database, incidentId: string, holderId: string, now: string): boolean {
  const { changes } = statement(db, 'UPDATE session_leases SET heartbeat_at = ? WHERE incident_id = ? AND holder_id = ?').run(
    now,
    incidentId,
    holderId,
  );
  return changes === 1;
}

/** Gives the lease up; a lease someone else took over meanwhile is left to them. */
export function releaseLease(db: Database.Database, incidentId: string, holderId: string): void {
  statement(db, 'DELETE FROM session_leases WHERE incident_id = ? AND holder_id = ?').run(incidentId, holderId);
}

export function selectLease(db: Database.Database, incidentId: string): SessionLease | undefined {
  const row = statement(db, 'SELECT * FROM session_leases WHERE incident_id = ?').get(incidentId) as LeaseRow | undefined;
  return row === undefined ? undefined : toLease(row);
}

function insertLease(db: Database.Database, incidentId: string, holder: LeaseHolder, now: string): void {
  statement(
    db,
    `INSERT INTO session_leases (incident_id, holder_id, host, pid, pid_start_id, command, acquired_at, heartbeat_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(incidentId, holder.holderId, holder.host, holder.pid, holder.pidStartId, holder.command, now, now);
}

function toLease(row: LeaseRow): SessionLease {
  return {
    incidentId: row.incident_id,
    holderId: row.holder_id,
    host: row.host,
    pid: row.pid,
    pidStartId: row.pid_start_id,
    command: row.command,
    acquiredAt: row.acquired_at,
    heartbeatAt: row.heartbeat_at,
  };
}
