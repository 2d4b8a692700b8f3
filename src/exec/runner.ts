/**
 * The Runner contract: the one way gotriage starts a process. The implementation
 * (createRunner, in create-runner.ts) wraps execa.
 */
import type { ProcessTracker } from './process-tracker.js';

export interface RunOptions {
  /** Kill the whole process group after this long (TERM, then KILL after graceMs). */
  timeoutMs?: number;
  /** How long to wait between TERM and KILL. Default 2000. */
  graceMs?: number;
  cwd?: string;
  /** Added to (not replacing) process.env. */
  env?: Record<string, string>;
  /** Cancel: kills the group the same way a timeout does. */
  signal?: AbortSignal;
  /** Directory where stdout/stderr files are written (created if missing). */
  outputDir: string;
  /** File name stem for the output files: `<name>.stdout`, `<name>.stderr`. */
  name: string;
  /** Bytes written to the child's stdin, then closed. Default: stdin is ignored. */
  input?: string;
  /** Told before the tool starts, once it runs and when it has ended (process records). */
  tracker?: ProcessTracker;
}

export interface OutputFile {
  path: string;
  sha256: string;
  size: number;
}

export interface RunResult {
  /** argv as started, with secrets redacted (safe to log and store). */
  argv: string[];
  /** null when killed by a signal or when it never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  durationMs: number;
  stdout: OutputFile;
  stderr: OutputFile;
}

export interface Runner {
  /**
   * Run argv[0] with argv[1..] — never through a shell. Resolves for any exit status
   * (a failing tool is evidence); rejects with ToolMissingError when argv[0] is not
   * on PATH, and ToolError when it cannot be started for another reason.
   */
  run(argv: readonly string[], options: RunOptions): Promise<RunResult>;
}
