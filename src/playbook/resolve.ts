/**
 * Finds playbooks: a path the user gave, or a built-in one shipped in the package's
 * `playbooks/` directory (go-service, …).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../core/errors.js';

export interface BuiltinPlaybook {
  /** The name to pass on the command line, e.g. `go-service`. */
  name: string;
  /** Absolute path of the YAML file. */
  path: string;
}

/** Built-in names are plain ids, so a name can never walk out of playbooks/ (`../x`). */
const BUILTIN_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The package's `playbooks/` directory. This module is src/playbook/resolve.ts when run from
 * source (vitest) and dist/playbook/resolve.js when built; both sit two levels below the
 * package root, so the same relative URL works for both.
 */
export function builtinPlaybooksDir(): string {
  return fileURLToPath(new URL('../../playbooks/', import.meta.url));
}

/** The built-in playbooks (`*.yaml` / `*.yml` in playbooks/), sorted by name; empty when none ship. */
export function listBuiltinPlaybooks(): BuiltinPlaybook[] {
  const dir = builtinPlaybooksDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.ya?ml$/.test(entry.name))
    .map((entry) => ({ name: entry.name.replace(/\.ya?ml$/, ''), path: join(dir, entry.name) }))
    .filter((entry) => BUILTIN_NAME.test(entry.name))
    .sort((a, b) => a.name.localeCompare(b.name));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Resolves `--playbook` to an absolute file path: an existing file wins, then a built-in name.
 * @throws UsageError naming the built-in playbooks when neither matches.
 */
export function resolvePlaybookPath(nameOrPath: string): string {
  if (nameOrPath.trim() === '') throw new UsageError('no playbook given', `pass a playbook file or one of: ${builtinNames()}`);
  if (isFile(nameOrPath)) return resolve(nameOrPath);
  if (BUILTIN_NAME.test(nameOrPath)) {
    const builtin = listBuiltinPlaybooks().find((entry) => entry.name === nameOrPath);
    if (builtin) return builtin.path;
  }
  const looksLikePath = /[\\/]|\.ya?ml$/.test(nameOrPath);
  const what = looksLikePath ? `playbook file ${resolve(nameOrPath)} not found` : `no built-in playbook named '${nameOrPath}'`;
  throw new UsageError(what, `pass a playbook file path or one of the built-in playbooks: ${builtinNames()}`);
}

function builtinNames(): string {
  const names = listBuiltinPlaybooks().map((entry) => entry.name);
  return names.length ? names.join(', ') : '(none installed)';
}
