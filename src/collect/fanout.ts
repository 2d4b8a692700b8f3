/**
 * Fan-out of pprof fetches over many instances, the one both `gotriage collect`
 * (capture.ts) and sessions use: one Fanout per session, shared by every pprof action
 * (one per `gotriage collect` run), so N targets × K profiles never open more than
 * `concurrency` requests at once (see fanout-limiter.ts for who gets a free slot).
 *
 * Per target (and per gather round) it keeps:
 *  - a deadline for everything fetched from that target, counted while the target has a
 *    request open (fanout-clock.ts), and a request never runs past it (its timeout is
 *    shortened), so a slow or stalled instance ends on time and never holds the others up;
 *  - a breaker: once a target is found down (connection refused, DNS, TLS, no answer
 *    before the deadline) its remaining requests fail at once with that reason instead
 *    of each waiting for its own timeout.
 * A 500 "Could not enable CPU profiling" (another CPU profile runs in that process) is
 * retried once after a short backoff, with the slot given back while waiting. A 404 from
 * an endpoint the table (core/pprof-endpoints.ts) marks optional is "not served", not a
 * failure. Headers given here travel with every request and are never logged or returned.
 */
import { setMaxListeners } from 'node:events';
import { InterruptedError } from '../core/errors.js';
import { notServedReason } from '../core/pprof-endpoints.js';
import { TargetClock } from './fanout-clock.js';
import { classifyFetchFailure } from './fanout-reason.js';
import { RequestLimiter } from './fanout-limiter.js';
import { fetchPprof, PprofFetchError, type PprofFetchRequest, type PprofFetchResult } from './pprof-http.js';
import type { Logger } from '../core/log.js';
import { createLoggerProgress, displayTarget, type CollectProgress, type ProgressTask } from './progress.js';
import { sleep } from '../core/async.js';

/**
 * Requests open at once in a session. A session gathers while the incident is live, beside
 * its own `go test -race` and builds, and repeats samples over minutes: 8 keeps its load on
 * an already struggling fleet small (`--concurrency` raises it). `gotriage collect` has its
 * own default (capture.ts).
 */
export const DEFAULT_CONCURRENCY = 8;
/** Backoff before the one retry of a busy CPU profiler. */
export const DEFAULT_RETRY_BACKOFF_MS = 1000;
/** Added to the longest action budget when no target deadline is configured. */
export const TARGET_DEADLINE_SLACK_MS = 10_000;

/**
 * The most one target can take for `samples` requests like `req`, `intervalMs` apart, when
 * each uses its whole timeout: timeout and window per sample, the intervals, and the one
 * retry of a busy CPU profiler. What an action registers (registerTarget).
 */
export function fetchBudgetMs(req: { profile: string; timeoutMs: number; seconds?: number }, samples = 1, intervalMs = 0): number {
  const perRequest = req.timeoutMs + (req.seconds ?? 0) * 1000;
  const retry = req.profile === 'profile' ? DEFAULT_RETRY_BACKOFF_MS + perRequest : 0;
  return samples * perRequest + (samples - 1) * intervalMs + retry;
}

export interface FanoutOptions {
  /** Requests open at once across the whole session. Default 8. */
  concurrency?: number;
  /**
   * Deadline per target and round, counted while the target has a request open. Default:
   * the longest budget an action registered for the target (samples × (timeout + seconds)
   * + intervals) plus 10 s, so it never cuts a capture that keeps its own timeouts while
   * the target's requests run side by side.
   */
  targetDeadlineMs?: number;
  /** Request headers for every target (`--header`), e.g. Authorization. Never logged or stored. */
  headers?: Record<string, string>;
  progress?: CollectProgress;
  retryBackoffMs?: number;
}

/** One request of an action to one target. */
export interface TargetFetch {
  /** The gather round (`gather12`): deadlines and breakers are per round. */
  round: string;
  target: string;
  /** Progress label, e.g. `cpu 5s` or `heap (sample 2/2)`. */
  what: string;
  request: Omit<PprofFetchRequest, 'targetUrl' | 'headers' | 'signal'>;
  /** The session's cancel signal: an abort rejects (never a failure outcome). */
  signal: AbortSignal;
}

