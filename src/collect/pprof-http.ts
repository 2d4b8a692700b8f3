/**
 * Fetches one profile from a Go service's net/http/pprof endpoints to a file, checks it is
 * what was asked for, and reports profiles that are empty because the service never
 * enabled them.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InterruptedError, UsageError } from '../core/errors.js';
import { DownloadFailure, downloadToFile } from './http-download.js';
import { describeDownloadFailure } from './pprof-failure.js';
import { PprofFetchError } from './pprof-error.js';
import { describeStatusFailure } from './pprof-status.js';
import { buildPprofUrl } from './pprof-url.js';
import { pprofFormat, type PprofFormat } from '../core/pprof-endpoints.js';
import { validatePprofFile } from './pprof-validate.js';

export { PprofFetchError } from './pprof-error.js';

export interface PprofFetchRequest {
  /** The service's pprof listener, e.g. `http://user:pass@10.0.0.5:6060`. */
  targetUrl: string;
  /** Where net/http/pprof is mounted. Default `/debug/pprof`; slashes optional. */
  pprofBase?: string;
  /** Endpoint name: goroutine, heap, allocs, mutex, block, threadcreate, profile, trace … */
  profile: string;
  debug?: '0' | '1' | '2';
  /** Capture length for profile/trace (CPU default on the Go side is 30 s), or a delta profile. */
  seconds?: number;
  /** Deadline for the whole fetch; `seconds` is added to it for timed captures. */
  timeoutMs: number;
  signal?: AbortSignal;
  outputPath: string;
  /**
   * Extra request headers (`--header 'Authorization: Bearer …'`). Sent as given, never
   * logged or stored. An Authorization here and userinfo in the target is a usage error:
   * only one can be sent, and sending either silently would authenticate as someone else.
   */
  headers?: Record<string, string>;
}

export interface PprofFetchResult {
  /** The endpoint, redacted: safe to log, store and print. */
  url: string;
  status: number;
  contentType: string;
  bytes: number;
  sha256: string;
  outputPath: string;
  format: PprofFormat;
  /** Things the user should know although the fetch worked (an empty mutex profile …). */
  problems: string[];
}

/**
 * Streams `targetUrl + pprofBase + profile` to `outputPath` and validates it.
 * @throws UsageError for a bad URL or profile name, or an Authorization header together with
 *   credentials in the target; InterruptedError when `signal` aborts;
 *   PprofFetchError for everything the service or the network did (retryable when worth
 *   retrying; `partialPath` when the deadline or a broken connection cut the body).
 */
export async function fetchPprof(req: PprofFetchRequest): Promise<PprofFetchResult> {
  const { url, authorization, endpoint } = buildPprofUrl(req);
  if (req.signal?.aborted) throw new InterruptedError(`fetch of ${endpoint} was cancelled before it started`);
  const deadlineMs = req.timeoutMs + Math.ceil((req.seconds ?? 0) * 1000);
  await mkdir(dirname(req.outputPath), { recursive: true });

  const headers: Record<string, string> = { 'user-agent': 'gotriage', accept: '*/*' };
  // Lower-cased names: node:http would send `Authorization` and `authorization` as two headers.
  for (const [name, value] of Object.entries(req.headers ?? {})) headers[name.toLowerCase()] = value;
  if (authorization && headers.authorization !== undefined) throw authorizationTwice(url.host);
  if (authorization) headers.authorization = authorization;
  let download;
  try {
    download = await downloadToFile({ url, headers, deadlineMs, signal: req.signal, outputPath: req.outputPath });
  } catch (error) {
    if (!(error instanceof DownloadFailure)) throw error;
    throw describeDownloadFailure(error, {
      endpoint,
      profile: req.profile,
      seconds: req.seconds,
      deadlineMs,
      outputPath: req.outputPath,
    });
  }

  const contentType = String(download.headers['content-type'] ?? '');
  if (download.status !== 200) {
    throw describeStatusFailure({
      endpoint,
      profile: req.profile,
      status: download.status,
      headers: download.headers,
      head: download.head,
      outputPath: req.outputPath,
    });
  }
  const format = pprofFormat(req.profile, req.debug);
  const validation = await validatePprofFile(req.outputPath, { profile: req.profile, format, contentType });
  if (!validation.ok) {
    throw new PprofFetchError(
      `${endpoint} did not return a ${describeFormat(format)}: ${validation.reason}; the raw bytes are kept in ${req.outputPath}`,
      {
        endpoint,
        retryable: false,
        status: download.status,
        artifactPath: req.outputPath,
        hint: 'open the kept file to see what the endpoint serves; check the target URL, the pprof base path and any proxy in front of the service',
      },
    );
  }
  return {
    url: endpoint,
    status: download.status,
    contentType,
    bytes: download.bytes,
    sha256: download.sha256,
    outputPath: req.outputPath,
    format,
    problems: validation.problems,
  };
}

/** Both `--header 'Authorization: …'` and `user:password@` in a target: refused rather than one silently dropped. */
export function authorizationTwice(host: string): UsageError {
  return new UsageError(
    `the target ${host} has credentials in its URL (user:password@) and an Authorization header was given too: only one can be sent`,
    'keep one: remove user:password@ from the target, or the --header Authorization',
  );
}

function describeFormat(format: PprofFormat): string {
  switch (format) {
    case 'pprof-proto':
      return 'gzip profile.proto';
    case 'goroutines-text':
      return 'goroutine dump';
    case 'pprof-text':
      return 'text profile';
    case 'trace':
      return 'Go execution trace';
  }
}
