/**
 * The one place an error becomes text on stderr and an exit code (conventions.md): every
 * command's errors end here, through main() or, for per-file errors, the command itself.
 */
import { CommanderError } from 'commander';
import { ExitCode, GotriageError, InternalError } from '../core/errors.js';
import { terminalFor, type TerminalStream } from '../core/terminal-writer.js';

/** Prints an error once, with its hint (redacted, escaped: messages quote data); returns the exit code. */
export function reportError(error: unknown, stderr: TerminalStream = process.stderr): number {
  const out = terminalFor(stderr);
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help')
      return ExitCode.ok;
    return ExitCode.usage; // commander already printed the message
  }
  if (error instanceof GotriageError && !(error instanceof InternalError)) {
    out.line(`error: ${error.message}`);
    if (error.hint) out.line(error.hint);
    return error.exitCode;
  }
  const internal =
    error instanceof InternalError ? error : new InternalError(error instanceof Error ? error.message : String(error), { cause: error });
  const stack = (error instanceof Error && error.stack) || internal.stack || internal.message;
  out.line(`internal error (a bug in gotriage): ${internal.message}\n${stack}`);
  return ExitCode.internal;
}
