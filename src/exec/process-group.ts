/**
 * Process-group control for tools started with `detached: true`. On POSIX, a detached
 * child calls setsid(), so its pid is also its process-group id and every process it forks
 * stays in that group unless it moves itself out. Signalling `-pgid` reaches them all —
 * execa's own timeout/kill only signals the direct child, which leaves forked helpers
 * (`go test` binaries, a shell's background jobs) running and holding files open.
 *
 * A descendant that calls setsid() itself (a daemonising helper, `setsid sleep`) leaves
 * the group. Such escapees are found through the tool's tag (proc-table.ts findFamily):
 * the runner puts it in the tool's environment, and descendants inherit it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { bootId, findFamily, isDeadState, readProcStat, startIdOf, type ProcStat } from './proc-table.js';

const POLL_MS = 25;
/** How long to wait for SIGKILLed processes to disappear (they cannot refuse). */
const AFTER_KILL_WAIT_MS = 1000;
/** SIGKILL rounds before giving up on a family that keeps forking. */
const KILL_ROUNDS = 3;

/** Guards of tools started by this process and not yet confirmed gone, for the exit hook. */
const liveGuards = new Set<ProcessGroupGuard>();
let exitHookInstalled = false;

/**
 * Send `signal` to every process in the group. Returns false when the group no longer
 * exists (ESRCH) or is not ours (EPERM: the id was reused by another user's group).
 */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Where a tool's processes may be besides its group: its tag, and the oldest start they can have. */
export interface FamilyMarks {
  /** The value of the tag variable the tool was started with (proc-table.ts PROCESS_TAG_VARIABLE). */
  tag: string;
  /** The tool's own start time in clock ticks: its descendants cannot be older. */
  notBeforeTicks?: number;
  /**
   * The leader's processStartId. When a process with the group's id runs with another start
   * id, the id was reused: that group is someone else's and is left alone.
   */
  leaderStartId?: string | null;
}

/**
 * Watches one started tool's processes — its process group, and with `marks` the
 * descendants that left it: {@link terminate} escalates TERM → KILL,
 * {@link reapAfterLeaderExit} makes sure nothing of the tool outlives its leader.
 */
export class ProcessGroupGuard {
  private termSentAt: number | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  /** The last signal we sent to the group, for the run result. */
  lastSignal: NodeJS.Signals | undefined;
  /** pid → start ticks of every process of the tool seen so far. */
  private readonly seen = new Map<number, number>();

  constructor(
    /** null when only the tag is known (a record made just before a spawn that was never confirmed). */
    readonly pgid: number | null,
    private readonly graceMs: number,
    private readonly marks?: FamilyMarks,
  ) {
    trackGuard(this);
  }

  /** SIGTERM everything of the tool now and SIGKILL it after the grace period. Idempotent. */
  terminate(): void {
    if (this.termSentAt !== undefined) return;
    this.termSentAt = Date.now();
    this.send('SIGTERM');
    this.killTimer = setTimeout(() => this.send('SIGKILL'), this.graceMs);
  }

  /**
   * Call once the leader has exited (any way). Descendants may still run — e.g. children
   * that ignore SIGTERM, or a daemon that called setsid(): give them what is left of the
   * grace period after a SIGTERM, then SIGKILL them and wait for them to disappear.
   */
  async reapAfterLeaderExit(): Promise<void> {
    try {
      if (!this.hasLiveMembers()) return;
      this.terminate();
      const killAt = (this.termSentAt ?? Date.now()) + this.graceMs;
      if (await this.waitUntilGone(killAt)) return;
      // A process forked between our look and the signal is not hit by it: look again each round.
      for (let round = 0; round < KILL_ROUNDS; round++) {
        this.send('SIGKILL');
        if (await this.waitUntilGone(Date.now() + AFTER_KILL_WAIT_MS)) return;
      }
    } finally {
      clearTimeout(this.killTimer);
      liveGuards.delete(this);
    }
  }

  /** Synchronous, for the exit hook: SIGKILL whatever is left. */
  killNow(): void {
    this.send('SIGKILL');
  }

