/**
 * Where the database lives when the user does not say.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/**
 * The database path, by precedence: the `--db` flag, then `GOTRIAGE_DB`, then
 * `$XDG_DATA_HOME/gotriage/gotriage.db` with XDG_DATA_HOME defaulting to
 * `~/.local/share` (XDG Base Directory spec: a relative XDG_DATA_HOME is invalid
 * and must be ignored). Empty values count as unset. The result is absolute.
 */
export function resolveDbPath(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return resolve(flag);
  if (env.GOTRIAGE_DB) return resolve(env.GOTRIAGE_DB);
  const xdg = env.XDG_DATA_HOME;
  const dataHome = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), '.local', 'share');
  return join(dataHome, 'gotriage', 'gotriage.db');
}
