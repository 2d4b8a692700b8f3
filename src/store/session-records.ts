/**
 * The contract types of two tables that keep a session safe to resume: the session lease
 * (who runs an incident's session right now) and the process records (what that session
 * started, so a later run can end what a killed one left behind). Both name a host, so
 * they keep meaning the same when several machines share one database (PostgreSQL, later).
 */

/** Who runs a session: enough to name it in a message and to tell whether it still lives. */
export interface LeaseHolder {
  /** Random for each acquisition: tells two sessions of one process apart. */
  holderId: string;
  host: string;
  pid: number;
  /** The holder's processStartId (exec/proc-table.ts): a reused pid is not mistaken for it. null when unknown. */
  pidStartId: string | null;
  /** What holds it: `start`, `resume`, `demo`. */
  command: string;
}

export interface SessionLease extends LeaseHolder {
  incidentId: string;
  acquiredAt: string;
  /** Renewed while the session runs; a holder on another host whose heartbeat stopped is presumed dead. */
  heartbeatAt: string;
}

export interface LeaseRequest {
  incidentId: string;
  holder: LeaseHolder;
  /**
   * Decides whether the lease another holder has is abandoned (its process is gone), given
   * how long ago that holder last renewed it by the store's clock. Called synchronously,
   * inside the acquiring transaction, so checking and taking over are one atomic step.
   */
  isAbandoned(current: SessionLease, sinceHeartbeatMs: number): boolean;
}

export type LeaseOutcome =
  | { acquired: true; lease: SessionLease; tookOverFrom?: SessionLease }
  | { acquired: false; heldBy: SessionLease; sinceHeartbeatMs: number };

/** A tool runs to completion; a debugger (headless dlv) lives across actions and listens on an endpoint. */
export type ProcessKind = 'tool' | 'debugger';

/**
 * How a recorded process ended: `exited` (seen by the runner), `not-started` (spawn
 * failed), `ended-on-resume` (a later run found it alive and stopped it), `gone` (a later
 * run found nothing of it alive).
 */
export type ProcessEndReason = 'exited' | 'not-started' | 'ended-on-resume' | 'gone';

export interface NewProcessRecord {
  /** The step run that started it; null for one that outlives steps (a debugger). */
  stepRunId: number | null;
  /** The lease holder (session run) that started it. */
  holderId: string | null;
  kind: ProcessKind;
  /** The run's output name, i.e. which action started it. */
  name: string;
  /** Redacted argv. */
  argv: readonly string[];
  /** The tag variable's value in its environment: finds descendants that left its process group. */
  tag: string;
  host: string;
  /** Where a debugger listens (`127.0.0.1:40000`); null for tools. */
  endpoint?: string | null;
}

export interface ProcessSpawnRecord {
  pid: number;
  pgid: number;
  /** processStartId of the leader: a reused pid is not mistaken for it. */
  startId: string | null;
}

export interface ProcessEndRecord {
  reason: ProcessEndReason;
  exitCode?: number | null;
  signal?: string | null;
}

export interface ProcessRecord extends NewProcessRecord {
  id: number;
  incidentId: string;
  endpoint: string | null;
  /** null until the spawn was recorded (gotriage may have died in between: the tag still finds it). */
  pid: number | null;
  pgid: number | null;
  startId: string | null;
  startedAt: string;
  endedAt: string | null;
  endReason: ProcessEndReason | null;
  exitCode: number | null;
  signal: string | null;
}