  /**
   * The tool's live processes: its group (unless the id now names someone else's group)
   * and, with marks, the descendants that left it. Zombies are not counted: they exited,
   * and orphans in containers are not always reaped promptly by pid 1.
   */
  liveProcesses(): ProcStat[] {
    const pgid = this.groupIsOurs() ? this.pgid : null;
    const found = findFamily({ pgid, tag: this.marks?.tag ?? null, notBeforeTicks: this.marks?.notBeforeTicks });
    // Once a parent dies its children are reparented and the parent-pid walk no longer
    // reaches them: keep every process seen once, for as long as it is the same process.
    for (const p of found) this.seen.set(p.pid, p.startTicks);
    for (const [pid, startTicks] of this.seen) {
      if (found.some((p) => p.pid === pid)) continue;
      const now = readProcStat(pid);
      if (now && now.startTicks === startTicks && !isDeadState(now.state)) found.push(now);
      else this.seen.delete(pid);
    }
    return found;
  }

  private hasLiveMembers(): boolean {
    // Without /proc, kill(-pgid, 0) is all we can ask (it also answers for zombies).
    if (process.platform !== 'linux') return this.groupIsOurs();
    return this.liveProcesses().length > 0;
  }

  /**
   * A group id cannot be reused while any member lives (Linux keeps the number allocated),
   * so the group is ours unless a process with the leader's pid runs with another start id.
   */
  private groupIsOurs(): boolean {
    if (this.pgid === null || !signalGroup(this.pgid, 0)) return false;
    const leaderStartId = this.marks?.leaderStartId;
    if (leaderStartId === undefined || leaderStartId === null) return true;
    const leader = readProcStat(this.pgid);
    return leader === undefined || startIdOf(leader) === leaderStartId;
  }

  private async waitUntilGone(deadline: number): Promise<boolean> {
    for (;;) {
      if (!this.hasLiveMembers()) return true;
      if (Date.now() >= deadline) return false;
      await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
    }
  }

  private send(signal: NodeJS.Signals): void {
    // Looked up before the group is signalled: a dying parent hands its children to init.
    const escapees = this.marks ? this.liveProcesses().filter((p) => p.pgid !== this.pgid) : [];
    if (this.pgid !== null && this.groupIsOurs() && signalGroup(this.pgid, signal)) this.lastSignal = signal;
    // Members of the group got the group signal; the ones that left it get their own.
    for (const escapee of escapees) {
      try {
        process.kill(escapee.pid, signal);
      } catch {
        // exited meanwhile
      }
    }
  }
}

/**
 * Remember a guard so that, should gotriage itself exit while the tool runs (an uncaught
 * error, a second Ctrl-C), the 'exit' hook still kills it: a detached group is not killed
 * with its parent, and execa's `cleanup` option skips detached children.
 */
function trackGuard(guard: ProcessGroupGuard): void {
  liveGuards.add(guard);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous; process.kill and the /proc reads are.
  process.on('exit', () => {
    for (const live of liveGuards) live.killNow();
  });
}

/** A process a killed gotriage left running, as its record describes it. */
export interface Leftover {
  pgid: number | null;
  tag: string;
  /** processStartId of the leader when it was started; null when unknown. */
  startId: string | null;
}

/**
 * End what is left of a tool started by an earlier gotriage: its group and tagged
 * descendants, TERM then KILL after `graceMs`. Resolves with the processes that were still
 * running ([] when nothing was: the tool ended, or the machine rebooted since).
 */
export async function endLeftover(leftover: Leftover, graceMs: number): Promise<ProcStat[]> {
  const [boot, ticks] = (leftover.startId ?? '').split('/');
  // Start ticks count from boot: after a reboot nothing of the old run can be alive.
  if (leftover.startId !== null && boot !== bootId()) return [];
  const notBeforeTicks = ticks === undefined || leftover.startId === null ? undefined : Number(ticks);
  const guard = new ProcessGroupGuard(leftover.pgid, graceMs, { tag: leftover.tag, notBeforeTicks, leaderStartId: leftover.startId });
  const found = guard.liveProcesses();
  await guard.reapAfterLeaderExit();
  return found;
}