export type FetchOutcome =
  | { ok: true; result: PprofFetchResult; ms: number; retried: boolean }
  | {
      ok: false;
      /** Redacted error, safe to log and store. */
      error: Error;
      /** A few words: `connection refused`, `HTML page instead of a profile` … */
      reason: string;
      /** What arrived, kept on disk: the whole body that was not a profile, or the partial bytes. */
      keptPath?: string;
      /** keptPath holds only the bytes that arrived before a deadline or a broken connection. */
      partial: boolean;
      /**
       * Set when the failure is a 404 from an endpoint this Go does not serve (the table's
       * rule, e.g. goroutineleak before Go 1.27): the reason, and progress said "skipped".
       */
      notServed?: string;
      /** From the start of the request (after its wait for a slot) to its end, retry included. */
      ms: number;
      retried: boolean;
    };

interface TargetState {
  clock: TargetClock;
  /** The breaker: why the target was found down, once it was. */
  down?: string;
}

type Failed = { ok: false; retryBusyCpu: boolean; error: Error; reason: string; keptPath?: string; partial: boolean };
type Attempt = { ok: true; result: PprofFetchResult } | Failed;

export class Fanout {
  readonly limiter: RequestLimiter;
  private readonly targets = new Map<string, TargetState>();
  private readonly headers: Record<string, string>;

  constructor(private readonly options: FanoutOptions = {}) {
    this.limiter = new RequestLimiter(options.concurrency ?? DEFAULT_CONCURRENCY);
    // Lower-case names: Node sends `Authorization` and `authorization` as two headers otherwise.
    this.headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  }

  get progress(): CollectProgress | undefined {
    return this.options.progress;
  }

  /**
   * An action announces what it will ask of `target` in `round`: at most `budgetMs` of
   * its own. Extends the default deadline to the longest budget.
   */
  registerTarget(round: string, target: string, budgetMs: number): void {
    const key = `${round}\u0000${target}`;
    const deadlineMs = this.options.targetDeadlineMs ?? budgetMs + TARGET_DEADLINE_SLACK_MS;
    const state = this.targets.get(key);
    if (!state) this.targets.set(key, { clock: new TargetClock(deadlineMs) });
    else if (deadlineMs > state.clock.deadlineMs) state.clock.deadlineMs = deadlineMs;
  }

  /** Fetches one endpoint from one target under the limiter, the deadline and the breaker. */
  async fetch(job: TargetFetch): Promise<FetchOutcome> {
    const key = `${job.round}\u0000${job.target}`;
    if (!this.targets.has(key)) this.registerTarget(job.round, job.target, fetchBudgetMs(job.request));
    const state = this.targets.get(key)!;
    // Every queued and open request listens on the session's cancel signal (and removes its
    // listener when done): with N targets × K profiles that is legitimately more than
    // Node's default of 10, which would print a MaxListenersExceededWarning.
    setMaxListeners(0, job.signal);
    // The progress task starts when the request does (after its wait for a slot), so a
    // countdown counts the real capture window; so does `ms`.
    let task: ProgressTask | undefined;
    let started: number | undefined;
    const onStart = () => {
      started ??= Date.now();
      task ??= this.options.progress?.start({ target: displayTarget(job.target), what: job.what, seconds: job.request.seconds });
    };
    let retried = false;
    try {
      for (;;) {
        const [attempt, release] = await this.attempt(job, state, onStart);
        if (!attempt.ok && attempt.retryBusyCpu && !retried) {
          release(); // the slot is someone else's while we back off
          retried = true;
          await sleep(this.options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS, job.signal);
          continue;
        }
        // The finish line comes before the slot is given back: with one slot, a request's
        // "done" is printed before the next one's "started".
        try {
          onStart(); // a request refused before it started still gets its start and finish line
          const ms = Date.now() - started!;
          if (attempt.ok) {
            task?.done(attempt.result.bytes);
            return { ok: true, result: attempt.result, ms, retried };
          }
          const notServed = notServedReason(job.request.profile, (attempt.error as { status?: number }).status);
          if (notServed) task?.skip(`not served by this service: ${notServed}`);
          else task?.fail(attempt.reason);
          const { retryBusyCpu: _retry, ...failure } = attempt;
          return { ...failure, notServed, ms, retried };
        } finally {
          release();
        }
      }
    } catch (error) {
      task?.fail('cancelled');
      throw error;
    }
  }

