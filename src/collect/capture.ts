/**
 * Ad-hoc capture (`gotriage collect`): every profile kind from every target at once,
 * straight to files, no session and no database. What an on-call engineer would
 * otherwise curl by hand, one endpoint at a time.
 *
 * The requests go through the same Fanout as a session's (fanout.ts): one limiter with
 * timed captures first, a deadline and a breaker per target, the one retry of a busy CPU
 * profiler, the endpoint table's "not served" rule and the same progress output.
 */
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  describePprofCapture,
  pprofEndpointOfKind,
  pprofFormat,
  type PprofDebug,
  type PprofFormat,
  type PprofKind,
} from '../core/pprof-endpoints.js';
import { InterruptedError } from '../core/errors.js';
import { redactSecrets, redactUrl } from '../core/redact.js';
import { Fanout, fetchBudgetMs, type FetchOutcome } from './fanout.js';
import { parseOutgoingUrl } from './outgoing-url.js';
import type { CollectProgress } from './progress.js';

/**
 * Requests in flight at once when the caller does not say. Higher than a session's 8
 * (fanout.ts) on purpose: grabbing every kind from every instance at once is the point of
 * the command, it runs once for about one window (not for minutes beside builds and
 * tests), and the windows only overlap when every timed capture (2 per target) is open at
 * the same time — 64 covers 32 targets.
 */
export const DEFAULT_CAPTURE_CONCURRENCY = 64;
/** Per-request deadline on top of the capture window. */
export const DEFAULT_CAPTURE_TIMEOUT_MS = 30_000;

/** The one fan-out round of a capture: deadlines and breakers are per round. */
const ROUND = 'collect';

export interface CaptureOptions {
  /** Base URLs of the instances (credentials allowed: sent as Basic auth, never printed). */
  targets: readonly string[];
  /** Where net/http/pprof is mounted. Default `/debug/pprof`. */
  pprofBase?: string;
  profiles: readonly PprofKind[];
  /** Window of the CPU profile and the execution trace. */
  seconds: number;
  outDir: string;
  signal?: AbortSignal;
  /** Requests in flight at once; 1 captures one target and one profile at a time. */
  concurrency?: number;
  /** Deadline per request, on top of `seconds` for timed captures. */
  timeoutMs?: number;
  /** Deadline per target (fanout.ts); default from the longest request. */
  targetDeadlineMs?: number;
  /** Backoff before the one retry of a busy CPU profiler (fanout.ts default). */
  retryBackoffMs?: number;
  /** Started / done / failed per file, as a session shows it (progress.ts). */
  progress?: CollectProgress;
  /** Called as each file is finished (or has failed). */
  onResult?: (result: CaptureResult) => void;
}

export interface CaptureResult {
  /** The target URL, redacted. */
  target: string;
  profile: PprofKind;
  /** File name within the target's directory, e.g. `cpu.pb.gz`, `goroutine.txt`. */
  name: string;
  /**
   * ok: the file is complete and validated. failed: see `reason`; what arrived is kept as
   * `<name>.failed`. unavailable: the service does not serve this kind (the endpoint
   * table's 404 rule: goroutineleak before Go 1.27) — not a failure.
   */
  status: 'ok' | 'failed' | 'unavailable';
  /** Absolute path of what was written (`<name>` when ok, `<name>.failed` when bytes were kept), else undefined. */
  path?: string;
  bytes: number;
  /** From the start of the request (after its wait for a slot) to its end. */
  ms: number;
  /** Why it failed or is unavailable (redacted). */
  reason?: string;
  hint?: string;
  /** Things to know although it worked, e.g. an empty mutex profile and how to enable it. */
  problems: string[];
}

interface CaptureJob {
  target: string;
  dir: string;
  profile: PprofKind;
  /** The endpoint name (`profile` for cpu). */
  endpoint: string;
  debug?: PprofDebug;
  seconds?: number;
  name: string;
}

/** File name extension per response format. */
const EXTENSION: Record<PprofFormat, string> = { 'pprof-proto': 'pb.gz', trace: 'out', 'goroutines-text': 'txt', 'pprof-text': 'txt' };

/**
 * Fetches `profiles` from every target into `<outDir>/<host_port>/<profile>.<ext>`
 * (goroutine also as `goroutine.txt`, the debug=2 dump). Settles every request — a dead
 * target never stops the others — and returns one result per file, targets in the given
 * order. At most `concurrency` requests are in flight; the timed captures (cpu, trace) of
 * every target get slots first, so their windows overlap and the whole capture takes
 * about one window plus the slowest quick fetch, as long as `concurrency` covers them.
 * When `signal` aborts, requests in flight and not yet started end as `failed` with a
 * "cancelled" reason; finished files stay. The caller decides what an interrupt means.
 * @throws UsageError for a target parseOutgoingUrl refuses, before anything is fetched.
 */
