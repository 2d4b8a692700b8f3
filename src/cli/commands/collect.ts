/**
 * `gotriage collect`: fetch pprof profiles from every target at once into a directory,
 * without a session or a database. Prints one row per file (or JSON with --json);
 * exit 1 when anything failed, 130 when interrupted (finished files stay).
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  captureProfiles,
  DEFAULT_CAPTURE_CONCURRENCY,
  DEFAULT_CAPTURE_TIMEOUT_MS,
  targetDirectories,
  type CaptureResult,
} from '../../collect/capture.js';
import { createProgress, type CollectProgress } from '../../collect/progress.js';
import { ExitCode, InterruptedError, UsageError } from '../../core/errors.js';
import { pprofEndpointOfKind, PPROF_KINDS, type PprofKind } from '../../core/pprof-endpoints.js';
import { redactSecrets } from '../../core/redact.js';
import { terminalFor, type TerminalStream } from '../../core/terminal-writer.js';
import { flag, positiveInt, str, strs, type Options } from '../options.js';
import { listenForInterrupt } from '../interrupt.js';

export interface CollectIo {
  stdout: TerminalStream;
  stderr: TerminalStream;
}

/** Longest capture window accepted; Go's own CPU profile default is 30 s. */
const MAX_SECONDS = 600;

/**
 * Runs `gotriage collect` with commander's option bag: `target` (string[]), `pprofBase`,
 * `profiles` (comma list), `seconds`, `out`, `concurrency`, `timeout`, `json`, `verbose`.
 * Resolves to the exit code; throws UsageError (exit 2) for bad flags before fetching anything.
 */
export async function collectCommand(opts: Options, io: CollectIo = process): Promise<number> {
  const targets = strs(opts, 'target');
  if (targets.length === 0)
    throw new UsageError('collect needs at least one --target URL', 'e.g. gotriage collect --target http://127.0.0.1:6060');
  targetDirectories(targets); // throws UsageError for a target parseOutgoingUrl refuses (collect/outgoing-url.ts)
  const profiles = parseProfiles(str(opts, 'profiles'));
  const seconds = positiveInt(str(opts, 'seconds'), '--seconds', 5);
  if (seconds > MAX_SECONDS) throw new UsageError(`--seconds takes at most ${MAX_SECONDS}, got ${seconds}`);
  const concurrency = positiveInt(str(opts, 'concurrency'), '--concurrency', DEFAULT_CAPTURE_CONCURRENCY);
  const timeoutMs = parseTimeout(str(opts, 'timeout'));
  const outDir = resolve(str(opts, 'out') ?? `collect-${new Date().toISOString().replace(/[:.]/g, '').slice(0, 15)}Z`);
  await mkdir(outDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot create the output directory ${outDir}: ${error.code ?? error.message}`, 'give another --out DIR');
  });

  const stdout = terminalFor(io.stdout);
  const stderr = terminalFor(io.stderr);
  const verbose = flag(opts, 'verbose');
  const timedKinds = profiles.filter((p) => pprofEndpointOfKind(p)?.timed);
  const timed = timedKinds.length > 0 ? ` (${timedKinds.join('/')} window ${seconds} s)` : '';
  stderr.line(`collecting ${profiles.join(', ')} from ${targets.length} target(s) into ${outDir}${timed}`);
  // The first Ctrl-C (or SIGTERM) cancels the capture; finished files stay, the summary still prints.
  const interrupt = listenForInterrupt('stopping the capture; finished files are kept', io.stderr);
  const started = Date.now();
  const progress = progressFor(io.stderr, verbose);
  let results: CaptureResult[];
  try {
    results = await captureProfiles({
      targets,
      pprofBase: str(opts, 'pprofBase'),
      profiles,
      seconds,
      outDir,
      concurrency,
      timeoutMs,
      signal: interrupt.signal,
      progress,
    });
  } finally {
    progress?.close();
    interrupt.dispose();
  }
  const wallMs = Date.now() - started;
  const interrupted = interrupt.signal.aborted;
  const failed = results.filter((r) => r.status === 'failed').length;
  if (flag(opts, 'json')) {
    stdout.json({ outDir, wallMs, failed, results });
  } else {
    stdout.write(formatTable(results));
    const unavailable = results.filter((r) => r.status === 'unavailable').length;
    const ok = results.length - failed - unavailable;
    stdout.line(
      `${ok} file(s) in ${outDir} after ${(wallMs / 1000).toFixed(1)} s; ${failed} failed${unavailable ? `, ${unavailable} not served` : ''}`,
    );
  }
  if (interrupted) throw new InterruptedError(`collection interrupted; finished files are in ${outDir}`);
  return failed > 0 ? ExitCode.failed : ExitCode.ok;
}

/**
 * The same progress a session shows (collect/progress.ts), on stderr: the status block with
 * countdowns on a terminal; with --verbose a plain line per start and end instead; nothing
 * otherwise, so a script reading stderr sees only the heading and real errors.
 */
function progressFor(stderr: TerminalStream, verbose: boolean): CollectProgress | undefined {
  // A stream of its own that is not a TTY, so the writer progress.ts makes for it prints plain lines.
  if (verbose) return createProgress({ stream: { write: (text) => stderr.write(text), isTTY: false } });
  return stderr.isTTY ? createProgress({ stream: stderr }) : undefined;
}

/** `cpu,heap` → kinds, in the order given, without repeats; endpoint names (`profile` for cpu) are accepted too. */
export function parseProfiles(list: string | undefined): PprofKind[] {
  if (list === undefined) return [...PPROF_KINDS];
  const kinds: PprofKind[] = [];
  for (const raw of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const kind = pprofEndpointOfKind(raw)?.kind;
    if (kind === undefined) throw new UsageError(`--profiles: '${raw}' is not a profile kind; kinds are ${PPROF_KINDS.join(', ')}`);
    if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (kinds.length === 0) throw new UsageError('--profiles is empty', `give a comma list of ${PPROF_KINDS.join(', ')}`);
  return kinds;
}

function parseTimeout(text: string | undefined): number {
  if (text === undefined) return DEFAULT_CAPTURE_TIMEOUT_MS;
  const m = /^(\d+)(ms|s|m)$/.exec(text);
  if (!m || Number(m[1]) === 0) throw new UsageError(`--timeout takes a duration like 500ms, 30s or 2m, got '${text}'`);
  return Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
}

function describeResult(r: CaptureResult): string {
  if (r.status === 'ok') return r.problems.length > 0 ? `ok; ${r.problems.join('; ')}` : 'ok';
  if (r.status === 'unavailable') return `n/a: ${r.reason}`;
  return `failed: ${r.reason}${r.hint ? ` (${r.hint})` : ''}`;
}

/** One row per file: target, profile file, bytes, ms, result. Plain text (no colour), aligned. */
export function formatTable(results: readonly CaptureResult[]): string {
  const rows = [
    ['TARGET', 'PROFILE', 'BYTES', 'MS', 'RESULT'],
    ...results.map((r) => [r.target, r.name, String(r.bytes), String(r.ms), describeResult(r)]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((row) => row[c]!.length)));
  const line = (row: string[]) =>
    row.map((cell, c) => (c === 4 ? cell : c === 2 || c === 3 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
  // The reasons come from redacted errors already; redacting again costs nothing and is idempotent.
  return redactSecrets(rows.map(line).join('\n')) + '\n';
}
