import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { GOTRIAGE_APPLICATION_ID, SCHEMA_VERSION } from '../../src/store/migrations.ts';
import { openStore, resolveDbPath } from '../../src/store/open.ts';
import { makeTempDir, openTestStore, reopenStore, sampleIncident } from './store-helpers.ts';

/** Opening must throw StoreError and leave the file and its directory exactly as they were. */
function expectRefusedUntouched(path: string, messagePart: RegExp): StoreError {
  const before = readFileSync(path);
  const listing = readdirSync(join(path, '..')).sort();
  let caught: unknown;
  try {
    // Refused databases throw from openStore itself, before there is a store to close.
    void openStore({ path }).close();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoreError);
  const error = caught as StoreError;
  expect(error.message).toMatch(messagePart);
  expect(error.message).toContain(path);
  expect(error.hint).toBeTruthy();
  expect(readFileSync(path).equals(before)).toBe(true);
  // No -wal/-shm/-journal or artifacts dir created beside a file we refused.
  expect(readdirSync(join(path, '..')).sort()).toEqual(listing);
  return error;
}

describe('openStore on a new path', () => {
  it('creates the parent directories and a gotriage database with WAL, FULL sync and foreign keys', async () => {
    const path = join(makeTempDir(), 'deep', 'er', 'gotriage.db');
    const store = openTestStore(path);
    expect(store.dbPath).toBe(path);
    expect(store.artifactDir).toBe(join(path, '..', 'artifacts'));
    await store.close();

    const db = new Database(path, { readonly: true });
    expect(db.pragma('application_id', { simple: true })).toBe(GOTRIAGE_APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    // journal_mode=WAL is persistent in the file header.
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('sets synchronous=FULL and foreign_keys on the connection it uses', async () => {
    const store = openTestStore();
    const incident = await store.createIncident(sampleIncident(), {}, 'alert');
    // A foreign key violation proves foreign_keys=ON: a step run for an unknown incident.
    await expect(
      store.addToolRun(incident.id, {
        stepRunId: 999,
        actionId: 'x',
        argv: ['go'],
        exitCode: 0,
        signal: null,
        timedOut: false,
        durationMs: 1,
        stdoutArtifactId: null,
        stderrArtifactId: null,
        startedAt: new Date().toISOString(),
      }),
    ).rejects.toThrow(StoreError);
    const raw = (store as unknown as { db: Database.Database }).db;
    expect(raw.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(1000);
  });

  it('accepts an existing empty file (touch gotriage.db) and keeps data across reopen', async () => {
    const path = join(makeTempDir(), 'gotriage.db');
    writeFileSync(path, '');
    const store = openTestStore(path);
    const incident = await store.createIncident(sampleIncident(), { v: 1 }, 'alert');
    expect((await (await reopenStore(store)).getIncident(incident.id))?.title).toBe('checkout p99 latency above 2s');
  });
});

describe('openStore refuses files that are not ours and never rewrites them', () => {
  it('refuses a file that is not SQLite', () => {
    const path = join(makeTempDir(), 'notes.db');
    writeFileSync(path, '# my notes\n'.repeat(500));
    expectRefusedUntouched(path, /not a SQLite database/);
  });

  it('refuses a SQLite database of another application', () => {
    const path = join(makeTempDir(), 'other.db');
    const db = new Database(path);
    db.pragma('application_id = 1234');
    db.exec('CREATE TABLE t (x)');
    db.close();
    expectRefusedUntouched(path, /another application/);
  });

  it('refuses a SQLite database with tables but no gotriage schema version', () => {
    const path = join(makeTempDir(), 'places.sqlite');
    const db = new Database(path);
    db.exec("CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://go.dev')");
    db.close();
    expectRefusedUntouched(path, /bookmarks.*no gotriage schema/);
  });

  it('refuses a gotriage database written by a newer build', async () => {
    const path = join(makeTempDir(), 'gotriage.db');
    await openStore({ path }).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('journal_mode = DELETE'); // fold the WAL in so the file alone holds everything
    db.close();
    const error = expectRefusedUntouched(path, /newer gotriage/);
    expect(error.hint).toMatch(/[Uu]pgrade/);
  });

  it('refuses a truncated gotriage database', async () => {
    const path = join(makeTempDir(), 'gotriage.db');
    const store = openStore({ path });
    const incident = await store.createIncident(sampleIncident({ title: 'x'.repeat(20_000) }), {}, 'alert');
    for (let i = 0; i < 50; i++)
      await store.addEvent(incident.id, { at: new Date().toISOString(), step: null, kind: 'note', text: 'y'.repeat(2000) });
    await store.close();
    const whole = readFileSync(path);
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2)));
    expectRefusedUntouched(path, /damaged|malformed/);
  });
});

describe('resolveDbPath', () => {
  it('prefers the --db flag over GOTRIAGE_DB and XDG_DATA_HOME', () => {
    const env = { GOTRIAGE_DB: '/env/g.db', XDG_DATA_HOME: '/xdg', HOME: '/home/u' };
    expect(resolveDbPath('/flag/g.db', env)).toBe('/flag/g.db');
  });

  it('uses GOTRIAGE_DB when there is no flag', () => {
    expect(resolveDbPath(undefined, { GOTRIAGE_DB: '/env/g.db', XDG_DATA_HOME: '/xdg' })).toBe('/env/g.db');
  });

  it('falls back to $XDG_DATA_HOME/gotriage/gotriage.db', () => {
    expect(resolveDbPath(undefined, { XDG_DATA_HOME: '/xdg', HOME: '/home/u' })).toBe('/xdg/gotriage/gotriage.db');
  });

  it('defaults XDG_DATA_HOME to ~/.local/share, ignoring empty or relative values', () => {
    expect(resolveDbPath(undefined, { HOME: '/home/u' })).toBe('/home/u/.local/share/gotriage/gotriage.db');
    expect(resolveDbPath('', { GOTRIAGE_DB: '', XDG_DATA_HOME: 'rel', HOME: '/home/u' })).toBe('/home/u/.local/share/gotriage/gotriage.db');
    expect(resolveDbPath(undefined, {})).toBe(join(homedir(), '.local/share/gotriage/gotriage.db'));
  });

  it('makes a relative flag absolute against the working directory', () => {
    expect(resolveDbPath('here.db', {})).toBe(join(process.cwd(), 'here.db'));
  });
});

describe('temp files of dead writers', () => {
  it('are removed at open; those of a live process are kept', async () => {
    const store = openTestStore();
    const { artifactDir, dbPath } = store;
    await store.close();
    // pid 2^22+1 is above Linux's pid_max ceiling, so no process can have it.
    const dead = join(artifactDir, `.tmp-${2 ** 22 + 1}-abc`);
    const live = join(artifactDir, `.tmp-${process.ppid}-def`);
    mkdirSync(artifactDir, { recursive: true });
    writeFileSync(dead, 'half an artifact');
    writeFileSync(live, 'a copy in progress');
    openTestStore(dbPath);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