export async function captureProfiles(options: CaptureOptions): Promise<CaptureResult[]> {
  const dirs = targetDirectories(options.targets);
  const jobs = options.targets.flatMap((target, i) => jobsFor(target, join(options.outDir, dirs[i]!), options));
  const fanout = new Fanout({
    concurrency: options.concurrency ?? DEFAULT_CAPTURE_CONCURRENCY,
    targetDeadlineMs: options.targetDeadlineMs,
    retryBackoffMs: options.retryBackoffMs,
    progress: options.progress,
  });
  const timeoutMs = options.timeoutMs ?? DEFAULT_CAPTURE_TIMEOUT_MS;
  for (const job of jobs)
    fanout.registerTarget(ROUND, job.target, fetchBudgetMs({ profile: job.endpoint, timeoutMs, seconds: job.seconds }));
  const signal = options.signal ?? new AbortController().signal;
  try {
    return await Promise.all(
      jobs.map(async (job) => {
        const result = await captureOne(fanout, job, { ...options, timeoutMs, signal });
        options.onResult?.(result);
        return result;
      }),
    );
  } finally {
    fanout.close();
  }
}

function jobsFor(target: string, dir: string, options: CaptureOptions): CaptureJob[] {
  return options.profiles.flatMap((profile): CaptureJob[] => {
    const row = pprofEndpointOfKind(profile)!;
    const job = (debug?: PprofDebug): CaptureJob => ({
      target,
      dir,
      profile,
      endpoint: row.endpoint,
      debug,
      seconds: row.timed ? options.seconds : undefined,
      name: `${profile}.${EXTENSION[pprofFormat(row.endpoint, debug)]}`,
    });
    // The proto groups identical stacks (small, for pprof); debug=2 has every goroutine
    // with its wait state and minutes blocked, which the proto does not carry.
    return profile === 'goroutine' ? [job(), job('2')] : [job()];
  });
}

async function captureOne(
  fanout: Fanout,
  job: CaptureJob,
  options: CaptureOptions & { timeoutMs: number; signal: AbortSignal },
): Promise<CaptureResult> {
  const finalPath = join(job.dir, job.name);
  // Written under a temporary name and renamed once validated: a file with the profile's
  // name is always a complete, checked profile.
  const partPath = `${finalPath}.part`;
  const failedPath = `${finalPath}.failed`;
  const called = Date.now();
  const result = (fields: Partial<CaptureResult> & Pick<CaptureResult, 'status' | 'ms'>): CaptureResult => ({
    target: redactUrl(job.target),
    profile: job.profile,
    name: job.name,
    bytes: 0,
    problems: [],
    ...fields,
  });
  // What arrived of a failed request stays as `<name>.failed`, and messages point there.
  const keepFailed = async (error: Error): Promise<CaptureResult> => {
    const kept = await rename(partPath, failedPath).then(
      () => true,
      () => false,
    );
    return result({
      status: 'failed',
      ms: Date.now() - called,
      path: kept ? failedPath : undefined,
      bytes: kept ? (await stat(failedPath)).size : 0,
      reason: redactSecrets(error.message.split(partPath).join(failedPath)),
      hint: hintOf(error),
    });
  };
  let outcome: FetchOutcome;
  try {
    outcome = await fanout.fetch({
      round: ROUND,
      target: job.target,
      what: describePprofCapture({ profile: job.endpoint, debug: job.debug, seconds: job.seconds }),
      signal: options.signal,
      request: {
        pprofBase: options.pprofBase,
        profile: job.endpoint,
        debug: job.debug,
        seconds: job.seconds,
        timeoutMs: options.timeoutMs,
        outputPath: partPath,
      },
    });
  } catch (error) {
    // Only a cancel rejects (fanout.ts): the request was cut, or never started.
    const cancelled = error instanceof InterruptedError ? error : new InterruptedError(`cancelled before ${job.name} was requested`);
    return keepFailed(cancelled);
  }
  if (outcome.ok) {
    await rename(partPath, finalPath);
    const problems = outcome.result.problems.map(redactSecrets);
    return result({ status: 'ok', ms: outcome.ms, path: finalPath, bytes: outcome.result.bytes, problems });
  }
  if (outcome.notServed) {
    await rm(partPath, { force: true });
    return result({ status: 'unavailable', ms: outcome.ms, reason: `not served by this service: ${outcome.notServed}` });
  }
  return { ...(await keepFailed(outcome.error)), ms: outcome.ms };
}

function hintOf(error: Error): string | undefined {
  const hint = (error as { hint?: unknown }).hint;
  return typeof hint === 'string' && hint ? redactSecrets(hint) : undefined;
}

/**
 * One directory name per target, `<host>_<port>` (`127.0.0.1_6060`, `__1_6060` for [::1])
 * of the host actually contacted, never containing credentials; targets sharing host and
 * port get `-2`, `-3` …
 * @throws UsageError for a target parseOutgoingUrl refuses.
 */
export function targetDirectories(targets: readonly string[]): string[] {
  const used = new Map<string, number>();
  return targets.map((target) => {
    const { url } = parseOutgoingUrl(target, '--target');
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    // WHATWG keeps the brackets of an IPv6 hostname ([::1]); they are not part of the address.
    const name = `${url.hostname.replace(/^\[|\]$/g, '')}_${port}`.replace(/[^A-Za-z0-9.-]/g, '_');
    const seen = (used.get(name) ?? 0) + 1;
    used.set(name, seen);
    return seen === 1 ? name : `${name}-${seen}`;
  });
}
