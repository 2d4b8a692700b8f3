/**
 * Ad-hoc capture (`gotriage collect`): every profile kind from every target at once,
 * straight to files, no session and no database. What an on-call engineer would
 * otherwise curl by hand, one endpoint at a time.
 */
import { getMaxListeners, setMaxListeners } from 'node:events';
import { rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../core/errors.js';
import { redactSecrets, redactUrl } from '../core/redact.js';
import { fetchPprof, PprofFetchError } from './pprof-http.js';

/** What `--profiles` accepts; `cpu` is the `profile` endpoint. */
export const PROFILE_KINDS = ['cpu', 'heap', 'allocs', 'goroutine', 'mutex', 'block', 'threadcreate', 'trace', 'goroutineleak'] as const;
export type ProfileKind = (typeof PROFILE_KINDS)[number];

/** Requests in flight at once when the caller does not say. Timed windows go first (see captureProfiles). */
export const DEFAULT_CAPTURE_CONCURRENCY = 64;
/** Per-request deadline on top of the capture window. */
export const DEFAULT_CAPTURE_TIMEOUT_MS = 30_000;

export interface CaptureOptions {
  /** Base URLs of the instances (credentials allowed: sent as Basic auth, never printed). */
  targets: readonly string[];
  /** Where net/http/pprof is mounted. Default `/debug/pprof`. */
  pprofBase?: string;
  profiles: readonly ProfileKind[];
  /** Window of the CPU profile and the execution trace. */
  seconds: number;
  outDir: string;
  signal?: AbortSignal;
  /** Requests in flight at once; 1 captures one target and one profile at a time. */
  concurrency?: number;
  /** Deadline per request, on top of `seconds` for timed captures. */
  timeoutMs?: number;
  /** Called as each file is finished (or has failed), for progress output. */
  onResult?: (result: CaptureResult) => void;
}

export interface CaptureResult {
  /** The target URL, redacted. */
  target: string;
  profile: ProfileKind;
  /** File name within the target's directory, e.g. `cpu.pb.gz`, `goroutine.txt`. */
  name: string;
  /**
   * ok: the file is complete and validated. failed: see `reason`; what arrived is kept as
   * `<name>.failed`. unavailable: the service does not serve this kind (goroutineleak
   * before Go 1.27) — not a failure.
   */
  status: 'ok' | 'failed' | 'unavailable';
  /** Absolute path of what was written (`<name>` when ok, `<name>.failed` when bytes were kept), else undefined. */
  path?: string;
  bytes: number;
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
  profile: ProfileKind;
  endpoint: string;
  debug?: '2';
  seconds?: number;
  name: string;
}

const UNAVAILABLE_GOROUTINELEAK =
  'not served by this service: goroutineleak needs Go 1.26 built with GOEXPERIMENT=goroutineleakprofile, or Go 1.27';

/**
 * Fetches `profiles` from every target into `<outDir>/<host_port>/<profile>.<ext>`
 * (goroutine also as `goroutine.txt`, the debug=2 dump). Settles every request — a dead
 * target never stops the others — and returns one result per file, targets in the given
 * order. At most `concurrency` requests are in flight; the timed captures (cpu, trace) of
 * every target are started first, so their windows overlap and the whole capture takes
 * about one window plus the slowest quick fetch, as long as `concurrency` covers them
 * (2 per target). A fan-out limiter shared with the gather step (src/collect/fanout.ts)
 * can replace runLimited here.
 * When `signal` aborts, requests in flight and not yet started end as `failed` with a
 * "cancelled" reason; finished files stay. The caller decides what an interrupt means.
 * @throws UsageError for a target that is not an http(s) URL, before anything is fetched.
 */
export async function captureProfiles(options: CaptureOptions): Promise<CaptureResult[]> {
  const dirs = targetDirectories(options.targets);
  const jobs = options.targets.flatMap((target, i) => jobsFor(target, join(options.outDir, dirs[i]!), options));
  const timedFirst = [...jobs.keys()].sort(
    (a, b) => Number(jobs[b]!.seconds !== undefined) - Number(jobs[a]!.seconds !== undefined) || a - b,
  );
  const results = new Array<CaptureResult>(jobs.length);
  const limit = options.concurrency ?? DEFAULT_CAPTURE_CONCURRENCY;
  // Every request in flight listens on the one signal (fetchPprof and its download each
  // add a listener); Node warns past 10 listeners on an EventTarget, which is expected here.
  if (options.signal) setMaxListeners(Math.max(getMaxListeners(options.signal), 3 * limit + 10), options.signal);
  await runLimited(timedFirst, limit, async (index) => {
    results[index] = await captureOne(jobs[index]!, options);
    options.onResult?.(results[index]);
  });
  return results;
}

function jobsFor(target: string, dir: string, options: CaptureOptions): CaptureJob[] {
  return options.profiles.flatMap((profile): CaptureJob[] => {
    const base = { target, dir, profile };
    switch (profile) {
      case 'cpu':
        return [{ ...base, endpoint: 'profile', seconds: options.seconds, name: 'cpu.pb.gz' }];
      case 'trace':
        return [{ ...base, endpoint: 'trace', seconds: options.seconds, name: 'trace.out' }];
      case 'goroutine':
        // The proto groups identical stacks (small, for pprof); debug=2 has every goroutine
        // with its wait state and minutes blocked, which the proto does not carry.
        return [
          { ...base, endpoint: 'goroutine', name: 'goroutine.pb.gz' },
          { ...base, endpoint: 'goroutine', debug: '2', name: 'goroutine.txt' },
        ];
      default:
        return [{ ...base, endpoint: profile, name: `${profile}.pb.gz` }];
    }
  });
}

async function captureOne(job: CaptureJob, options: CaptureOptions): Promise<CaptureResult> {
  const finalPath = join(job.dir, job.name);
  // Written under a temporary name and renamed once validated: a file with the profile's
  // name is always a complete, checked profile.
  const partPath = `${finalPath}.part`;
  const started = Date.now();
  const result = (fields: Partial<CaptureResult> & Pick<CaptureResult, 'status'>): CaptureResult => ({
    target: redactUrl(job.target),
    profile: job.profile,
    name: job.name,
    bytes: 0,
    ms: Date.now() - started,
    problems: [],
    ...fields,
  });
  try {
    const fetched = await fetchPprof({
      targetUrl: job.target,
      pprofBase: options.pprofBase,
      profile: job.endpoint,
      debug: job.debug,
      seconds: job.seconds,
      timeoutMs: options.timeoutMs ?? DEFAULT_CAPTURE_TIMEOUT_MS,
      signal: options.signal,
      outputPath: partPath,
    });
    await rename(partPath, finalPath);
    return result({ status: 'ok', path: finalPath, bytes: fetched.bytes, problems: fetched.problems.map(redactSecrets) });
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (job.profile === 'goroutineleak' && error instanceof PprofFetchError && error.status === 404) {
      await rm(partPath, { force: true });
      return result({ status: 'unavailable', reason: UNAVAILABLE_GOROUTINELEAK });
    }
    const failedPath = `${finalPath}.failed`;
    const kept = await rename(partPath, failedPath).then(
      () => true,
      () => false,
    );
    const message = error instanceof Error ? error.message : String(error);
    return result({
      status: 'failed',
      path: kept ? failedPath : undefined,
      bytes: kept ? await sizeOf(failedPath) : 0,
      reason: redactSecrets(message.split(partPath).join(failedPath)),
      hint: error instanceof PprofFetchError && error.hint ? redactSecrets(error.hint) : undefined,
    });
  }
}

async function sizeOf(path: string): Promise<number> {
  return (await stat(path)).size;
}

/**
 * One directory name per target, `<host>_<port>` (`127.0.0.1_6060`, `__1_6060` for [::1]),
 * never containing credentials; targets sharing host and port get `-2`, `-3` …
 * @throws UsageError for a target that is not an http(s) URL.
 */
export function targetDirectories(targets: readonly string[]): string[] {
  const used = new Map<string, number>();
  return targets.map((target) => {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new UsageError(`--target ${redactSecrets(target)} is not a URL: give the service's pprof address like http://127.0.0.1:6060`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UsageError(`--target must be http:// or https://, got ${redactUrl(target)}`);
    }
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    // WHATWG keeps the brackets of an IPv6 hostname ([::1]); they are not part of the address.
    const name = `${url.hostname.replace(/^\[|\]$/g, '')}_${port}`.replace(/[^A-Za-z0-9.-]/g, '_');
    const seen = (used.get(name) ?? 0) + 1;
    used.set(name, seen);
    return seen === 1 ? name : `${name}-${seen}`;
  });
}

/** Runs `work` for every item with at most `limit` in flight, in the order given. */
async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
