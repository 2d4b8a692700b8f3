/**
 * The long-running half of src/demo/service.ts: spawn a service in its own process
 * group, read its `listening on` line, and stop the whole group later.
 */
import { finished } from 'node:stream/promises';
import { execa } from 'execa';
import { InterruptedError, ToolError } from '../core/errors.js';
import { ProcessGroupGuard } from '../exec/process-group.js';
import { describeStderrTail } from './run-command.js';
import { createWriteStream } from 'node:fs';

/** The one line the demo service prints on stdout once its socket is bound. */
const LISTENING_LINE = /^listening on (http:\/\/(?:127\.0\.0\.1|\[::1\]):\d+)$/;
/** Keep this much of the service's stderr for error messages. */
const STDERR_KEEP_CHARS = 8192;
/** The `listening on` line is short; anything longer without a newline is not it. */
const MAX_FIRST_LINE_CHARS = 1024;

/** A started service. */
export interface RunningService {
  /** Base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  /** Process id, which is also its process-group id. */
  pid: number;
  /** SIGTERM the process group, SIGKILL it after the grace period; resolves when it is gone. Idempotent. */
  stop(): Promise<void>;
  /** The last few KB the service wrote to stderr (its log). */
  stderrTail(): string;
}

export interface LaunchOptions {
  args: string[];
  env: Record<string, string>;
  signal?: AbortSignal;
  startTimeoutMs: number;
  graceMs: number;
  /** Append everything the service writes to stderr (its log) to this file, as a deployed service's log would be. */
  logFile?: string;
}

/** Spawn `binaryPath` and resolve once it prints its `listening on` line. */
export function launchService(binaryPath: string, options: LaunchOptions): Promise<RunningService> {
  if (options.signal?.aborted) return Promise.reject(new InterruptedError(`start of ${binaryPath} cancelled`));
  const child = execa(binaryPath, options.args, {
    env: options.env,
    // setsid(): the service and anything it forks share a group we can signal as one.
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    // execa's cleanup skips detached children; ProcessGroupGuard has its own exit hook.
    cleanup: false,
  });
  let stderr = '';
  if (options.logFile && child.stderr) child.stderr.pipe(createWriteStream(options.logFile, { flags: 'a' }));
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
  });
  // Resolves once the process has exited (execa never rejects with reject: false) AND
  // its stderr has been read to the end: with buffer: false execa may settle on 'exit'
  // before the last 'data' events, which would lose the very lines that explain a crash.
  const stderrDrained = child.stderr ? finished(child.stderr).catch(() => undefined) : Promise.resolve();
  const exited = Promise.all([child, stderrDrained]).then(([result]) => result);

  return new Promise<RunningService>((resolve, reject) => {
    const pid = child.pid;
    if (pid === undefined) {
      // Spawn failed (missing or non-executable binary): execa reports it on the promise.
      void exited.then((result) =>
        reject(new ToolError(`cannot start ${binaryPath}: ${result.shortMessage}`, [binaryPath, ...options.args])),
      );
      return;
    }
    const guard = new ProcessGroupGuard(pid, options.graceMs);
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= (async () => {
        guard.terminate();
        await exited;
        // Also waits for (and kills) anything the service forked into its group.
        await guard.reapAfterLeaderExit();
        options.signal?.removeEventListener('abort', onAbort);
      })();
      return stopping;
    };
    let settled = false;
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(error));
    };
    const onAbort = () => {
      if (settled) void stop();
      else fail(new InterruptedError(`start of ${binaryPath} cancelled`));
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () =>
        fail(
          new ToolError(`${binaryPath} did not print "listening on …" within ${options.startTimeoutMs} ms${describeStderrTail(stderr)}`, [
            binaryPath,
            ...options.args,
          ]),
        ),
      options.startTimeoutMs,
    );

    let firstLine = '';
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (settled) return; // later stdout is drained and ignored so the pipe never fills
      firstLine += chunk;
      const newline = firstLine.indexOf('\n');
      if (newline < 0 && firstLine.length < MAX_FIRST_LINE_CHARS) return;
      const line = (newline < 0 ? firstLine : firstLine.slice(0, newline)).trimEnd();
      const match = LISTENING_LINE.exec(line);
      if (!match?.[1]) {
        fail(
          new ToolError(`${binaryPath} printed ${JSON.stringify(line.slice(0, 200))} instead of "listening on http://127.0.0.1:PORT"`, [
            binaryPath,
            ...options.args,
          ]),
        );
        return;
      }
      settled = true;
      clearTimeout(timer);
      resolve({ url: match[1], pid, stop, stderrTail: () => stderr });
    });

    void exited.then((result) => {
      const how = result.signal ? `was killed by ${result.signal}` : `exited with code ${result.exitCode}`;
      fail(
        new ToolError(
          `${binaryPath} ${how} before listening${describeStderrTail(stderr)}`,
          [binaryPath, ...options.args],
          result.exitCode ?? null,
          result.signal ?? null,
        ),
      );
    });
  });
}
