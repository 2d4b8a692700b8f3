/**
 * One session per incident at a time. Before a session runs (start, resume, demo) it takes
 * the incident's lease in the store; a second gotriage for the same incident is refused
 * with who holds it and what to do. A lease whose holder died (SIGKILL, a crash, a closed
 * laptop) is taken over with a warning: on this host when its pid is gone or now belongs
 * to another process (start times differ); on another host when its heartbeat stopped.
 */
import { randomUUID } from 'node:crypto';
import { ExitCode, GotriageError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { isProcessRunning, thisProcess } from '../exec/proc-table.js';
import type { LeaseHolder, SessionLease, Store } from '../store/store.js';

/** How often a running session renews its lease. */
const HEARTBEAT_MS = 10_000;
/** A holder on another host not heard from for this long is presumed dead (several missed heartbeats). */
const STALE_AFTER_MS = 60_000;

/** Another gotriage runs this incident's session. */
export class SessionLockedError extends GotriageError {
  readonly exitCode = ExitCode.failed;
  constructor(message: string, hint: string) {
    super(message);
    this.name = 'SessionLockedError';
    this.hint = hint;
  }
}

export interface SessionLock {
  readonly holder: LeaseHolder;
  /** Aborted if the lease is lost (taken over after our heartbeat stopped): the session must stop. */
  readonly lost: AbortSignal;
  /** Stops the heartbeat and gives the lease up. Idempotent. */
  release(): Promise<void>;
}

export interface LockOptions {
  /** What holds the lock, named to whoever is refused: `start`, `resume`, `demo`. */
  command: string;
  log: Logger;
  heartbeatMs?: number;
  staleAfterMs?: number;
}

/**
 * Takes the incident's session lease, or throws SessionLockedError naming its holder.
 * While held, the lease is renewed in the background; call `release` when the session ends.
 */
export async function acquireSessionLock(store: Store, incidentId: string, options: LockOptions): Promise<SessionLock> {
  const me = thisProcess();
  const holder: LeaseHolder = { holderId: randomUUID(), host: me.host, pid: me.pid, pidStartId: me.startId, command: options.command };
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const outcome = await store.acquireSessionLease({
    incidentId,
    holder,
    isAbandoned: (current, sinceHeartbeatMs) =>
      current.host === me.host ? !isProcessRunning(current.pid, current.pidStartId) : sinceHeartbeatMs > staleAfterMs,
  });
  if (!outcome.acquired) {
    const { heldBy, sinceHeartbeatMs } = outcome;
    throw new SessionLockedError(
      `incident ${incidentId} is already being worked on by ${describeHolder(heldBy)}, last heard from ${seconds(sinceHeartbeatMs)} ago`,
      `Wait for it to finish, or stop it (Ctrl-C in its terminal, or \`kill -INT ${heldBy.pid}\`${heldBy.host === me.host ? '' : ` on ${heldBy.host}`}); then run: gotriage resume ${incidentId}`,
    );
  }
  if (outcome.tookOverFrom) {
    const old = outcome.tookOverFrom;
    const why = old.host === me.host ? 'which is no longer running' : `which has not been heard from since ${old.heartbeatAt}`;
    options.log.warn(`incident ${incidentId} was held by ${describeHolder(old)}, ${why}: taking the session over`);
  }
  return holdLease(store, incidentId, holder, options);
}

/** The heartbeat and the release of a lease we hold. */
function holdLease(store: Store, incidentId: string, holder: LeaseHolder, options: LockOptions): SessionLock {
  const lost = new AbortController();
  let released = false;
  const beat = async () => {
    try {
      if (await store.renewSessionLease(incidentId, holder.holderId)) return;
      options.log.error(`the session lease of ${incidentId} was taken over by another gotriage; stopping this session`);
      lost.abort(new Error('session lease lost'));
      clearInterval(timer);
    } catch (error) {
      // A busy database is retried at the next beat; the lease is only lost when another holder takes it.
      options.log.debug(`could not renew the session lease of ${incidentId}: ${(error as Error).message}`);
    }
  };
  const timer = setInterval(() => void beat(), options.heartbeatMs ?? HEARTBEAT_MS);
  // The heartbeat alone must not keep gotriage running.
  timer.unref();
  return {
    holder,
    lost: lost.signal,
    async release() {
      if (released) return;
      released = true;
      clearInterval(timer);
      await store.releaseSessionLease(incidentId, holder.holderId);
    },
  };
}

/** `gotriage resume` (pid 4242 on host web-1, since 2026-…). */
function describeHolder(lease: SessionLease): string {
  return `\`gotriage ${lease.command}\` (pid ${lease.pid} on host ${lease.host}, since ${lease.acquiredAt})`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
