/**
 * The one place an error becomes text on stderr and an exit code (conventions.md): every
 * command's errors end here, through main() or, for per-file errors, the command itself.
 */
import { CommanderError } from 'commander';
import { ExitCode, GotriageError, InternalError } from '../core/errors.js';
import { redactSecrets } from '../core/redact.js';

/** Prints an error once, with its hint; returns the exit code. */
export function reportError(error: unknown, stderr: NodeJS.WritableStream = process.stderr): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
      return ExitCode.ok;
    return ExitCode.usage; // commander already printed the message
  }
  if (error instanceof GotriageError && !(error instanceof InternalError)) {
    stderr.write(redactSecrets(`error: ${error.message}\n`));
    if (error.hint) stderr.write(redactSecrets(`${error.hint}\n`));
    return error.exitCode;
  }
  const internal =
    error instanceof InternalError ? error : new InternalError(error instanceof Error ? error.message : String(error), { cause: error });
  const stack = (error instanceof Error && error.stack) || internal.stack || internal.message;
  stderr.write(redactSecrets(`internal error (a bug in gotriage): ${internal.message}\n${stack}\n`));
  return ExitCode.internal;
}
