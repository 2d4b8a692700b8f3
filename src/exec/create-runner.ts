/**
 * The one implementation of the Runner contract (src/exec/runner.ts): execa 9 with an
 * argument array, no shell, the tool in its own process group, output straight to files.
 */
import { randomUUID } from 'node:crypto';
import { execa, type Options as ExecaOptions } from 'execa';
import { ToolError, ToolMissingError } from '../core/errors.js';
import { installHintFor } from './install-hints.js';
import {
  closeOutputFds,
  assertSafeOutputName,
  describeOutputFile,
  openOutputFiles,
  removeOutputFiles,
  type OpenedOutputs,
} from './output-files.js';
import { ProcessGroupGuard } from './process-group.js';
import { PROCESS_TAG_VARIABLE, readProcStat, startIdOf } from './proc-table.js';
import type { TrackedProcess } from './process-tracker.js';
import { redactArgv } from '../core/redact.js';
import type { RunOptions, RunResult, Runner } from './runner.js';
import { assertRunnableArgv, assertRunnableOptions } from './validate-run.js';
import { findExecutable } from './which.js';

const DEFAULT_GRACE_MS = 2000;

/**
 * Create the real Runner. `run` resolves for every exit status, timeout and cancel
 * (the result says which), and rejects only when the tool cannot be started:
 * UsageError for a bad argv/options (nothing started), ToolMissingError when argv[0]
 * is not found, ToolError for any other spawn failure (EACCES, …).
 */
export function createRunner(): Runner {
  return { run: runTool };
}

async function runTool(argvIn: readonly string[], options: RunOptions): Promise<RunResult> {
  assertRunnableArgv(argvIn);
  assertRunnableOptions(options);
  assertSafeOutputName(options.name);
  const argv = [...argvIn];
  const tool = argv[0] as string;
  const shownArgv = redactArgv(argv);

  // Look the tool up on the PATH the child will get (spawn searches options.env.PATH),
  // so a missing tool is reported before any output file is created.
  const childPath = options.env?.PATH ?? process.env.PATH;
  if (!tool.includes('/') && findExecutable(tool, childPath) === undefined) {
    throw new ToolMissingError(tool, installHintFor(tool));
  }

  const outputs = openOutputFiles(options.outputDir, options.name);
  const startedAt = Date.now();
  if (options.signal?.aborted) {
    closeOutputFds(outputs);
    return finishResult(shownArgv, outputs, startedAt, { exitCode: null, signal: null, timedOut: false, cancelled: true });
  }

  // Every process the tool starts inherits the tag, even one that leaves the process group.
  const tag = randomUUID();
  let tracked: TrackedProcess | undefined;
  try {
    tracked = await options.tracker?.starting({ kind: 'tool', name: options.name, argv: shownArgv, tag });
  } catch (error) {
    closeOutputFds(outputs);
    removeOutputFiles(outputs);
    throw error;
  }
  if (options.signal?.aborted) {
    // Cancelled while the start was being recorded: nothing was started.
    closeOutputFds(outputs);
    await tracked?.ended({ exitCode: null, signal: null, started: false });
    return finishResult(shownArgv, outputs, startedAt, { exitCode: null, signal: null, timedOut: false, cancelled: true });
  }

  const execaOptions: ExecaOptions = {
    shell: false,
    // setsid(): the tool leads a new process group we can signal as a whole.
    detached: true,
    reject: false,
    // A plain fd number is handed to child_process.spawn unchanged (execa classifies it as a
    // "native" stdio value). execa's types only list 3–9, but any open descriptor works, hence
    // the casts.
    stdout: outputs.stdoutFd as 3,
    stderr: outputs.stderrFd as 3,
    // `input` needs a stdin pipe; without it the tool must not block reading our terminal.
    stdin: options.input === undefined ? 'ignore' : 'pipe',
    input: options.input,
    buffer: false,
    cwd: options.cwd,
    env: { ...options.env, [PROCESS_TAG_VARIABLE]: tag },
    extendEnv: true,
    // We own termination: execa's cleanup skips detached children anyway, and its
    // timeout/cancelSignal would signal only the leader.
    cleanup: false,
    forceKillAfterDelay: false,
  };
  let subprocess;
  try {
    subprocess = execa(tool, argv.slice(1), execaOptions);
  } finally {
    // spawn() has dup'ed the descriptors into the child by now; ours are not needed.
    closeOutputFds(outputs);
  }

  const pid = subprocess.pid;
  // Read at once: the start time tells this process from a later one with the same pid.
  const stat = pid === undefined ? undefined : readProcStat(pid);
  const startId = stat ? startIdOf(stat) : null;
  const guard =
    pid === undefined
      ? undefined
      : new ProcessGroupGuard(pid, options.graceMs ?? DEFAULT_GRACE_MS, { tag, notBeforeTicks: stat?.startTicks, leaderStartId: startId });
  let timedOut = false;
  let cancelled = false;
  const onAbort = () => {
    if (timedOut) return;
    cancelled = true;
    guard?.terminate();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const timer =
    options.timeoutMs && guard
      ? setTimeout(() => {
          if (cancelled) return;
          timedOut = true;
          guard.terminate();
        }, options.timeoutMs)
      : undefined;
  // A tool whose start cannot be recorded is not left running unrecorded: it is stopped.
  let recordError: Error | undefined;
  const recorded =
    pid === undefined || tracked === undefined
      ? undefined
      : tracked.spawned({ pid, pgid: pid, startId }).catch((error: unknown) => {
          recordError = error instanceof Error ? error : new Error(String(error));
          guard?.terminate();
        });

  let result;
  try {
    result = await subprocess;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    await guard?.reapAfterLeaderExit();
    await recorded;
  }
  const started = !(result.exitCode === undefined && result.signal === undefined);
  await tracked?.ended({ exitCode: result.exitCode ?? null, signal: result.signal ?? null, started });
  if (recordError !== undefined) {
    removeOutputFiles(outputs);
    throw recordError;
  }

  if (!started) {
    removeOutputFiles(outputs);
    throw spawnFailure(tool, shownArgv, result.code);
  }
  return finishResult(shownArgv, outputs, startedAt, {
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut,
    cancelled,
  });
}

async function finishResult(
  argv: string[],
  outputs: OpenedOutputs,
  startedAt: number,
  status: Pick<RunResult, 'exitCode' | 'signal' | 'timedOut' | 'cancelled'>,
): Promise<RunResult> {
  const [stdout, stderr] = await Promise.all([describeOutputFile(outputs.stdoutPath), describeOutputFile(outputs.stderrPath)]);
  return { argv, ...status, durationMs: Date.now() - startedAt, stdout, stderr };
}

/**
 * Map a spawn error code to our errors. The message is built from the redacted argv only:
 * execa's own message embeds the raw command line, secrets included.
 */
function spawnFailure(tool: string, shownArgv: string[], code: string | undefined): ToolError {
  if (code === 'ENOENT') return new ToolMissingError(tool, installHintFor(tool));
  const reason = code === 'EACCES' ? 'permission denied (is it executable?)' : (code ?? 'unknown error');
  return new ToolError(
    `could not start ${shownArgv[0] ?? tool}: ${reason}`,
    shownArgv,
    null,
    null,
    undefined,
    'check that the path is an executable file',
  );
}
