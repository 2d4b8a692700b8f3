/**
 * The session lease and process records, as the store keeps them: one lease per incident,
 * taken atomically; process records opened before a spawn and ended once; both survive a
 * reopen (what a resume after SIGKILL sees), and a database of the first schema gains them.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import type { LeaseHolder } from '../../src/store/store.ts';
import { makeTempDir, openTestStore, reopenStore, sampleIncident } from './store-helpers.ts';

const holder = (id: string, overrides: Partial<LeaseHolder> = {}): LeaseHolder => ({
  holderId: id,
  host: 'host-a',
  pid: 100,
  pidStartId: 'boot/1',
  command: 'resume',
  ...overrides,
});

describe('session leases', () => {
  it('gives one holder the lease; another is told who holds it, unless the holder is abandoned', async () => {
    const store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), null, 'gather');
    const first = await store.acquireSessionLease({ incidentId: id, holder: holder('a'), isAbandoned: () => false });
    expect(first).toMatchObject({ acquired: true, lease: { holderId: 'a', host: 'host-a', pid: 100, command: 'resume' } });

    const asked: string[] = [];
    const second = await store.acquireSessionLease({
      incidentId: id,
      holder: holder('b', { pid: 200 }),
      isAbandoned: (current) => {
        asked.push(current.holderId);
        return false;
      },
    });
    expect(asked).toEqual(['a']);
    expect(second).toMatchObject({ acquired: false, heldBy: { holderId: 'a', pid: 100 } });

    const taken = await store.acquireSessionLease({ incidentId: id, holder: holder('b', { pid: 200 }), isAbandoned: () => true });
    expect(taken).toMatchObject({ acquired: true, lease: { holderId: 'b', pid: 200 }, tookOverFrom: { holderId: 'a' } });
    // The old holder can no longer renew or release what is no longer its own.
    expect(await store.renewSessionLease(id, 'a')).toBe(false);
    await store.releaseSessionLease(id, 'a');
    expect((await store.sessionLease(id))?.holderId).toBe('b');
    expect(await store.renewSessionLease(id, 'b')).toBe(true);
    await store.releaseSessionLease(id, 'b');
    expect(await store.sessionLease(id)).toBeUndefined();
  });

  it('a lease left by a killed process is still there when the database is opened again', async () => {
    const store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), null, 'gather');
    await store.acquireSessionLease({ incidentId: id, holder: holder('a'), isAbandoned: () => false });
    const reopened = await reopenStore(store);
    expect(await reopened.sessionLease(id)).toMatchObject({ holderId: 'a', pid: 100, pidStartId: 'boot/1' });
  });
});

describe('process records', () => {
  it('opens a record before the spawn, adds the pid, ends it once; `running` lists only open ones', async () => {
    const store = openTestStore();
    const { id } = await store.createIncident(sampleIncident(), null, 'gather');
    const run = await store.startStep(id, 'gather');
    const base = { stepRunId: run.id, holderId: 'a', kind: 'tool' as const, host: 'host-a' };
    const sleeping = await store.recordProcessStart(id, { ...base, name: 'wait', argv: ['sleep', '60'], tag: 't1' });
    const fetched = await store.recordProcessStart(id, {
      ...base,
      name: 'fetch',
      argv: ['curl', 'https://user:hunter2@svc/x?token=abc'],
      tag: 't2',
    });
    expect(sleeping).toMatchObject({ pid: null, pgid: null, endedAt: null, endReason: null, endpoint: null });
    await store.recordProcessSpawn(sleeping.id, { pid: 4242, pgid: 4242, startId: 'boot/77' });
    await store.recordProcessSpawn(fetched.id, { pid: 4243, pgid: 4243, startId: 'boot/78' });
    await store.recordProcessEnd(fetched.id, { reason: 'exited', exitCode: 0, signal: null });
    await store.recordProcessEnd(fetched.id, { reason: 'ended-on-resume' });

    const reopened = await reopenStore(store);
    const running = await reopened.processes(id, { running: true });
    expect(running.map((p) => [p.name, p.pid, p.pgid, p.startId, p.tag])).toEqual([['wait', 4242, 4242, 'boot/77', 't1']]);
    const all = await reopened.processes(id);
    expect(all[1]).toMatchObject({ endReason: 'exited', exitCode: 0 });
    // Stored argv never holds a secret.
    expect(JSON.stringify(all[1]!.argv)).not.toMatch(/hunter2|abc/);
  });
});

describe('migration', () => {
  it('a database written with the first schema gains both tables, its incidents kept', async () => {
    const path = join(makeTempDir(), 'old.db');
    const old = new Database(path);
    old.exec(MIGRATIONS[0]!);
    old.pragma('application_id = 0x476f5472');
    old.pragma('user_version = 1');
    old
      .prepare(
        `INSERT INTO incidents VALUES ('inc-0000abcd', 't', 'high', 's', 'p', '/p.yaml', '{}', '{}', 'gather', 'active', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z')`,
      )
      .run();
    old.close();

    const store = openTestStore(path);
    expect((await store.getIncident('inc-0000abcd'))?.state).toBe('gather');
    const lease = await store.acquireSessionLease({ incidentId: 'inc-0000abcd', holder: holder('a'), isAbandoned: () => false });
    expect(lease.acquired).toBe(true);
    expect(await store.processes('inc-0000abcd', { running: true })).toEqual([]);
  });
});
