/**
 * Opens only the store, for read-only commands (list, show, report): no prompter,
 * no runner, so `gotriage list` loads SQLite and nothing heavier.
 */
import { openStore, resolveDbPath } from '../store/open.js';
import type { Store } from '../store/store.js';
import { str, type Options } from './options.js';

export function openStoreOnly(opts: Options): Store {
  return openStore({ path: resolveDbPath(str(opts, 'db')) });
}
