/**
 * Entry point of the store: open (or create) the database and its artifact directory.
 */
import { dirname, join, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { sweepOrphanTempFiles } from './artifact-files.js';
import { openConnection } from './connection.js';
import { SqliteStore } from './sqlite-store.js';
import type { Store } from './store.js';

export { resolveDbPath } from './db-path.js';

export interface OpenStoreOptions {
  /** Database file; created (with its directory) when missing. See resolveDbPath. */
  path: string;
  /** Source of timestamps; the system clock by default. */
  clock?: Clock;
}

/**
 * Opens the gotriage database at `options.path`. Artifacts live in `artifacts/` beside it.
 * Throws StoreError, leaving the file untouched, when it is not a gotriage database,
 * is damaged, or was written by a newer gotriage.
 */
export function openStore(options: OpenStoreOptions): Store {
  const dbPath = resolve(options.path);
  const artifactDir = join(dirname(dbPath), 'artifacts');
  const db = openConnection(dbPath);
  sweepOrphanTempFiles(artifactDir);
  return new SqliteStore(db, dbPath, artifactDir, options.clock);
}
