/**
 * The database a released gotriage wrote (test/fixtures/release-db/README.md), copied to a temp
 * directory with its artifacts: opening it migrates it, and the fixture must stay as released.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './cli.js';

export const RELEASE_DB_DIR = join(repoRoot, 'test/fixtures/release-db');
export const RELEASE_DB = join(RELEASE_DB_DIR, 'gotriage.sqlite');
/** The playbook the release ran (its path as recorded points at the machine that made the fixture). */
export const RELEASE_PLAYBOOK = join(RELEASE_DB_DIR, 'playbook.yaml');
/** The incident run to the end, and the one stopped before analyze. */
export const RELEASE_DONE = 'inc-31594541';
export const RELEASE_PAUSED = 'inc-97a13693';

/** A copy of the released database and its artifacts in `dir`; returns the database's path. */
export function copyReleaseDb(dir: string): string {
  cpSync(RELEASE_DB, join(dir, 'gotriage.sqlite'));
  cpSync(join(RELEASE_DB_DIR, 'artifacts'), join(dir, 'artifacts'), { recursive: true });
  return join(dir, 'gotriage.sqlite');
}
