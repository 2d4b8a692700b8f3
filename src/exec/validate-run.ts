/**
 * Checks made before a tool is started. Everything here fails with UsageError and starts
 * nothing: a bad value must never reach a command (bad-inputs.md).
 */
import { statSync } from 'node:fs';
import { ToolError, UsageError } from '../core/errors.js';
import { redactArgv, redactSecrets } from '../core/redact.js';
import type { RunOptions } from './runner.js';

/**
 * A NUL byte cannot be passed through execve(2) — C strings end at it — so Node would
 * either throw or the tool would see a silently truncated argument. Refuse it instead,
 * naming the argument (redacted) so the user can find the value that carried it.
 */
export function assertRunnableArgv(argv: readonly string[]): void {
  if (argv.length === 0 || argv[0] === '') {
    throw new UsageError('no command to run: the argument list is empty');
  }
  argv.forEach((arg, index) => {
    if (typeof arg !== 'string') {
      throw new UsageError(`argument ${index} is not a string (${typeof arg})`);
    }
    if (arg.includes('\0')) {
      const shown = JSON.stringify(redactArgv(argv)[index]);
      throw new UsageError(
        `argument ${index} of ${redactSecrets(argv[0] ?? '')} contains a NUL byte: ${shown}`,
        'remove the NUL (\\0) character from the value; nothing was started',
      );
    }
  });
}

/** The same NUL rule for environment values, timeouts that make sense, and an existing cwd. */
export function assertRunnableOptions(options: RunOptions): void {
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (key.includes('\0') || key.includes('=') || String(value).includes('\0')) {
      throw new UsageError(`environment variable ${JSON.stringify(key)} has an invalid name or a NUL byte in its value`);
    }
  }
  for (const field of ['timeoutMs', 'graceMs'] as const) {
    const value = options[field];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
      throw new UsageError(`${field} must be a non-negative number of milliseconds, got ${String(value)}`);
    }
  }
  if (options.cwd !== undefined) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(options.cwd).isDirectory();
    } catch {
      isDirectory = false;
    }
    // spawn reports a missing cwd as ENOENT, which would otherwise look like a missing tool.
    if (!isDirectory) {
      throw new ToolError(
        `working directory ${redactSecrets(options.cwd)} does not exist or is not a directory`,
        [],
        null,
        null,
        undefined,
        'check the cwd of the action (relative paths are resolved against where gotriage runs)',
      );
    }
  }
}
