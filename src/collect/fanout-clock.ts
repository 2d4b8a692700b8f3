/**
 * The deadline of one target in one fan-out round. Its clock runs only while the target
 * has a request open: time spent waiting for a slot because other targets hold them is
 * not the target's fault, and must not fail it. With `--concurrency 1` over twenty
 * targets the last one waits minutes for its first slot, and still gets its full
 * deadline once it is served; a stalled target keeps its requests open, so its clock
 * runs and it ends on time.
 */

class TargetDeadlineError extends Error {
  constructor(readonly deadlineMs: number) {
    super(`target deadline of ${Math.round(deadlineMs / 1000)} s passed`);
  }
}

export class TargetClock {
  /** Aborted when the deadline passes: the target's queued requests stop waiting. */
  readonly expired = new AbortController();
  private spentMs = 0;
  private openSince?: number;
  private open = 0;
  private timer?: NodeJS.Timeout;

  constructor(private deadline: number) {}

  get deadlineMs(): number {
    return this.deadline;
  }

  /** Moves the deadline (an action registered a longer budget); re-arms a running clock. */
  set deadlineMs(ms: number) {
    this.deadline = ms;
    if (this.open > 0) this.arm();
  }

  /** What is left of the deadline right now (may be ≤ 0). */
  leftMs(): number {
    const running = this.openSince === undefined ? 0 : Date.now() - this.openSince;
    return this.deadline - this.spentMs - running;
  }

  /** The error a request refused or cut by this deadline fails with. */
  error(): Error {
    return new TargetDeadlineError(this.deadline);
  }

  /** A request of this target got its slot: the clock runs. */
  opened(): void {
    if (this.open++ === 0) {
      this.openSince = Date.now();
      this.arm();
    }
  }

  /** A request ended (or gave its slot back for a retry's backoff). */
  closed(): void {
    if (--this.open > 0 || this.openSince === undefined) return;
    this.spentMs += Date.now() - this.openSince;
    this.openSince = undefined;
    this.stop();
  }

  /** Clears the timer (it is unref'd; this only tidies up). */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.stop();
    if (this.expired.signal.aborted) return;
    this.timer = setTimeout(() => this.expired.abort(this.error()), Math.max(0, this.leftMs()));
    this.timer.unref(); // never keeps the process alive on its own
  }
}
