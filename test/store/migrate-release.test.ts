/**
 * Databases written before evidence was data are carried forward by the migrations: the one a
 * released gotriage wrote (test/fixtures/release-db), and hand-made schema-1 rows for the cases
 * that release did not produce (a benchmark's profile, a failed fetch, a killed tool).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOTRIAGE_APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.ts';
import { eventKindShown, eventMessage } from '../../src/store/timeline-event.ts';
import { copyReleaseDb, RELEASE_DONE, RELEASE_PAUSED } from '../helpers/release-db.ts';
import { makeTempDir, openTestStore } from './store-helpers.ts';

interface OldEvent {
  incident_id: string;
  step: string | null;
  kind: string;
  message: string;
}

/** What the database says before any migration ran (read on the copy, which is then opened). */
function readOld(path: string): {
  version: number;
  events: OldEvent[];
  artifacts: { id: number; step_run_id: number; action_id: string }[];
} {
  const db = new Database(path);
  try {
    return {
      version: db.pragma('user_version', { simple: true }) as number,
      events: db.prepare('SELECT incident_id, step, kind, message FROM events ORDER BY at, id').all() as OldEvent[],
      artifacts: db.prepare('SELECT id, step_run_id, action_id FROM artifacts ORDER BY id').all() as never,
    };
  } finally {
    db.close();
  }
}

describe('the database of the released gotriage (74c50c7)', () => {
  it('opens migrated, and every event of its timeline reads as it was written', async () => {
    const path = copyReleaseDb(makeTempDir());
    const old = readOld(path);
    expect(old.version).toBe(1);
    const store = openTestStore(path);
    expect(await store.integrityCheck()).toBe('ok');
    expect((await store.listIncidents()).map((i) => [i.id, i.status])).toEqual([
      [RELEASE_PAUSED, 'active'],
      [RELEASE_DONE, 'done'],
    ]);

    const events = [...(await store.timeline(RELEASE_DONE)), ...(await store.timeline(RELEASE_PAUSED))];
    const byIncident = async (id: string) => (await store.timeline(id)).map((e) => [id, e.step, eventKindShown(e), eventMessage(e)]);
    expect([...(await byIncident(RELEASE_DONE)), ...(await byIncident(RELEASE_PAUSED))]).toEqual(
      [...old.events.filter((e) => e.incident_id === RELEASE_DONE), ...old.events.filter((e) => e.incident_id === RELEASE_PAUSED)].map(
        (e) => [e.incident_id, e.step, e.kind, e.message],
      ),
    );
    // Mapped where the kind says enough, kept as legacy otherwise.
    const kinds = new Set(events.map((e) => e.kind));
    expect([...kinds].sort()).toEqual(['incident-created', 'legacy', 'note', 'step-started']);
    for (const incidentId of [RELEASE_DONE, RELEASE_PAUSED]) {
      const started = (await store.timeline(incidentId)).flatMap((e) => (e.kind === 'step-started' ? [[e.step, e.attempt]] : []));
      expect(started).toEqual((await store.stepRuns(incidentId)).map((r) => [r.step, r.attempt]));
    }
    expect(events.find((e) => e.kind === 'legacy')).toMatchObject({ was: 'transition', message: 'start → alert' });
  });

  it('carries each action’s artifacts into a collection record of its step run, without a target it never recorded', async () => {
    const path = copyReleaseDb(makeTempDir());
    const old = readOld(path);
    const store = openTestStore(path);
    for (const incidentId of [RELEASE_DONE, RELEASE_PAUSED]) {
      const artifacts = await store.artifacts(incidentId);
      const gather = (await store.stepRuns(incidentId)).find((r) => r.step === 'gather')!;
      const gathered = artifacts.filter((a) => a.stepRunId === gather.id);
      const actions = [...new Set(gathered.map((a) => a.actionId))];
      expect(actions.sort()).toEqual(['cpu', 'go-version', 'goroutines', 'heap']);
      const records = await store.collections(incidentId);
      expect(records.map((c) => c.actionId).sort()).toEqual(actions.sort());
      for (const record of records) {
        const own = gathered.filter((a) => a.actionId === record.actionId);
        expect(record).toMatchObject({ stepRunId: gather.id, target: null, status: 'ok', artifactIds: own.map((a) => a.id) });
        expect(record.bytes).toBe(own.reduce((sum, a) => sum + a.size, 0));
        expect(record.reason).toMatch(/older gotriage/);
      }
      // Attributes start empty: the release wrote its facts into labels only, and nothing reads them back.
      expect(artifacts.every((a) => JSON.stringify(a.attributes) === '{}')).toBe(true);
    }
    expect(old.artifacts.length).toBe((await store.artifacts(RELEASE_DONE)).length + (await store.artifacts(RELEASE_PAUSED)).length);
  });
});

