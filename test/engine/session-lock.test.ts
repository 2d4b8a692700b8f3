/**
 * The session lock over a real store, with real processes as holders: a live holder is
 * refused with who it is and what to do; a dead one (pid gone, or pid now someone else's)
 * is taken over with a warning; a holder on another host is judged by its heartbeat.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../../src/core/clock.js';
import { createMemoryLogger } from '../../src/core/log.js';
import { acquireSessionLock, SessionLockedError } from '../../src/engine/session-lock.js';
import { processStartId } from '../../src/exec/proc-table.js';
import { openStore } from '../../src/store/open.js';
import type { LeaseHolder, Store } from '../../src/store/store.js';
import { makeTempDir, openTestStore, sampleIncident } from '../store/store-helpers.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** A real process to stand for another gotriage. */
async function otherProcess(): Promise<ChildProcess & { pid: number }> {
  const child = spawn('sleep', ['300'], { stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child as ChildProcess & { pid: number };
}

function holder(overrides: Partial<LeaseHolder>): LeaseHolder {
  return { holderId: `other-${Math.random()}`, host: hostname(), pid: 1, pidStartId: null, command: 'resume', ...overrides };
}

/** Puts a lease held by `by` in place, as that other gotriage would have. */
async function leaseHeldBy(store: Store, incidentId: string, by: LeaseHolder): Promise<void> {
  const outcome = await store.acquireSessionLease({ incidentId, holder: by, isAbandoned: () => false });
  expect(outcome.acquired).toBe(true);
}

describe('the session lock', () => {
  it('refuses a second session while the holder runs, naming its host, pid and start, and saying what to do', async () => {
    const store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), null, 'gather');
    const other = await otherProcess();
    await leaseHeldBy(store, id, holder({ pid: other.pid, pidStartId: processStartId(other.pid)! }));
    const lease = (await store.sessionLease(id))!;

    const refused = acquireSessionLock(store, id, { command: 'resume', log: createMemoryLogger() });
    await expect(refused).rejects.toBeInstanceOf(SessionLockedError);
    await expect(refused).rejects.toThrow(
      `incident ${id} is already being worked on by \`gotriage resume\` (pid ${other.pid} on host ${hostname()}, since ${lease.acquiredAt})`,
    );
    const error = (await refused.catch((e: unknown) => e)) as SessionLockedError;
    expect(error.exitCode).toBe(1);
    expect(error.hint).toContain(`kill -INT ${other.pid}`);
    expect(error.hint).toContain(`gotriage resume ${id}`);
    // The holder keeps it.
    expect((await store.sessionLease(id))!.holderId).toBe(lease.holderId);
  });

  it('takes over, with a warning, from a holder whose process is gone', async () => {
    const store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), null, 'gather');
    const other = await otherProcess();
    const startId = processStartId(other.pid)!;
    other.kill('SIGKILL');
    await once(other, 'exit');
    await leaseHeldBy(store, id, holder({ pid: other.pid, pidStartId: startId }));

    const log = createMemoryLogger();
    const lock = await acquireSessionLock(store, id, { command: 'resume', log });
    expect(log.lines).toContainEqual(
      expect.stringMatching(new RegExp(`pid ${other.pid} .*which is no longer running: taking the session over`)),
    );
    expect((await store.sessionLease(id))!).toMatchObject({ holderId: lock.holder.holderId, pid: process.pid, command: 'resume' });
    await lock.release();
    expect(await store.sessionLease(id)).toBeUndefined();
  });

  it('takes over from a holder whose pid now belongs to another process (start times differ)', async () => {
    const store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), null, 'gather');
    // A pid cannot be made to be reused on demand: a live process with another start id stands for it.
    const reused = await otherProcess();
    await leaseHeldBy(store, id, holder({ pid: reused.pid, pidStartId: `${processStartId(reused.pid)!}0` }));

    const log = createMemoryLogger();
    const lock = await acquireSessionLock(store, id, { command: 'start', log });
    expect(log.lines).toContainEqual(expect.stringContaining('which is no longer running'));
    await lock.release();
  });

  it('judges a holder on another host by its heartbeat: recent is refused, stale is taken over', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const clock: Clock = { now: () => new Date(now) };
    const store = openStore({ path: join(makeTempDir(), 'gotriage.db'), clock });
    try {
      const { id } = await store.createIncident(sampleIncident(), null, 'gather');
      await leaseHeldBy(store, id, holder({ host: 'web-1.elsewhere', pid: 4242 }));
      now += 30_000;
      await expect(acquireSessionLock(store, id, { command: 'resume', log: createMemoryLogger() })).rejects.toThrow(
        /pid 4242 on host web-1\.elsewhere.*last heard from 30 s ago/,
      );
      now += 60_000;
      const log = createMemoryLogger();
      const lock = await acquireSessionLock(store, id, { command: 'resume', log });
      expect(log.lines).toContainEqual(expect.stringContaining('which has not been heard from since 2026-01-01T10:00:00.000Z'));
      await lock.release();
    } finally {
      await store.close();
    }
  });

  it('renews its lease while held, and signals `lost` once another holder took it over', async () => {
    const store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), null, 'gather');
    const log = createMemoryLogger();
    const lock = await acquireSessionLock(store, id, { command: 'resume', log, heartbeatMs: 10 });
    const first = (await store.sessionLease(id))!.heartbeatAt;
    for (let i = 0; i < 500 && (await store.sessionLease(id))!.heartbeatAt === first; i++) await sleep(10);
    expect((await store.sessionLease(id))!.heartbeatAt > first).toBe(true);
    expect(lock.lost.aborted).toBe(false);

    await store.acquireSessionLease({ incidentId: id, holder: holder({ host: 'other' }), isAbandoned: () => true });
    for (let i = 0; i < 500 && !lock.lost.aborted; i++) await sleep(10);
    expect(lock.lost.aborted).toBe(true);
    expect(log.lines).toContainEqual(expect.stringContaining('was taken over by another gotriage; stopping this session'));
    // Releasing leaves the new holder's lease alone.
    await lock.release();
    expect((await store.sessionLease(id))!.host).toBe('other');
  });
});
