/**
 * Typed errors. They are thrown deep in the code and printed once, at the top, by
 * src/cli/main.ts, which alone turns them into an exit code (see conventions.md).
 */

/** Exit codes shared by every command. */
export const ExitCode = {
  ok: 0,
  failed: 1,
  usage: 2,
  internal: 70,
  interrupted: 130,
} as const;

export abstract class GotriageError extends Error {
  abstract readonly exitCode: number;
  /** A line telling the user what to do next, printed after the message. */
  hint?: string;
}

/** Bad flags, a missing answer, a value that must not reach a command. */
export class UsageError extends GotriageError {
  readonly exitCode = ExitCode.usage;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'UsageError';
    this.hint = hint;
  }
}

/** A playbook that does not parse or does not match the schema. */
export class PlaybookError extends GotriageError {
  readonly exitCode = ExitCode.usage;
  constructor(
    message: string,
    readonly file: string,
    readonly line: number,
    readonly col: number,
    /** The key path inside the document, e.g. `steps.gather.actions[2].timeout`. */
    readonly path: string = '',
  ) {
    super(`${file}:${line}:${col}: ${message}`);
    this.name = 'PlaybookError';
  }
}

/** A tool ran and failed in a way that is not evidence (or could not be started). */
export class ToolError extends GotriageError {
  readonly exitCode = ExitCode.failed;
  constructor(
    message: string,
    readonly argv: readonly string[] = [],
    readonly toolExitCode: number | null = null,
    readonly signal: string | null = null,
    /** Where the tool's output was kept, when it ran at all. */
    readonly artifactPath?: string,
    hint?: string,
  ) {
    super(message);
    this.name = 'ToolError';
    this.hint = hint;
  }
}

/** A required binary (go, dlv, dot) is not on PATH. */
export class ToolMissingError extends ToolError {
  constructor(
    readonly tool: string,
    installHint: string,
  ) {
    super(`${tool} not found on PATH`, [tool], null, null, undefined, installHint);
    this.name = 'ToolMissingError';
  }
}

/** A step failed; the session is saved and can be resumed. */
export class StepError extends GotriageError {
  readonly exitCode = ExitCode.failed;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'StepError';
    this.hint = hint;
  }
}

/** Ctrl-C / SIGTERM: the session was saved before this is thrown. */
export class InterruptedError extends GotriageError {
  readonly exitCode = ExitCode.interrupted;
  constructor(message = 'interrupted', hint?: string) {
    super(message);
    this.name = 'InterruptedError';
    this.hint = hint;
  }
}

/** A database file that is not ours, is corrupt, or is newer than this build. */
export class StoreError extends GotriageError {
  readonly exitCode = ExitCode.failed;
  constructor(message: string, hint?: string) {
    super(message);
    this.name = 'StoreError';
    this.hint = hint;
  }
}

/** A bug in gotriage itself: printed with its stack. */
export class InternalError extends GotriageError {
  readonly exitCode = ExitCode.internal;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InternalError';
  }
}