describe('schema-1 rows the release fixture does not have', () => {
  /** A schema-1 database with one incident and one gather run, and the rows `sql` adds. */
  function schemaOne(sql: string): string {
    const path = join(makeTempDir(), 'v1.db');
    const db = new Database(path);
    db.exec(MIGRATIONS[0]!);
    db.pragma(`application_id = ${GOTRIAGE_APPLICATION_ID}`);
    db.pragma('user_version = 1');
    db.exec(`
      INSERT INTO incidents VALUES ('inc-00000001', 'old', 'high', 'svc', 'pb', '/pb.yaml', '{}', '{}', 'analyze', 'active', 't0', 't0');
      INSERT INTO step_runs VALUES (1, 'inc-00000001', 'gather', 1, 'finished', NULL, 't1', 't2');
      ${sql}`);
    db.close();
    return path;
  }
  const artifact = (id: number, action: string, mediaType: string, size = 10) =>
    `INSERT INTO artifacts VALUES (${id}, 'inc-00000001', 1, '${action}', '${'a'.repeat(64)}', ${size}, '${mediaType}', 'label ${id}', 'x/${id}', 't1');`;

  it('keeps a benchmark profile apart from the service’s: its media type said source=bench', async () => {
    const store = openTestStore(
      schemaOne(
        artifact(1, 'bench', 'application/vnd.google.pprof+gzip; kind=profile; source=bench') +
          artifact(2, 'cpu', 'application/vnd.google.pprof+gzip; kind=profile') +
          artifact(3, 'bench', 'text/x-go-bench'),
      ),
    );
    expect((await store.artifacts('inc-00000001')).map((a) => [a.id, a.attributes])).toEqual([
      [1, { source: 'bench' }],
      [2, {}],
      [3, {}],
    ]);
  });

  it('records an action failed when it kept the body of a failed fetch or its tool was killed', async () => {
    const store = openTestStore(
      schemaOne(
        artifact(1, 'heap', 'application/vnd.google.pprof+gzip; kind=heap', 100) +
          artifact(2, 'heap', 'application/octet-stream', 7) +
          artifact(3, 'race', 'text/x-go-race') +
          artifact(4, 'vet', 'text/plain') +
          `INSERT INTO tool_runs VALUES (1, 'inc-00000001', 1, 'race', '["go","test"]', NULL, 'SIGKILL', 1, 30000, 3, NULL, 't1');
           INSERT INTO tool_runs VALUES (2, 'inc-00000001', 1, 'vet', '["go","vet"]', 1, NULL, 0, 300, 4, NULL, 't1');`,
      ),
    );
    expect((await store.collections('inc-00000001')).map((c) => [c.actionId, c.status, c.artifactIds, c.bytes])).toEqual([
      ['heap', 'failed', [1, 2], 107],
      ['race', 'failed', [3], 10],
      // An exit code is the tool's answer, not a failure to collect (a race test exits 1).
      ['vet', 'ok', [4], 10],
    ]);
  });

  it('reads the n-th step-started event of a step as its attempt n, and keeps what it cannot map as legacy', async () => {
    const event = (id: number, step: string, kind: string, message: string) =>
      `INSERT INTO events VALUES (${id}, 'inc-00000001', 't${id}', '${step}', '${kind}', '${message}');`;
    const store = openTestStore(
      schemaOne(
        event(1, 'analyze', 'step-started', 'analyze started (attempt 1)') +
          event(2, 'hypothesize', 'step-started', 'hypothesize started (attempt 1)') +
          event(3, 'analyze', 'step-started', 'analyze started (attempt 2)') +
          event(4, 'analyze', 'step-started', 'analyze started (attempt 3)') +
          event(5, 'analyze', 'step-failed', 'boom'),
      ),
    );
    expect((await store.timeline('inc-00000001')).map((e) => [e.kind, e.kind === 'step-started' ? e.attempt : eventMessage(e)])).toEqual([
      ['step-started', 1],
      ['step-started', 1],
      ['step-started', 2],
      ['step-started', 3],
      ['legacy', 'boom'],
    ]);
  });

  it('reads the migrated schema as this build writes it', async () => {
    const path = schemaOne('');
    const store = openTestStore(path);
    await store.close();
    const db = new Database(path, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });
});
