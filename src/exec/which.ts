/**
 * Executable lookup without starting anything, so `gotriage doctor` and the pre-checks
 * ("go/dlv/dot missing before any state changes") can answer synchronously.
 */
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import { ToolMissingError } from '../core/errors.js';
import { installHintFor } from './install-hints.js';

/**
 * Find `name` the way execvp(3) (and so Node's spawn) would: a name containing `/` is
 * taken as a path; otherwise each PATH entry is tried in order. Returns the absolute
 * path of the first regular file we may execute (X_OK), or undefined.
 *
 * Empty PATH entries are skipped rather than meaning "current directory" as POSIX
 * allows: finding a tool in whatever directory the user happens to stand in is a
 * surprise we do not want in a triage run.
 */
export function findExecutable(name: string, pathEnv: string | undefined = process.env.PATH): string | undefined {
  if (name === '' || name.includes('\0')) return undefined;
  if (name.includes('/')) {
    const candidate = path.resolve(name);
    return isExecutableFile(candidate) ? candidate : undefined;
  }
  for (const dir of (pathEnv ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.resolve(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Like {@link findExecutable}, but throws ToolMissingError (with the install hint)
 * when the tool is not there. Call it before a step changes any state.
 */
export function requireExecutable(name: string, pathEnv: string | undefined = process.env.PATH): string {
  const found = findExecutable(name, pathEnv);
  if (found === undefined) throw new ToolMissingError(name, installHintFor(name));
  return found;
}

function isExecutableFile(candidate: string): boolean {
  try {
    // statSync follows symlinks (Go installs often symlink /usr/local/bin/go).
    if (!statSync(candidate).isFile()) return false;
    accessSync(candidate, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
