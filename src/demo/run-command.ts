/**
 * Runs the short, one-shot commands the demo helpers need (`go build`, `git …`) and turns
 * failure into the project's typed errors. These are setup steps, not evidence: a non-zero
 * exit is an error here, unlike in the Runner where a failing tool is a result.
 */
import { execa } from 'execa';
import { ToolError, ToolMissingError } from '../core/errors.js';
import { installHintFor } from '../exec/install-hints.js';
import { redactArgv, redactSecrets } from '../core/redact.js';

/** How much of a failed command's stderr goes into the error message. */
const STDERR_TAIL_CHARS = 2000;

export interface RunCommandOptions {
  cwd: string;
  /** Added to (not replacing) process.env; an `undefined` value removes the variable. */
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  /** Kill the command after this long. Default 5 minutes (a cold `go build -race`). */
  timeoutMs?: number;
  /** Write stdout to this file instead of returning it. */
  stdoutFile?: string;
}

export interface CommandOutput {
  stdout: string;
  stderr: string;
}

/**
 * Run `argv` (never through a shell) and return its output. Throws ToolMissingError when
 * argv[0] is not on PATH and ToolError, carrying the tail of stderr, when it fails.
 */
export async function runCommand(argv: readonly string[], options: RunCommandOptions): Promise<CommandOutput> {
  const [file, ...args] = argv;
  if (file === undefined) throw new ToolError('no command to run');
  const result = await execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    cancelSignal: options.signal,
    timeout: options.timeoutMs ?? 300_000,
    stdin: 'ignore',
    stdout: options.stdoutFile === undefined ? 'pipe' : { file: options.stdoutFile },
    reject: false,
    // Commands here do not fork long-lived children, so killing the child is enough;
    // forceKillAfterDelay turns an ignored SIGTERM into SIGKILL.
    forceKillAfterDelay: 2000,
  });
  const shown = redactArgv(argv);
  // execa reports spawn failures (ENOENT) as a result with `failed` and no exit code.
  if ((result as { code?: string }).code === 'ENOENT' && result.exitCode === undefined) {
    throw new ToolMissingError(file, installHintFor(file));
  }
  const stdout = typeof result.stdout === 'string' ? result.stdout : '';
  const stderr = typeof result.stderr === 'string' ? result.stderr : '';
  if (result.failed) {
    const why = result.isCanceled
      ? 'was cancelled'
      : result.timedOut
        ? 'timed out'
        : result.exitCode !== undefined
          ? `exited with code ${result.exitCode}`
          : `could not be started (${result.shortMessage})`;
    throw new ToolError(
      redactSecrets(`\`${shown.join(' ')}\` ${why}${describeStderrTail(stderr)}`),
      shown,
      result.exitCode ?? null,
      result.signal ?? null,
    );
  }
  return { stdout, stderr };
}

/** ": <last lines of stderr>", or nothing when stderr was empty. */
export function describeStderrTail(stderr: string): string {
  // Redacted before the tail is cut, so a secret at the cut is masked whole.
  const trimmed = redactSecrets(stderr).trim();
  if (trimmed === '') return '';
  const tail = trimmed.length > STDERR_TAIL_CHARS ? '…' + trimmed.slice(-STDERR_TAIL_CHARS) : trimmed;
  return `:\n${tail}`;
}
