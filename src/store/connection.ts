/**
 * Opens the SQLite file: refuses files that are not ours (guard.ts), then sets the
 * pragmas and applies missing migrations. Nothing is written before the guard passed.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { StoreError } from '../core/errors.js';
import { assertDatabaseIsOurs, toStoreError } from './guard.js';
import { GOTRIAGE_APPLICATION_ID, MIGRATIONS } from './migrations.js';

/** How long a writer waits for another process' write lock before SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating when missing or empty) the gotriage database at `path`, with WAL,
 * synchronous=FULL and foreign keys on, migrated to this build's schema.
 * Throws StoreError for a file that is not ours, damaged, locked or too new.
 */
export function openConnection(path: string): Database.Database {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create the directory of ${path}: ${(error as Error).message}`, 'Use --db to choose another place.');
  }
  let db: Database.Database;
  try {
    // better-sqlite3 opens lazily enough that a garbage file only fails at the first read.
    db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw toStoreError(error, path);
  }
  try {
    assertDatabaseIsOurs(db, path);
    configure(db);
    applyMigrations(db);
    return db;
  } catch (error) {
    db.close();
    throw toStoreError(error, path);
  }
}

function configure(db: Database.Database): void {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // WAL: readers (the report, `gotriage list`) never block the session writing evidence,
  // and a crash mid-write leaves the last committed state readable (SQLite replays the WAL).
  db.pragma('journal_mode = WAL');
  // FULL, not the WAL-usual NORMAL: an acknowledged piece of evidence must survive a
  // crash AND a power loss or closed laptop lid. In WAL mode NORMAL skips the fsync at
  // commit (a power loss can roll back the last commits); FULL fsyncs the WAL at each
  // commit (https://sqlite.org/pragma.html#pragma_synchronous). Commits are few per step.
  db.pragma('synchronous = FULL');
  // Foreign keys are off per connection by default in SQLite; our rows rely on them.
  db.pragma('foreign_keys = ON');
}

/** Runs each missing migration in its own transaction, bumping user_version with it. */
function applyMigrations(db: Database.Database): void {
  // user_version is re-read inside each write transaction: two gotriage processes
  // opening a new file at once must not both run migration 1.
  const applyNext = db.transaction((): boolean => {
    const version = db.pragma('user_version', { simple: true }) as number;
    const sql = MIGRATIONS[version];
    if (sql === undefined) return false;
    db.exec(sql);
    // The header pragmas are written through the pager, so they commit or roll back
    // together with the schema change: a crash never leaves a half-migrated file.
    if (version === 0) db.pragma(`application_id = ${GOTRIAGE_APPLICATION_ID}`);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (applyNext.immediate()) {
    // one migration per transaction
  }
}