  /**
   * One try under the limiter, the deadline and the breaker. Resolves with the attempt and
   * the function that gives its slot back (the caller reports first); rejects only on a
   * cancel, with the slot already given back.
   */
  private async attempt(job: TargetFetch, state: TargetState, onStart: () => void): Promise<[Attempt, () => void]> {
    const fail = (error: Error, reason: string, extra: Partial<Failed> = {}): Failed => ({
      ok: false,
      retryBusyCpu: false,
      partial: false,
      error,
      reason,
      ...extra,
    });
    const nothingHeld = () => {};
    const skipped = (down: string) =>
      fail(new Error(`skipped ${job.what}: the target failed earlier (${down})`), `skipped: ${down} earlier`);
    if (state.down) return [skipped(state.down), nothingHeld];
    const timed = (job.request.seconds ?? 0) > 0;
    const { clock } = state;
    let slot;
    try {
      slot = await this.limiter.acquire(job.target, timed, AbortSignal.any([job.signal, clock.expired.signal]));
    } catch (error) {
      if (job.signal.aborted) throw error;
      return [fail(error as Error, (error as Error).message), nothingHeld];
    }
    // The breaker may have tripped while this request waited for its slot.
    if (state.down) {
      slot.release();
      return [skipped(state.down), nothingHeld];
    }
    onStart();
    clock.opened();
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      clock.closed();
      slot.release();
    };
    // The request may not outlive the target's deadline: its own timeout is shortened.
    const left = clock.leftMs();
    const windowMs = (job.request.seconds ?? 0) * 1000;
    const cut = left < job.request.timeoutMs + windowMs;
    try {
      if (left <= windowMs) {
        const error = clock.error();
        return [fail(error, error.message), release];
      }
      const result = await fetchPprof({
        ...job.request,
        timeoutMs: cut ? left - windowMs : job.request.timeoutMs,
        targetUrl: job.target,
        headers: this.headers,
        signal: job.signal,
      });
      return [{ ok: true, result }, release];
    } catch (error) {
      if (job.signal.aborted || error instanceof InterruptedError) {
        release();
        throw error;
      }
      const why = classifyFetchFailure(error);
      if (why.targetDown) state.down = why.reason;
      const pprofError = error instanceof PprofFetchError ? error : undefined;
      const timedOut = cut && /^timed out/.test((error as Error).message);
      const reason = timedOut ? `${why.reason}; target deadline of ${Math.round(clock.deadlineMs / 1000)} s reached` : why.reason;
      const failed = fail(error as Error, reason, {
        // net/http/pprof answers 500 only when the CPU profiler is busy or writing failed: worth one retry.
        retryBusyCpu: pprofError?.retryable === true && (pprofError.status ?? 0) >= 500,
        // ToolError.artifactPath: the partial bytes, or the whole body that was not a profile.
        keptPath: pprofError?.artifactPath,
        partial: pprofError?.partialPath !== undefined,
      });
      return [failed, release];
    }
  }

  /** Clears the deadline timers (they are unref'd; this only tidies up). */
  close(): void {
    for (const state of this.targets.values()) state.clock.stop();
  }
}

const sessionFanouts = new WeakMap<object, Fanout>();

/**
 * The session's Fanout: the one handed in (StepEnv.fanout), else one created on first
 * use and kept per context object (with default options and progress lines through the
 * context's logger), so every action of a session shares one limiter.
 */
export function sessionFanout(env: { fanout?: Fanout; ctx: { log: Logger } }): Fanout {
  if (env.fanout) return env.fanout;
  let fanout = sessionFanouts.get(env.ctx);
  if (!fanout) {
    // Plain progress lines through the logger: what the action printed before fan-out existed.
    fanout = new Fanout({ progress: createLoggerProgress(env.ctx.log) });
    sessionFanouts.set(env.ctx, fanout);
  }
  return fanout;
}
