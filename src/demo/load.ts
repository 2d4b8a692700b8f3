/**
 * A small load generator for the demo service: a fixed number of workers fetch the given
 * paths in turn until stopped. It only ever talks to loopback addresses — it exists to
 * make a local demo service misbehave, never to load someone else's server.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UsageError } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';

export interface LoadOptions {
  /** Paths requested in turn, e.g. `['/export', '/hit', '/checksum?n=3000']`. Each starts with one `/`. */
  paths: string[];
  /** Number of concurrent workers (1–64). */
  concurrency: number;
  /** Aborting it stops the load, like stop(). */
  signal?: AbortSignal;
  /** Per-request timeout. Default 2000 ms. */
  requestTimeoutMs?: number;
  /** The load stops by itself after this long. Default 10 minutes. */
  maxDurationMs?: number;
}

export interface PathStats {
  ok: number;
  failed: number;
}

export interface LoadStats {
  /** Responses with a 2xx status. */
  ok: number;
  /** Other statuses, network errors and per-request timeouts. */
  failed: number;
  durationMs: number;
  byPath: Record<string, PathStats>;
}

export interface RunningLoad {
  /** Stop the workers (in-flight requests are aborted, not counted) and return the counts. */
  stop(): Promise<LoadStats>;
  /** Settles with the same counts once the load has stopped for any reason. */
  done: Promise<LoadStats>;
}

const MAX_CONCURRENCY = 64;
/** Pause after a failed request so a dead service does not turn the workers into a busy loop. */
const FAILURE_BACKOFF_MS = 50;

/**
 * Start loading `baseUrl` (a loopback http(s) URL). Throws UsageError at once for a
 * non-loopback host, a path that is not a plain absolute path, or a bad concurrency.
 */
export function startLoad(baseUrl: string, options: LoadOptions): RunningLoad {
  const targets = resolveLoadTargets(baseUrl, options.paths);
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1 || options.concurrency > MAX_CONCURRENCY) {
    throw new UsageError(`load concurrency must be an integer from 1 to ${MAX_CONCURRENCY}, got ${options.concurrency}`);
  }
  const requestTimeoutMs = options.requestTimeoutMs ?? 2000;
  const stopper = new AbortController();
  const stopNow = () => stopper.abort();
  options.signal?.addEventListener('abort', stopNow, { once: true });
  if (options.signal?.aborted) stopNow();
  const maxTimer = setTimeout(stopNow, options.maxDurationMs ?? 600_000);

  const byPath: Record<string, PathStats> = {};
  for (const { path } of targets) byPath[path] = { ok: 0, failed: 0 };
  const started = Date.now();
  let turn = 0;

  const runWorker = async (): Promise<void> => {
    while (!stopper.signal.aborted) {
      const target = targets[turn++ % targets.length]!;
      const counts = byPath[target.path]!;
      try {
        const response = await fetch(target.url, {
          signal: AbortSignal.any([stopper.signal, AbortSignal.timeout(requestTimeoutMs)]),
          // A redirect could lead off loopback; count it as a failure instead of following it.
          redirect: 'manual',
        });
        // Read the body so undici can reuse the keep-alive connection.
        await response.arrayBuffer();
        if (response.ok) counts.ok++;
        else counts.failed++;
      } catch {
        if (stopper.signal.aborted) return; // cut short by stop(): neither ok nor failed
        counts.failed++;
        await sleep(FAILURE_BACKOFF_MS, undefined, { signal: stopper.signal }).catch(() => undefined);
      }
    }
  };

  const done = Promise.all(Array.from({ length: options.concurrency }, runWorker)).then((): LoadStats => {
    clearTimeout(maxTimer);
    options.signal?.removeEventListener('abort', stopNow);
    const totals = Object.values(byPath).reduce((sum, s) => ({ ok: sum.ok + s.ok, failed: sum.failed + s.failed }), { ok: 0, failed: 0 });
    return { ...totals, durationMs: Date.now() - started, byPath };
  });
  return {
    stop: () => {
      stopNow();
      return done;
    },
    done,
  };
}

interface LoadTarget {
  path: string;
  url: string;
}

/** Check the base URL is loopback and each path stays on it; return the full URLs. */
function resolveLoadTargets(baseUrl: string, paths: readonly string[]): LoadTarget[] {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new UsageError(`not a URL: ${redactUrl(baseUrl)}`);
  }
  if ((base.protocol !== 'http:' && base.protocol !== 'https:') || !isLoopbackHost(base.hostname)) {
    throw new UsageError(
      `refusing to generate load against ${redactUrl(baseUrl)}: only http(s) on a loopback address (127.0.0.0/8 or [::1]) is allowed`,
      'run the demo service locally; it listens on 127.0.0.1 by default',
    );
  }
  if (paths.length === 0) throw new UsageError('no paths to load: give at least one, e.g. /healthz');
  return paths.map((p) => {
    // "//host/x" is a scheme-relative URL and would switch hosts; demand one leading slash.
    if (!p.startsWith('/') || p.startsWith('//') || /[\s\\]/.test(p)) {
      throw new UsageError(`load path must be an absolute path like /healthz, got ${JSON.stringify(p)}`);
    }
    const url = new URL(p, base);
    return { path: p, url: url.href };
  });
}

/**
 * Literal loopback addresses only. "localhost" is refused on purpose: it is resolved
 * through /etc/hosts and DNS, which can point it anywhere.
 */
function isLoopbackHost(hostname: string): boolean {
  if (hostname === '[::1]') return true; // WHATWG URL keeps the brackets in hostname
  const parts = hostname.split('.');
  return parts.length === 4 && parts[0] === '127' && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}
