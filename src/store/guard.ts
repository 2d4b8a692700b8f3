/**
 * Decides whether an existing SQLite file is a gotriage database we may write to.
 * Everything here only reads: a file we refuse must stay byte-identical.
 */
import type Database from 'better-sqlite3';
import { StoreError } from '../core/errors.js';
import { GOTRIAGE_APPLICATION_ID, SCHEMA_VERSION } from './migrations.js';

const MOVE_ASIDE_HINT =
  'gotriage never overwrites a file it did not create: point --db or GOTRIAGE_DB at another path, or move this file away.';

/**
 * Throws StoreError unless `db` is empty (new) or a gotriage database whose schema
 * this build knows. Reads the header pragmas, the table list and `PRAGMA quick_check`
 * (which reads every page, so a truncated or damaged file is caught before use).
 */
export function assertDatabaseIsOurs(db: Database.Database, path: string): void {
  const applicationId = readHeader(db, path, 'application_id');
  const userVersion = readHeader(db, path, 'user_version');
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];

  const isEmpty = applicationId === 0 && userVersion === 0 && tables.length === 0;
  if (isEmpty) return;

  if (applicationId !== GOTRIAGE_APPLICATION_ID) {
    const what =
      applicationId !== 0
        ? `it belongs to another application (application_id 0x${(applicationId >>> 0).toString(16)})`
        : `it has tables (${listSome(tables)}) but no gotriage schema`;
    throw new StoreError(`${path} is a SQLite database but not a gotriage one: ${what}`, MOVE_ASIDE_HINT);
  }
  if (userVersion > SCHEMA_VERSION) {
    throw new StoreError(
      `${path} was written by a newer gotriage (schema version ${userVersion}; this build knows up to ${SCHEMA_VERSION})`,
      'Upgrade gotriage to open it, or use another database with --db.',
    );
  }
  const problems = db.pragma('quick_check', { simple: false }) as Array<{ quick_check: string }>;
  const report = problems.map((row) => row.quick_check);
  if (report.length !== 1 || report[0] !== 'ok') {
    throw new StoreError(
      `${path} is damaged: ${listSome(report)}`,
      `Keep a copy of the file, then try \`sqlite3 ${path} .recover\` into a new file; gotriage will not write to it.`,
    );
  }
}

function readHeader(db: Database.Database, path: string, pragma: 'application_id' | 'user_version'): number {
  try {
    return db.pragma(pragma, { simple: true }) as number;
  } catch (error) {
    throw toStoreError(error, path);
  }
}

/** Turns a SQLite open/read error into a StoreError that names the file and what to do. */
export function toStoreError(error: unknown, path: string): Error {
  if (error instanceof StoreError) return error;
  const code = (error as { code?: string }).code ?? '';
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'SQLITE_NOTADB') {
    return new StoreError(`${path} is not a SQLite database (${message})`, MOVE_ASIDE_HINT);
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError(
      `${path} is damaged (${message})`,
      `Keep a copy of the file, then try \`sqlite3 ${path} .recover\` into a new file; gotriage will not write to it.`,
    );
  }
  if (code.startsWith('SQLITE_BUSY')) {
    return new StoreError(
      `${path} is locked by another process (${message})`,
      'Wait for the other gotriage to finish, or use another database with --db.',
    );
  }
  if (code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM')) {
    return new StoreError(`cannot open ${path} for writing (${message})`, 'Check the path and its permissions, or use --db.');
  }
  return new StoreError(`cannot use database ${path}: ${message}`);
}

function listSome(items: readonly string[]): string {
  const shown = items.slice(0, 5).join(', ');
  return items.length > 5 ? `${shown}, … ${items.length - 5} more` : shown;
}
