/**
 * Process-group control for tools started with `detached: true`. On POSIX, a detached
 * child calls setsid(), so its pid is also its process-group id and every process it forks
 * stays in that group unless it moves itself out. Signalling `-pgid` reaches them all —
 * execa's own timeout/kill only signals the direct child, which leaves forked helpers
 * (`go test` binaries, a shell's background jobs) running and holding files open.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const POLL_MS = 25;
/** How long to wait for SIGKILLed processes to disappear (they cannot refuse). */
const AFTER_KILL_WAIT_MS = 1000;

/** Groups started by this process and not yet confirmed gone, for the exit hook. */
const liveGroups = new Set<number>();
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

/**
 * True while some process of the group is still running. kill(-pgid, 0) also succeeds
 * for zombies (exited, not yet reaped); orphans are reaped by pid 1 or a subreaper, which
 * in containers is not always prompt, so on Linux we confirm through /proc that at least
 * one member is in a state other than Z (zombie) or X (dead).
 */
export function groupHasLiveMembers(pgid: number): boolean {
  if (!signalGroup(pgid, 0)) return false;
  if (process.platform !== 'linux') return true;
  return listGroupMembers(pgid).some((member) => member.state !== 'Z' && member.state !== 'X');
}

/** Members of a process group from /proc (Linux only): pid and one-letter state. */
export function listGroupMembers(pgid: number): { pid: number; state: string }[] {
  const members: { pid: number; state: string }[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return members;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
    } catch {
      continue; // exited while we were looking
    }
    // proc(5): "pid (comm) state ppid pgrp …"; comm may contain spaces and ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[2]) === pgid) members.push({ pid: Number(entry), state: fields[0] ?? '?' });
  }
  return members;
}

/** Poll until the group has no live member or `deadline` (epoch ms) passes. True when gone. */
export async function waitForGroupExit(pgid: number, deadline: number): Promise<boolean> {
  for (;;) {
    if (!groupHasLiveMembers(pgid)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(Math.min(POLL_MS, Math.max(1, deadline - Date.now())));
  }
}

/**
 * Watches one started tool's process group: {@link terminate} escalates TERM → KILL,
 * {@link reapAfterLeaderExit} makes sure nothing of the group outlives its leader.
 */
export class ProcessGroupGuard {
  private termSentAt: number | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  /** The last signal we sent to the group, for the run result. */
  lastSignal: NodeJS.Signals | undefined;

  constructor(
    readonly pgid: number,
    private readonly graceMs: number,
  ) {
    trackGroup(pgid);
  }

  /** SIGTERM the whole group now and SIGKILL it after the grace period. Idempotent. */
  terminate(): void {
    if (this.termSentAt !== undefined) return;
    this.termSentAt = Date.now();
    this.send('SIGTERM');
    this.killTimer = setTimeout(() => this.send('SIGKILL'), this.graceMs);
  }

  /**
   * Call once the leader has exited (any way). Descendants may still run — e.g. children
   * that ignore SIGTERM: give them what is left of the grace period after a SIGTERM, then
   * SIGKILL the group and wait for it to disappear.
   */
  async reapAfterLeaderExit(): Promise<void> {
    try {
      if (!groupHasLiveMembers(this.pgid)) return;
      this.terminate();
      const killAt = (this.termSentAt ?? Date.now()) + this.graceMs;
      if (await waitForGroupExit(this.pgid, killAt)) return;
      this.send('SIGKILL');
      await waitForGroupExit(this.pgid, Date.now() + AFTER_KILL_WAIT_MS);
    } finally {
      clearTimeout(this.killTimer);
      liveGroups.delete(this.pgid);
    }
  }

  private send(signal: NodeJS.Signals): void {
    if (signalGroup(this.pgid, signal)) this.lastSignal = signal;
  }
}

/**
 * Remember a group so that, should gotriage itself exit while the tool runs (an uncaught
 * error, a second Ctrl-C), the 'exit' hook still kills it: a detached group is not killed
 * with its parent, and execa's `cleanup` option skips detached children.
 */
function trackGroup(pgid: number): void {
  liveGroups.add(pgid);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous; process.kill is.
  process.on('exit', () => {
    for (const group of liveGroups) signalGroup(group, 'SIGKILL');
  });
}
