/**
 * Fan-out of pprof fetches over many instances: one Fanout per session, shared by every
 * pprof action, so N targets × K profiles never open more than `concurrency` requests at
 * once (see fanout-limiter.ts for who gets a free slot).
 *
 * Per target (and per gather round) it keeps:
 *  - a deadline for everything fetched from that target: time queued for a slot counts,
 *    and a request never runs past it (its timeout is shortened), so a slow or dead
 *    instance ends on time and never holds the others up;
 *  - a breaker: once a target is found down (connection refused, DNS, TLS, no answer
 *    before the deadline) its remaining requests fail at once with that reason instead
 *    of each waiting for its own timeout.
 * A 500 "Could not enable CPU profiling" (another CPU profile runs in that process) is
 * retried once after a short backoff, with the slot given back while waiting.
 * Headers given here travel with every request and are never logged or returned.
 */
import { setMaxListeners } from 'node:events';
import { InterruptedError } from '../core/errors.js';
import { classifyFetchFailure } from './fanout-reason.js';
import { RequestLimiter } from './fanout-limiter.js';
import { fetchPprof, PprofFetchError, type PprofFetchRequest, type PprofFetchResult } from './pprof-http.js';
import type { Logger } from '../core/log.js';
import { createLoggerProgress, displayTarget, type CollectProgress, type ProgressTask } from './progress.js';
import { sleep } from '../core/async.js';

export const DEFAULT_CONCURRENCY = 8;
/** Backoff before the one retry of a busy CPU profiler. */
export const DEFAULT_RETRY_BACKOFF_MS = 1000;
/** Added to the longest action budget when no target deadline is configured. */
export const TARGET_DEADLINE_SLACK_MS = 10_000;

export interface FanoutOptions {
  /** Requests open at once across the whole session. Default 8. */
  concurrency?: number;
  /**
   * Overall deadline per target and round. Default: the longest budget an action
   * registered for the target (samples × (timeout + seconds) + intervals) plus 10 s, so
   * it never cuts a capture that keeps its own timeouts.
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
  /** A 404 means the service does not offer this endpoint (goroutineleak on older Go): progress says skipped. */
  absentIsSkip?: boolean;
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
      ms: number;
      retried: boolean;
    };

interface TargetState {
  startedAt: number;
  deadlineMs: number;
  /** Aborted when the target's deadline passes: queued requests stop waiting. */
  expired: AbortController;
  timer?: NodeJS.Timeout;
  down?: string;
}

type Failed = { ok: false; retryBusyCpu: boolean; error: Error; reason: string; keptPath?: string; partial: boolean };
type Attempt = { ok: true; result: PprofFetchResult } | Failed;

class TargetDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`target deadline of ${Math.round(deadlineMs / 1000)} s passed`);
  }
}

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
   * its own. Starts the target's clock; extends the default deadline to the longest budget.
   */
  registerTarget(round: string, target: string, budgetMs: number): void {
    const key = `${round}\u0000${target}`;
    let state = this.targets.get(key);
    if (!state) {
      state = { startedAt: Date.now(), deadlineMs: 0, expired: new AbortController() };
      this.targets.set(key, state);
    }
    const deadlineMs = this.options.targetDeadlineMs ?? Math.max(state.deadlineMs, budgetMs + TARGET_DEADLINE_SLACK_MS);
    if (deadlineMs === state.deadlineMs && state.timer) return;
    state.deadlineMs = deadlineMs;
    if (state.timer) clearTimeout(state.timer);
    const left = state.startedAt + deadlineMs - Date.now();
    const expired = state.expired;
    state.timer = setTimeout(() => expired.abort(new TargetDeadlineError(deadlineMs)), Math.max(0, left));
    state.timer.unref(); // never keeps the process alive on its own
  }

  /** Fetches one endpoint from one target under the limiter, the deadline and the breaker. */
  async fetch(job: TargetFetch): Promise<FetchOutcome> {
    const key = `${job.round}\u0000${job.target}`;
    if (!this.targets.has(key)) this.registerTarget(job.round, job.target, job.request.timeoutMs + (job.request.seconds ?? 0) * 1000);
    const state = this.targets.get(key)!;
    // Every queued and open request listens on the session's cancel signal (and removes its
    // listener when done): with N targets × K profiles that is legitimately more than
    // Node's default of 10, which would print a MaxListenersExceededWarning.
    setMaxListeners(0, job.signal);
    const started = Date.now();
    // The progress task starts when the request does (after its wait for a slot), so a
    // countdown counts the real capture window.
    let task: ProgressTask | undefined;
    const onStart = () =>
      (task ??= this.options.progress?.start({ target: displayTarget(job.target), what: job.what, seconds: job.request.seconds }));
    let retried = false;
    try {
      for (;;) {
        const attempt = await this.attempt(job, state, onStart);
        if (!attempt.ok && attempt.retryBusyCpu && !retried) {
          retried = true;
          await sleep(this.options.retryBackoffMs ?? DEFAULT_RETRY_BACKOFF_MS, job.signal);
          continue;
        }
        const ms = Date.now() - started;
        if (attempt.ok) {
          task?.done(attempt.result.bytes);
          return { ok: true, result: attempt.result, ms, retried };
        }
        onStart(); // a request refused before it started still gets its start and finish line
        if (job.absentIsSkip && (attempt.error as { status?: number }).status === 404) task?.skip('not served by this service');
        else task?.fail(attempt.reason);
        const { retryBusyCpu: _retry, ...failure } = attempt;
        return { ...failure, ms, retried };
      }
    } catch (error) {
      task?.fail('cancelled');
      throw error;
    }
  }

  private async attempt(job: TargetFetch, state: TargetState, onStart: () => void): Promise<Attempt> {
    const fail = (error: Error, reason: string, extra: Partial<Failed> = {}): Failed => ({
      ok: false,
      retryBusyCpu: false,
      partial: false,
      error,
      reason,
      ...extra,
    });
    if (state.down)
      return fail(new Error(`skipped ${job.what}: the target failed earlier (${state.down})`), `skipped: ${state.down} earlier`);
    const timed = (job.request.seconds ?? 0) > 0;
    let slot;
    try {
      slot = await this.limiter.acquire(job.target, timed, AbortSignal.any([job.signal, state.expired.signal]));
    } catch (error) {
      if (job.signal.aborted) throw error;
      return fail(error as Error, (error as Error).message);
    }
    onStart();
    // The request may not outlive the target's deadline: its own timeout is shortened.
    const left = state.startedAt + state.deadlineMs - Date.now();
    const windowMs = (job.request.seconds ?? 0) * 1000;
    const cut = left < job.request.timeoutMs + windowMs;
    try {
      if (left <= windowMs) {
        const error = new TargetDeadlineError(state.deadlineMs);
        return fail(error, error.message);
      }
      const result = await fetchPprof({
        ...job.request,
        timeoutMs: cut ? left - windowMs : job.request.timeoutMs,
        targetUrl: job.target,
        headers: this.headers,
        signal: job.signal,
      });
      return { ok: true, result };
    } catch (error) {
      if (job.signal.aborted || error instanceof InterruptedError) throw error;
      const why = classifyFetchFailure(error);
      if (why.targetDown) state.down = why.reason;
      const pprofError = error instanceof PprofFetchError ? error : undefined;
      const timedOut = cut && /^timed out/.test((error as Error).message);
      return fail(
        error as Error,
        timedOut ? `${why.reason}; target deadline of ${Math.round(state.deadlineMs / 1000)} s reached` : why.reason,
        {
          // net/http/pprof answers 500 only when the CPU profiler is busy or writing failed: worth one retry.
          retryBusyCpu: pprofError?.retryable === true && (pprofError.status ?? 0) >= 500,
          // ToolError.artifactPath: the partial bytes, or the whole body that was not a profile.
          keptPath: pprofError?.artifactPath,
          partial: pprofError?.partialPath !== undefined,
        },
      );
    } finally {
      slot.release();
    }
  }

  /** Clears the deadline timers (they are unref'd; this only tidies up). */
  close(): void {
    for (const state of this.targets.values()) if (state.timer) clearTimeout(state.timer);
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
