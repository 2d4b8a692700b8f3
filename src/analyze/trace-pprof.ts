/**
 * Execution trace → delay profiles, through `go tool trace -pprof=KIND trace.out`, which
 * writes a gzip profile.proto on stdout (go-tools.md §5). Runs through the project Runner,
 * so the tool gets its own process group, a timeout and output straight to a file.
 */
import { open } from 'node:fs/promises';
import { ToolError } from '../core/errors.js';
import type { Runner } from '../exec/runner.js';
import { redactSecrets } from '../core/redact.js';
import { decodeProfileFile, type DecodedProfile } from './profile.js';

/** The profiles `go tool trace -pprof` can extract (cmd/trace pprof.go). */
export const TRACE_PPROF_KINDS = ['sync', 'sched', 'syscall', 'net'] as const;
export type TracePprofKind = (typeof TRACE_PPROF_KINDS)[number];

export interface TraceProfile {
  kind: TracePprofKind;
  /** The gzip profile the tool wrote (the run's stdout file, inside outputDir). */
  path: string;
  profile: DecodedProfile;
}

export interface TraceProfileOptions {
  runner: Runner;
  /** Where the tool's stdout/stderr files go. */
  outputDir: string;
  signal?: AbortSignal;
  /** Per kind. Default 120 s: the tool parses the whole trace each time. */
  timeoutMs?: number;
  kinds?: readonly TracePprofKind[];
}

/**
 * Runs `go tool trace -pprof=<kind>` for each kind and decodes what it printed.
 * GOTOOLCHAIN=local pins the installed go: traces are not forward-compatible (the Go 1.23
 * tool rejects a 1.26 trace with "unknown or unsupported trace version"), so the newest
 * installed toolchain must read them, never one a go.mod or the environment selects.
 * Throws ToolError naming the file and the go version when the tool fails.
 */
export async function extractTraceProfiles(tracePath: string, options: TraceProfileOptions): Promise<TraceProfile[]> {
  const profiles: TraceProfile[] = [];
  for (const kind of options.kinds ?? TRACE_PPROF_KINDS) {
    // `--` would be read as the trace file by cmd/trace; a path starting with `-` is made relative instead.
    const file = tracePath.startsWith('-') ? `./${tracePath}` : tracePath;
    const argv = ['go', 'tool', 'trace', `-pprof=${kind}`, file];
    const result = await options.runner.run(argv, {
      outputDir: options.outputDir,
      name: `trace-pprof-${kind}`,
      timeoutMs: options.timeoutMs ?? 120_000,
      signal: options.signal,
      env: { GOTOOLCHAIN: 'local' },
    });
    if (result.exitCode !== 0) {
      const stderr = await readStart(result.stderr.path, 2000);
      const why = result.timedOut ? 'timed out' : result.cancelled ? 'was cancelled' : `exited ${result.exitCode ?? result.signal}`;
      throw new ToolError(
        redactSecrets(`go tool trace -pprof=${kind} could not read ${tracePath}: it ${why}${stderr ? `: ${stderr.trim()}` : ''}`),
        result.argv,
        result.exitCode,
        result.signal,
        result.stderr.path,
        await traceFailureHint(stderr, options.runner, options.outputDir),
      );
    }
    profiles.push({ kind, path: result.stdout.path, profile: await decodeProfileFile(result.stdout.path) });
  }
  return profiles;
}

/** Says which go read the trace: the usual cause is a trace newer than the installed toolchain. */
async function traceFailureHint(stderr: string, runner: Runner, outputDir: string): Promise<string> {
  const version = await goVersion(runner, outputDir);
  if (/unsupported trace version|unknown .*version/i.test(stderr)) {
    return `traces are not forward-compatible: this trace was written by a newer Go than ${version}; install that Go (or newer) and run again`;
  }
  return `the trace was read with ${version} (the newest installed; traces are not forward-compatible); a truncated trace cannot be read: capture it again`;
}

async function goVersion(runner: Runner, outputDir: string): Promise<string> {
  try {
    const result = await runner.run(['go', 'env', 'GOVERSION'], {
      outputDir,
      name: 'go-version',
      timeoutMs: 30_000,
      env: { GOTOOLCHAIN: 'local' },
    });
    return (await readStart(result.stdout.path, 100)).trim() || 'the installed go';
  } catch {
    return 'the installed go';
  }
}

async function readStart(path: string, bytes: number): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
