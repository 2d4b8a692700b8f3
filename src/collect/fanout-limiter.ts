/**
 * The session-wide request limiter of the fan-out: at most `limit` requests open at once,
 * across every target and every pprof action.
 *
 * Who gets a free slot matters as much as how many there are:
 *  1. timed captures (profile?seconds=N, trace?seconds=N) first, so the long windows
 *     start together and overlap instead of queueing behind quick fetches;
 *  2. then the target with the fewest requests in flight, so a stalled instance holds at
 *     most its fair share of slots while the others keep being served;
 *  3. then first come, first served.
 */

/** One holder of a slot; `release()` is idempotent. */
export interface LimiterSlot {
  release(): void;
}

interface Waiter {
  target: string;
  timed: boolean;
  seq: number;
  grant: () => void;
}

export class RequestLimiter {
  private inFlight = 0;
  private readonly perTarget = new Map<string, number>();
  private readonly waiting: Waiter[] = [];
  private seq = 0;
  private pumpQueued = false;

  /** @param limit maximum requests open at once (≥ 1). */
  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a whole number ≥ 1, got ${limit}`);
  }

  /** Requests open right now. */
  get active(): number {
    return this.inFlight;
  }

  /**
   * Waits for a slot for a request to `target`. Rejects with `signal.reason` when the
   * signal aborts first (a cancel, or the target's deadline), leaving the queue intact.
   */
  acquire(target: string, timed: boolean, signal?: AbortSignal): Promise<LimiterSlot> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<LimiterSlot>((resolve, reject) => {
      const waiter: Waiter = {
        target,
        timed,
        seq: this.seq++,
        grant: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(this.take(target));
        },
      };
      const onAbort = () => {
        const at = this.waiting.indexOf(waiter);
        if (at >= 0) this.waiting.splice(at, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
      this.queuePump();
    });
  }

  /**
   * Free slots are handed out on the next microtask, not at once: requests asked for in
   * one go (every action of a step, every job of a capture) are all queued by then, so a
   * timed capture asked for last still gets a slot before a quick fetch asked for first.
   */
  private queuePump(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    queueMicrotask(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  private take(target: string): LimiterSlot {
    this.inFlight++;
    this.perTarget.set(target, (this.perTarget.get(target) ?? 0) + 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.inFlight--;
        const left = (this.perTarget.get(target) ?? 1) - 1;
        if (left === 0) this.perTarget.delete(target);
        else this.perTarget.set(target, left);
        this.pump();
      },
    };
  }

  /** Grants free slots to the best waiters (see the file comment for the order). */
  private pump(): void {
    while (this.inFlight < this.limit && this.waiting.length > 0) {
      let best = 0;
      for (let i = 1; i < this.waiting.length; i++) {
        if (this.before(this.waiting[i]!, this.waiting[best]!)) best = i;
      }
      const [waiter] = this.waiting.splice(best, 1);
      waiter!.grant();
    }
  }

  private before(a: Waiter, b: Waiter): boolean {
    if (a.timed !== b.timed) return a.timed;
    const loadA = this.perTarget.get(a.target) ?? 0;
    const loadB = this.perTarget.get(b.target) ?? 0;
    if (loadA !== loadB) return loadA < loadB;
    return a.seq < b.seq;
  }
}

/**
 * Runs every job holding one slot of `limiter` (as `key`) while it runs, and settles them
 * all — one failing job never stops the others — in input order.
 */
export function settleUnderLimit<T>(
  limiter: RequestLimiter,
  key: string,
  jobs: readonly (() => Promise<T>)[],
): Promise<PromiseSettledResult<T>[]> {
  return Promise.allSettled(
    jobs.map(async (job) => {
      const slot = await limiter.acquire(key, false);
      try {
        return await job();
      } finally {
        slot.release();
      }
    }),
  );
}
