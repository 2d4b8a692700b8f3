/**
 * Runs the built CLI (bin/gotriage.js → dist/) as a user would. `npm test` builds
 * first; running vitest alone needs `npm run build` after source changes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { execa, type ResultPromise } from 'execa';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const binPath = `${repoRoot}bin/gotriage.js`;

export function assertBuilt(): void {
  if (!existsSync(`${repoRoot}dist/cli/main.js`)) throw new Error('dist/ is missing: run `npm run build` (npm test does it)');
}

export interface CliOptions {
  db: string;
  cwd?: string;
  env?: Record<string, string>;
  input?: string;
  timeoutMs?: number;
}

/** Starts the CLI; the returned promise never rejects (exit codes are asserted by tests). */
export function cli(args: string[], options: CliOptions): ResultPromise<{ reject: false; all: true; stdin: 'pipe' | 'ignore' }> {
  assertBuilt();
  return execa('node', [binPath, ...args], {
    cwd: options.cwd ?? repoRoot,
    env: { GOTRIAGE_DB: options.db, NO_COLOR: '1', ...options.env },
    reject: false,
    all: true,
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    input: options.input,
    timeout: options.timeoutMs ?? 170_000,
  } as never) as ResultPromise<{ reject: false; all: true; stdin: 'pipe' | 'ignore' }>;
}
